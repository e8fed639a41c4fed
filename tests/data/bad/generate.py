"""The bad-input corpus: every fixture is invented here, none is copied from a real article.

``python tests/data/bad/generate.py`` rewrites the small committed fixtures in ``tests/data/bad/files/``.
``build_corpus(dest)`` copies them into ``dest`` and adds what cannot or should not be committed: the big files
(20 MB of text, a 1 MB single line), 10,000 nested HTML elements, file names with spaces, a newline and
non-ASCII characters, a symbolic-link loop and an unreadable file.

``EXPECTED`` says, for each file name, how ``discern analyze`` must treat it: a number of documents, or the
error code(s) it must be reported with on standard error.
"""

from __future__ import annotations

import gzip
import io
import os
import shutil
import struct
import zipfile
import zlib
from pathlib import Path

HERE = Path(__file__).resolve().parent
FILES = HERE / "files"

RU = ("Министерство обороны заявило о взятии посёлка Северное. Генштаб Украины это опровергает: "
      "бои продолжаются на окраинах, сообщил представитель штаба.\n")
EN = ("Officials in Kharkiv said on Tuesday that shelling damaged two schools. "
      "A regional spokesman said repairs would begin next week.\n")

BIG_TEXT_BYTES = 20_000_000
ONE_LINE_BYTES = 1_000_000
NESTED_DEPTH = 10_000


def _png() -> bytes:
    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    raw = zlib.compress(b"\x00\xff\x00\x00")
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", 1, 1, 8, 2, 0, 0, 0))
            + chunk(b"IDAT", raw) + chunk(b"IEND", b""))


def _pdf() -> bytes:
    return (b"%PDF-1.4\n1 0 obj << /Type /Catalog /Pages 2 0 R >> endobj\n"
            b"2 0 obj << /Type /Pages /Kids [] /Count 0 >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n")


def _zip() -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as zf:
        zf.writestr("article.txt", EN)
    return buf.getvalue()


def _feed_entry(n: int) -> str:
    return (f"<item><title>Report {n}</title><link>https://example.org/{n}</link>"
            f"<pubDate>Tue, 0{n} Oct 2024 10:00:00 GMT</pubDate>"
            f"<description>Officials in Odesa said drones struck port {n} overnight, damaging a grain silo."
            f"</description></item>")


def small_fixtures() -> dict[str, bytes]:
    """Committed fixtures: name -> bytes."""
    utf16 = EN + RU
    return {
        "empty.txt": b"",
        "whitespace.txt": b" \n\t\r\n   \n",
        "png-named.txt": _png(),
        "pdf-named.txt": _pdf(),
        "zip-named.txt": _zip(),
        "gzip-named.txt": gzip.compress(EN.encode() * 5, mtime=0),
        "real-image.png": _png(),
        "invalid-utf8.txt": EN.encode() + b"Broken byte here: \xff\xfe\xc3 and more text after it.\n",
        "utf16-bom.txt": utf16.encode("utf-16"),
        "utf16le-nobom.txt": utf16.encode("utf-16-le"),
        "utf16be-nobom.txt": utf16.encode("utf-16-be"),
        "cp1251.txt": RU.encode("cp1251"),
        "koi8r.txt": RU.encode("koi8-r"),
        "html-no-body.html": b"<!DOCTYPE html><html><head><title>Only a head</title></head></html>",
        "html-only-scripts.html": (b"<html><head><script>var a = 'Officials said shelling continued';</script>"
                                   b"</head><body><script>document.write('x'.repeat(100));</script>"
                                   b"<script src='x.js'></script></body></html>"),
        "rss-truncated.xml": (b'<?xml version="1.0"?><rss version="2.0"><channel><title>Invented Wire</title>'
                              + _feed_entry(1).encode() + _feed_entry(2).encode()
                              + b"<item><title>Cut off</title><description>Halfway thro"),
        "rss-not-xml.rss": b"this is { not <a feed at all ]]> \x00",
        # found by fuzz/fuzz_readers.py: feedparser raised UnicodeDecodeError on a byte in the encoding name
        "rss-bad-encoding-name.xml": (b'<?xml version="1.0" encoding="ut\xfaf-8"?><rss><channel><item>'
                                      b"<description>Officials said</description></item></channel></rss>"),
        "atom-broken.atom": (b'<?xml version="1.0" encoding="utf-8"?><feed xmlns="http://www.w3.org/2005/Atom">'
                             b"<title>Invented</title><entry><title>One</title><content type='html'>"
                             b"&lt;p&gt;Officials in Sumy said power was restored after the strike.&lt;/p&gt;"
                             b"</content></entry><entry><title>Two</title><content>unclosed & bad entity &nope;"),
        "csv-no-text-column.csv": b"title,date\nA headline,2024-01-02\nAnother,2024-01-03\n",
        "csv-short-rows.csv": (b"title,text,date\nGood row,Officials in Kherson said ferries resumed.,2024-01-02\n"
                               b"Short row only\n"
                               b"Another good,Shelling hit a market in Nikopol on Sunday.,2024-01-04\n"),
        "csv-embedded-newlines.csv": (b'title,text\n"Two lines","First paragraph about Izium.\n\n'
                                      b'Second paragraph, with a comma."\n'
                                      b'"Plain","A second record about Lyman."\n'),
        "csv-broken-quote.csv": (b'title,text\n"Fine","Officials in Kupiansk said the bridge was repaired."\n'
                                 b'"Broken,"A quote that never closes, about Vovchansk.\n'
                                 b'"Later","This record follows the broken quote."\n'),
        "jsonl-one-corrupt.jsonl": (
            b'{"text": "Officials in Zaporizhzhia said a drone hit a warehouse.", "title": "One"}\n'
            b'{"text": "This line is cut off\n'
            b'{"text": "The regional governor said two villages were evacuated.", "title": "Three"}\n'
            b'[1, 2, 3]\n'
            b'{"text": "A third valid record about Pokrovsk.", "title": "Five", '
            b'"path": "../../../../etc/passwd", "file": "/etc/shadow"}\n'),
    }


