"""Watching feeds: poll feed URLs and files on a schedule and ingest only the entries not seen before.

A :class:`Watcher` polls each feed in turn. For a URL it sends a conditional request (If-None-Match with the ETag,
If-Modified-Since with the Last-Modified of the last answer), so an unchanged feed costs one 304; for a feed file
its size and modification time play the ETag's part. Of the entries fetched, those whose key (the entry's
id/guid, else its link, else its title and text) the feed has shown before are left alone; the others are
analysed and stored. The store stays the last line of defence: a text it already holds from this pipeline is
never analysed again, whatever the feed state says.

Each feed's state (validators, the keys of the last ``[watch] max_seen`` entries, the last poll and its outcome)
lives in the store's ``feed_state`` table, so a restarted watcher, or the next ``--once`` run from cron, carries
on where the last one stopped. The state is written after the feed's documents are stored: a crash in between
costs a re-fetch, never a lost entry.

Every poll of a feed is reported as one line (``FeedResult.line``); a feed that cannot be fetched, parsed or
stored is reported on its line and the others are still polled. The clock and the sleep are parameters, so
tests (and other schedulers) can drive the loop.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Iterable, Sequence

from .errors import DiscernError, ReadError
from .ingest import ReadOptions, read_inputs
from .ingest.base import ReadItem, read_limited
from .model import Document

_UNITS = {"s": 1, "m": 60, "h": 3600, "d": 86400}
_INTERVAL = re.compile(r"(\d+(?:\.\d+)?)([smhd])")


def parse_interval(text: str) -> float:
    """Seconds in an interval such as ``30s``, ``15m``, ``1h``, ``1d``, ``1h30m`` or a bare number of seconds;
    ValueError for anything else or a zero interval."""
    value = (text or "").strip().lower()
    if re.fullmatch(r"\d+(?:\.\d+)?", value):
        seconds = float(value)
    else:
        parts = _INTERVAL.findall(value)
        if not parts or "".join(n + u for n, u in parts) != value:
            raise ValueError(f"{text!r} is not an interval: give a number with a unit, e.g. 30s, 15m, 1h, 1d")
        seconds = sum(float(n) * _UNITS[u] for n, u in parts)
    if seconds <= 0:
        raise ValueError(f"{text!r} is not an interval: it must be longer than 0 seconds")
    return seconds


def iso(timestamp: float) -> str:
    """A POSIX time as UTC ``YYYY-MM-DDTHH:MM:SSZ``."""
    return dt.datetime.fromtimestamp(timestamp, dt.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


def _hash(value: str) -> str:
    return hashlib.sha256(value.encode("utf-8", "surrogatepass")).hexdigest()[:16]


def entry_key(entry) -> str:
    """The key a feedparser entry is remembered by: its id (RSS guid, Atom id), else its link, else its title and
    text; the first 16 hex digits of the sha256 of that."""
    for name in ("id", "guid", "link"):
        value = entry.get(name)
        if isinstance(value, str) and value.strip():
            return _hash(f"{name}:{value.strip()}" if name == "link" else f"id:{value.strip()}")
    contents = entry.get("content") or []
    text = max((c.get("value") or "" for c in contents), key=len, default="") or entry.get("summary") or ""
    return _hash(f"text:{entry.get('title') or ''}\n{text}")


def _document_key(doc: Document) -> str:
    return _hash(f"doc:{doc.id}")


# -- the state kept in the store ---------------------------------------------------------------------------------
@dataclass
class FeedState:
    """One row of ``feed_state``: what the watcher knows of a feed between polls."""

    feed: str
    etag: str | None = None
    last_modified: str | None = None
    seen: list[str] = field(default_factory=list)  # entry keys, oldest first
    last_poll: str | None = None
    last_success: str | None = None
    last_status: str | None = None
    last_new: int | None = None
    failures: int = 0

    def to_row(self) -> dict:
        return {"feed": self.feed, "etag": self.etag, "last_modified": self.last_modified, "seen": list(self.seen),
                "last_poll": self.last_poll, "last_success": self.last_success, "last_status": self.last_status,
                "last_new": self.last_new, "failures": self.failures}


def load_state(store, feed: str) -> FeedState | None:
    """The stored state of ``feed`` (its key: the URL as given, a file's absolute path), or None."""
    from sqlalchemy import select

    from .store import schema as s

    with store.engine.connect() as conn:
        row = conn.execute(select(s.feed_state).where(s.feed_state.c.feed == feed)).first()
    if row is None:
        return None
    values = dict(row._mapping)
    values["seen"] = [k for k in (values.get("seen") or []) if isinstance(k, str)]
    values["failures"] = values.get("failures") or 0
    return FeedState(**values)


def feed_states(store) -> list[FeedState]:
    """Every feed's stored state, by feed."""
    from sqlalchemy import select

    from .store import schema as s

    with store.engine.connect() as conn:
        rows = conn.execute(select(s.feed_state.c.feed).order_by(s.feed_state.c.feed)).scalars().all()
    return [state for state in (load_state(store, feed) for feed in rows) if state is not None]


def save_state(store, state: FeedState) -> None:
    """Insert or replace the state of ``state.feed`` (one statement, so two watchers racing cannot collide)."""
    from .store import schema as s
    from .store.store import storage_errors

    row = state.to_row()
    if store.dialect in ("sqlite", "postgresql"):
        if store.dialect == "sqlite":
            from sqlalchemy.dialects.sqlite import insert
        else:
            from sqlalchemy.dialects.postgresql import insert
        stmt = insert(s.feed_state).values(**row)
        stmt = stmt.on_conflict_do_update(index_elements=["feed"],
                                          set_={k: stmt.excluded[k] for k in row if k != "feed"})
        with storage_errors(store), store.engine.begin() as conn:
            conn.execute(stmt)
        return
    from sqlalchemy import insert, update  # another back end: update, else insert

    with storage_errors(store), store.engine.begin() as conn:
        if not conn.execute(update(s.feed_state).where(s.feed_state.c.feed == state.feed).values(**row)).rowcount:
            conn.execute(insert(s.feed_state).values(**row))


def remember(seen: Sequence[str], current: Sequence[str], limit: int) -> list[str]:
    """The keys to keep: those seen before and no longer in the feed, then the feed's current ones (in feed order),
    the newest ``limit`` of them (the current ones are the newest, so they are kept first)."""
    now = list(dict.fromkeys(current))
    present = set(now)
    kept = [k for k in seen if k not in present] + now
    return kept[-limit:] if limit > 0 else []


def _validator(value: str | None) -> str | None:
    """A header value that can be sent back as it came (printable ASCII), else None."""
    if value and value.isascii() and value.isprintable() and len(value) <= 1000:
        return value
    return None


# -- one poll ------------------------------------------------------------------------------------------------
@dataclass
class FeedResult:
    """How one poll of one feed went. ``status``: "200 OK", "304 not modified", "file changed", "file unchanged",
    "read" (another kind of input), or the error that ended the poll (``error`` is then set)."""

    feed: str
    at: str
    new: int = 0
    seen: int = 0
    failed: int = 0
    status: str = ""
    error: BaseException | None = None
    entry_errors: list[DiscernError] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return self.error is None

    def line(self) -> str:
        from .store.store import redact_command

        status = self.status
        if self.entry_errors:
            first = self.entry_errors[0]
            more = f" and {len(self.entry_errors) - 1} more" if len(self.entry_errors) > 1 else ""
            status += f"; {first.code} {_reason(first)}{more}"
        return (f"discern: watch {self.at} {redact_command([self.feed])}: {self.new} new, {self.seen} seen, "
                f"{self.failed} failed ({status})")


def _reason(err: BaseException) -> str:
    if isinstance(err, ReadError):
        return err.reason
    if isinstance(err, DiscernError):
        return err.message
    reason = str(getattr(err, "orig", None) or err).splitlines()
    return f"{type(err).__name__}: {reason[0] if reason else ''}"


@dataclass
class _Read:
    status: str
    entries: list[tuple[str | None, ReadItem]] | None  # (key, document or error); None: not modified
    etag: str | None = None
    last_modified: str | None = None


class Watcher:
    """Polls ``feeds`` (http(s) URLs, feed files, or any input ``discern ingest`` reads) into ``store``.

    ``poll()`` polls every feed once and returns a :class:`FeedResult` for each; ``run(every)`` polls every
    ``every`` seconds (measured from the start of one poll to the start of the next; a poll that overruns is
    followed at once) until interrupted, or ``polls`` times. ``log`` gets each result's line as it is made (the
    default writes it to standard error); ``clock`` gives the time (POSIX seconds) and ``sleep`` waits.
    """

    def __init__(self, feeds: Iterable[str], store, analyzer, options: ReadOptions | None = None, *,
                 max_seen: int | None = None, batch_size: int | None = None, command: str | None = None,
                 log: Callable[[str], None] | None = None, clock: Callable[[], float] = time.time,
                 sleep: Callable[[float], None] = time.sleep):
        config = analyzer.config
        self.feeds = list(dict.fromkeys(feeds))
        self.store = store
        self.analyzer = analyzer
        self.options = options or ReadOptions.from_config(config)
        self.max_seen = max_seen if max_seen is not None else config["watch.max_seen"]
        self.batch_size = batch_size if batch_size is not None else config["watch.batch_size"]
        self.command = command
        self.log = log or (lambda line: print(line, file=sys.stderr, flush=True))
        self.clock = clock
        self.sleep = sleep
        self._run_id: int | None = None
        self._run_stats = None

    # -- the loop ---------------------------------------------------------------------------------------------
    def run(self, every: float | None = None, polls: int | None = None) -> list[FeedResult]:
        """Poll now, then every ``every`` seconds; ``every=None`` polls once. Returns the last poll's results."""
        count = 0
        while True:
            started = self.clock()
            results = self.poll()
            count += 1
            if every is None or (polls is not None and count >= polls):
                return results
            delay = started + every - self.clock()
            if delay > 0:
                self.sleep(delay)

    def poll(self) -> list[FeedResult]:
        """Poll every feed once. The documents stored make one run in the store's ``runs`` (none when nothing
        was new)."""
        from .store import IngestStats

        self._run_id, self._run_stats = None, IngestStats()
        results = []
        try:
            for feed in self.feeds:
                results.append(self.poll_feed(feed))
        finally:
            if self._run_id is not None:
                try:
                    self.store.finish_run(self._run_id, self._run_stats)
                except Exception as err:  # the store went away: the run stays unfinished, the documents stored
                    self.log(f"discern: watch: cannot record the end of run {self._run_id}: {_reason(err)}")
                else:
                    try:
                        from .analysis.verdicts import refresh_run

                        refresh_run(self.store, self._run_id, self.analyzer.config)
                    except Exception as err:  # the documents are stored; `maps check --recompute` judges them
                        self.log(f"discern: watch: cannot judge run {self._run_id} against the maps "
                                 f"(discern maps check --recompute will): {_reason(err)}")
                self._run_id = None
        return results

    def poll_feed(self, feed: str) -> FeedResult:
        """Poll one feed: fetch (conditionally), store the entries not seen before, save the feed's state, and
        log one line. Never raises for a feed's failure (only KeyboardInterrupt and the like pass)."""
        result = FeedResult(feed, iso(self.clock()))
        state: FeedState | None = None
        try:
            key = self.state_key(feed)
            state = load_state(self.store, key) or FeedState(key)
            read = self._read(feed, state)
            state.last_poll = result.at
            if read.entries is None:
                result.status = read.status
            else:
                kept = self._store_new(read.entries, state, result)
                result.status = read.status
                state.seen = remember(state.seen, kept, self.max_seen)
                state.etag, state.last_modified = _validator(read.etag), _validator(read.last_modified)
            state.last_success = result.at
            state.last_status = result.status
            state.last_new = result.new
            state.failures = 0
            save_state(self.store, state)
        except Exception as err:  # a fetch, a parse, the store: this feed's poll ends here, the others go on
            result.error = err
            code = f"{err.code} " if isinstance(err, DiscernError) else ""
            result.status = f"{code}{_reason(err)}"
            result.failed += 1
            if state is not None:
                self._save_failure(state, result)
        self.log(result.line())
        return result

    def state_key(self, feed: str) -> str:
        """The ``feed_state`` key of a feed: a URL as given (a password in it as ``***``: the store never holds
        one), a file's absolute path."""
        if feed.startswith(("http://", "https://")):
            from .store.store import redact_url

            return redact_url(feed)
        return str(Path(feed).expanduser().resolve())

    # -- reading -----------------------------------------------------------------------------------------------
    def _read(self, feed: str, state: FeedState) -> _Read:
        if feed.startswith(("http://", "https://")):
            from .ingest.fetch import fetch_conditional

            o = self.options
            fetched = fetch_conditional(feed, o.url_timeout, o.url_max_bytes, o.url_allow_private,
                                        etag=_validator(state.etag), last_modified=_validator(state.last_modified))
            if fetched.not_modified:
                return _Read("304 not modified", None, fetched.etag, fetched.last_modified)
            return _Read("200 OK", self._feed_entries(fetched.body, feed), fetched.etag, fetched.last_modified)
        path = Path(feed).expanduser()
        if path.is_file() and self.options.reader_for(path) == "feed":
            try:
                info = path.stat()
            except OSError as err:
                raise ReadError("E101", feed, f"cannot open: {err.strerror or err}") from None
            validator = f"{info.st_size}-{info.st_mtime_ns}"
            modified = iso(info.st_mtime)
            if state.etag == validator:
                return _Read("file unchanged", None, validator, modified)
            data = read_limited(path, feed, self.options.max_bytes)
            if not data.strip():
                raise ReadError("E102", feed, "empty file")
            return _Read("file changed", self._feed_entries(data, feed), validator, modified)
        items = list(read_inputs([feed], self.options))
        if items and not any(isinstance(i, Document) for i in items):
            raise items[0]  # nothing readable: the input's own error (no such file, not a feed...)
        return _Read("read", [(_document_key(i) if isinstance(i, Document) else None, i) for i in items])

    def _feed_entries(self, data: bytes, shown: str) -> list[tuple[str | None, ReadItem]]:
        """The feed's documents (and entries without text, as E102) with each entry's key."""
        import feedparser

        from .ingest.feeds import feed_documents

        items = list(feed_documents(data, shown, self.options))
        if len(items) == 1 and isinstance(items[0], ReadError) and items[0].path == shown:
            raise items[0]  # the feed as a whole is unreadable (E109) or binary (E103)
        entries = feedparser.parse(data).entries
        if len(entries) == len(items):  # feed_documents yields one item per entry, in order
            return [(entry_key(e), item) for e, item in zip(entries, items)]
        return [(_document_key(i) if isinstance(i, Document) else None, i) for i in items]

    # -- storing -----------------------------------------------------------------------------------------------
    def _store_new(self, entries: list[tuple[str | None, ReadItem]], state: FeedState,
                   result: FeedResult) -> list[str]:
        """Analyse and store the entries not seen before; count them into ``result``. Returns the keys of every
        entry read (all now processed, so remembered)."""
        from .store import IngestStats

        known = set(state.seen)
        pipeline = self.analyzer.version
        docs: list[Document] = []
        for key, item in entries:
            if key is not None and key in known:
                result.seen += 1
            elif isinstance(item, ReadError):
                result.failed += 1
                result.entry_errors.append(item)
            elif self.store.stored_pipeline(item.id) == pipeline:
                result.seen += 1  # stored before (from another feed, or before the state was kept)
            else:
                docs.append(item)
        if docs:
            stats = IngestStats()
            refusals: list[DiscernError] = []
            self.store.ingest(self.analyzer.pipe(docs), self._run(), pipeline, batch_size=self.batch_size,
                              stats=stats, layers=self.analyzer.pipeline.layers,
                              on_error=lambda _doc, err: refusals.append(err))
            result.new += stats.added + stats.updated
            result.seen += stats.skipped
            for err in refusals:
                if err.code == "E604":  # kept as stored, with a richer analysis: it was there already
                    result.seen += 1
                else:
                    result.failed += 1
                    result.entry_errors.append(err)
            for name in ("added", "updated", "skipped", "refused"):
                setattr(self._run_stats, name, getattr(self._run_stats, name) + getattr(stats, name))
        return [key for key, _ in entries if key is not None]

    def _run(self) -> int:
        if self._run_id is None:
            self._run_id = self.store.start_run(self.analyzer.version, self.analyzer.config.to_dict(), self.command)
        return self._run_id

    def _save_failure(self, state: FeedState, result: FeedResult) -> None:
        """Record a failed poll; the validators and seen keys stay as they were, so the next poll tries again."""
        try:
            fresh = load_state(self.store, state.feed) or FeedState(state.feed)
            fresh.last_poll = result.at
            fresh.last_status = result.status
            fresh.last_new = result.new
            fresh.failures = (fresh.failures or 0) + 1
            save_state(self.store, fresh)
        except Exception:  # the store itself is what failed: the line says so already
            pass
