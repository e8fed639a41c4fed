"""atheris fuzz target for the readers: any bytes, under any supported extension, give Documents or ReadErrors.

The first input byte picks the extension; the rest is written to a file in a RAM-backed temporary directory and
read through ``read_inputs`` exactly as ``discern analyze`` reads it. Any other exception, a Document with no
text, or a Document whose JSON cannot be encoded as UTF-8 is a finding.

    .venv/bin/python fuzz/fuzz_readers.py -max_total_time=600 -rss_limit_mb=4096 fuzz/corpus
    .venv/bin/python fuzz/fuzz_readers.py --hypothesis 600     # fallback without atheris: hypothesis, 600 s

Seeds: tests/data/bad/files (copy them into fuzz/corpus first, prefixing each with its extension byte, with
``python fuzz/fuzz_readers.py --seed fuzz/corpus``).
"""

from __future__ import annotations

import json
import os
import sys
import tempfile
from pathlib import Path

EXTENSIONS = [".txt", ".md", ".html", ".jsonl", ".json", ".csv", ".tsv", ".xml", ".atom"]
TMP = Path(tempfile.mkdtemp(prefix="discern-fuzz-", dir="/dev/shm" if os.path.isdir("/dev/shm") else None))
_OPTIONS = None


def options():
    global _OPTIONS
    if _OPTIONS is None:
        from discernment.config import Config
        from discernment.ingest import ReadOptions

        _OPTIONS = ReadOptions.from_config(Config.defaults())
    return _OPTIONS


def check_one(data: bytes) -> None:
    from discernment.errors import ReadError
    from discernment.ingest import read_inputs
    from discernment.model import Document

    if not data:
        return
    ext = EXTENSIONS[data[0] % len(EXTENSIONS)]
    path = TMP / f"input{ext}"
    path.write_bytes(data[1:])
    for item in read_inputs([str(path)], options()):
        if isinstance(item, ReadError):
            assert item.code.startswith("E1"), item
            continue
        assert isinstance(item, Document), type(item)
        assert item.text.strip(), "a document with no text"
        json.dumps(item.to_dict(), ensure_ascii=False).encode("utf-8")


def seed(dest: Path) -> None:
    dest.mkdir(parents=True, exist_ok=True)
    source = Path(__file__).resolve().parents[1] / "tests" / "data" / "bad" / "files"
    for f in sorted(source.iterdir()):
        ext = f.suffix.lower() if f.suffix.lower() in EXTENSIONS else ".txt"
        (dest / f.name).write_bytes(bytes([EXTENSIONS.index(ext)]) + f.read_bytes())


def run_hypothesis(seconds: float) -> None:
    import time

    from hypothesis import HealthCheck, given, settings, strategies as st

    deadline = time.monotonic() + seconds

    @settings(max_examples=10**9, deadline=None, database=None,
              suppress_health_check=list(HealthCheck))
    @given(st.binary(max_size=4096))
    def target(data):
        if time.monotonic() > deadline:
            return
        check_one(data)

    try:
        target()
    except Exception:
        raise


def main() -> None:
    if len(sys.argv) > 2 and sys.argv[1] == "--seed":
        seed(Path(sys.argv[2]))
        return
    if len(sys.argv) > 2 and sys.argv[1] == "--hypothesis":
        run_hypothesis(float(sys.argv[2]))
        return
    import atheris

    with atheris.instrument_imports(include=["discernment"]):
        import discernment.ingest  # noqa: F401
        import discernment.ingest.encoding  # noqa: F401
        import discernment.ingest.feeds  # noqa: F401
        import discernment.ingest.html  # noqa: F401
        import discernment.ingest.tables  # noqa: F401
        import discernment.ingest.text  # noqa: F401
    import charset_normalizer  # noqa: F401  (imported once, outside the timed runs)
    import feedparser  # noqa: F401
    import trafilatura  # noqa: F401
    options()
    atheris.Setup(sys.argv, check_one)
    atheris.Fuzz()


if __name__ == "__main__":
    main()
