"""Bytes to text: byte-order marks, strict UTF-8, BOM-less UTF-16, then legacy Cyrillic code pages.

Russian and Ukrainian sources still arrive as cp1251 or koi8-r; charset-normalizer tells them apart when it is
confident, and the configured fallbacks are tried in order otherwise. Binary data (images, archives, PDFs,
compressed text) is refused with E103 rather than decoded into noise.
"""

from __future__ import annotations

import codecs

from ..errors import ReadError

_MAGIC = {
    b"\x89PNG": "PNG image",
    b"%PDF": "PDF document",
    b"PK\x03\x04": "ZIP archive",
    b"PK\x05\x06": "ZIP archive",
    b"\x1f\x8b": "gzip-compressed data",
    b"BZh": "bzip2-compressed data",
    b"\xfd7zXZ": "xz-compressed data",
    b"7z\xbc\xaf": "7-Zip archive",
    b"\xff\xd8\xff": "JPEG image",
    b"GIF8": "GIF image",
    b"\x7fELF": "ELF executable",
    b"\xd0\xcf\x11\xe0": "MS Office document",
    b"RIFF": "RIFF media file",
    b"\x00\x00\x01\x00": "icon file",
    b"SQLite format 3": "SQLite database",
}

_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)


def sniff_binary(data: bytes) -> str | None:
    """A description of the binary format of ``data``, or None when it may be text."""
    for magic, kind in _MAGIC.items():
        if data.startswith(magic):
            return kind
    return None


def _utf16_without_bom(sample: bytes) -> str | None:
    """Guess BOM-less UTF-16 from its byte pairs: text in one script keeps the high byte of every pair in a
    handful of values (0x00 for Latin, 0x04 for Cyrillic), while the low bytes vary."""
    sample = sample[: len(sample) // 2 * 2]
    if len(sample) < 8:
        return None
    even, odd = sample[0::2], sample[1::2]
    for name, high, low in (("utf-16-le", odd, even), ("utf-16-be", even, odd)):
        top = _share_of_commonest(high, 2)
        if top > 0.9 and _share_of_commonest(low, 2) < 0.6 and (0 in high or 4 in high):
            try:
                decoded = sample.decode(name)
            except UnicodeDecodeError:
                continue
            if not _looks_binary(decoded):
                return name
    return None


def _share_of_commonest(data: bytes, n: int) -> float:
    counts = sorted((data.count(b) for b in set(data)), reverse=True)
    return sum(counts[:n]) / len(data)


def detect_encoding(sample: bytes, fallbacks: list[str] | tuple[str, ...] = ("cp1251", "koi8-r", "latin-1"),
                    complete: bool = True) -> tuple[str, int]:
    """The encoding of a byte sample and the number of BOM bytes to skip.

    ``complete`` says whether ``sample`` is the whole file (a truncated sample may end mid-character).
    """
    for bom, name in _BOMS:
        if sample.startswith(bom):
            return name, len(bom)
    utf16 = _utf16_without_bom(sample[:4096])
    if utf16:
        return utf16, 0
    try:
        sample.decode("utf-8")
        return "utf-8", 0
    except UnicodeDecodeError as err:
        if not complete and err.start >= len(sample) - 3:
            return "utf-8", 0  # only the truncated tail is incomplete
    return _legacy_encoding(sample, fallbacks), 0


def _legacy_encoding(sample: bytes, fallbacks) -> str:
    from charset_normalizer import from_bytes

    candidates = [c for c in fallbacks if c != "latin-1"]
    best = from_bytes(sample[:65536], cp_isolation=candidates or None).best() if candidates else None
    if best is not None and best.encoding:
        return codecs.lookup(best.encoding).name
    for name in fallbacks:
        try:
            sample.decode(name)
            return name
        except UnicodeDecodeError:
            continue
    raise UnicodeDecodeError("unknown", sample[:1], 0, 1, "no supported encoding fits")


def decode_bytes(data: bytes, path: str, fallbacks=("cp1251", "koi8-r", "latin-1")) -> str:
    """Decode a whole file's bytes; raise ReadError E103 (binary) or E104 (undecodable)."""
    kind = sniff_binary(data)
    if kind:
        raise ReadError("E103", path, f"binary file ({kind}), not text")
    try:
        encoding, skip = detect_encoding(data, fallbacks)
        text = data[skip:].decode(encoding)
    except (UnicodeDecodeError, LookupError) as err:
        raise ReadError("E104", path, f"cannot decode bytes as text: {err}") from None
    if _looks_binary(text):
        raise ReadError("E103", path, "binary file (control characters), not text")
    return text


def _looks_binary(text: str) -> bool:
    """Text with many control characters (other than tab/newline/carriage return/form feed) is not prose."""
    sample = text[:8192]
    if not sample:
        return False
    controls = sum(1 for ch in sample if ord(ch) < 32 and ch not in "\t\n\r\f\v")
    return controls > max(8, len(sample) // 10)