# name -> number of documents, or the set of error codes it must be reported with.
EXPECTED: dict[str, int | set[str]] = {
    "empty.txt": {"E102"},
    "whitespace.txt": {"E102"},
    "png-named.txt": {"E103"},
    "pdf-named.txt": {"E103"},
    "zip-named.txt": {"E103"},
    "gzip-named.txt": {"E103"},
    "invalid-utf8.txt": 1,
    "utf16-bom.txt": 1,
    "utf16le-nobom.txt": 1,
    "utf16be-nobom.txt": 1,
    "cp1251.txt": 1,
    "koi8r.txt": 1,
    "html-no-body.html": {"E108"},
    "html-only-scripts.html": {"E108"},
    "html-nested.html": {"E108"},  # libxml2 stops at depth 256: refused, not misread
    "rss-truncated.xml": 2,  # plus E102 for the cut-off third entry
    "rss-not-xml.rss": {"E109"},
    "rss-bad-encoding-name.xml": {"E109"},
    "atom-broken.atom": 1,  # plus E102 for the broken second entry
    "csv-no-text-column.csv": {"E107"},
    "csv-short-rows.csv": 2,  # plus E107 for the short row
    "csv-embedded-newlines.csv": 2,
    "csv-broken-quote.csv": 3,  # Python's csv reads the broken record leniently: title "Broken,A quote..."
    "jsonl-one-corrupt.jsonl": 3,  # plus E106 for lines 2 and 4
    "big-20mb.txt": {"E111"},  # the CLI test lowers readers.max_bytes below 20 MB
    "one-line-1mb.txt": 1,
    "with space.txt": 1,
    "new\nline.txt": 1,
    "Київ — звіт №1.txt": 1,
}
# Partial errors expected beside the documents of a file: name -> codes.
EXPECTED_PARTIAL = {"csv-short-rows.csv": {"E107"}, "jsonl-one-corrupt.jsonl": {"E106"},
                    "rss-truncated.xml": {"E102"}, "atom-broken.atom": {"E102"}}


def write_small(dest: Path) -> None:
    dest.mkdir(parents=True, exist_ok=True)
    for name, data in small_fixtures().items():
        (dest / name).write_bytes(data)


def big_text(path: Path, size: int = BIG_TEXT_BYTES) -> None:
    """``size`` bytes of invented prose in paragraphs, written in blocks (never held whole in memory twice)."""
    para = (EN * 3 + "\n").encode()
    with path.open("wb") as fh:
        written = 0
        while written < size:
            block = para * 1000
            fh.write(block[: size - written])
            written += min(len(block), size - written)


def one_line(path: Path, size: int = ONE_LINE_BYTES) -> None:
    sentence = "Officials in Kharkiv said shelling damaged a school and the regional governor confirmed it. "
    path.write_text((sentence * (size // len(sentence) + 1))[:size], encoding="utf-8")


def nested_html(path: Path, depth: int = NESTED_DEPTH) -> None:
    body = ("<div>" * depth + "<p>Officials in Kramatorsk said air defence shot down four drones overnight, "
            "and the mayor said nobody was hurt in the attack.</p>" + "</div>" * depth)
    path.write_text(f"<html><head><title>Deep</title></head><body>{body}</body></html>", encoding="utf-8")


def build_corpus(dest: Path, big: bool = True) -> Path:
    """The whole corpus in ``dest`` (a fresh directory); returns ``dest``."""
    shutil.copytree(FILES, dest, dirs_exist_ok=True)
    if big:
        big_text(dest / "big-20mb.txt")
        one_line(dest / "one-line-1mb.txt")
    nested_html(dest / "html-nested.html")
    for name in ("with space.txt", "new\nline.txt", "Київ — звіт №1.txt"):
        (dest / name).write_text(f"{name.splitlines()[0]}: {EN}", encoding="utf-8")
    loop = dest / "zz-loop"
    loop.mkdir()
    (loop / "inner.txt").write_text("Inside the loop directory: " + EN, encoding="utf-8")
    os.symlink("..", loop / "back-to-parent")
    os.symlink("self.txt", loop / "self.txt")  # a symlink pointing at itself
    return dest


def add_unreadable(dest: Path) -> Path:
    """A file and a directory with mode 000 (root still reads them: callers must check ``os.geteuid()``)."""
    locked = dest / "locked.txt"
    locked.write_text("Nobody may read this: " + EN, encoding="utf-8")
    locked.chmod(0)
    locked_dir = dest / "locked-dir"
    locked_dir.mkdir()
    (locked_dir / "inside.txt").write_text(EN, encoding="utf-8")
    locked_dir.chmod(0)
    return dest


if __name__ == "__main__":
    if FILES.exists():
        shutil.rmtree(FILES)
    write_small(FILES)
    print(f"wrote {len(small_fixtures())} fixtures to {FILES}")
