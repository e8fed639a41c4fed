"""Numbered, explained errors. Every error the user can see has a code, so docs and issues can refer to it."""

from __future__ import annotations


class DiscernError(Exception):
    """Base error: ``code`` is a stable identifier such as ``E101``; ``message`` says what went wrong."""

    def __init__(self, code: str, message: str):
        super().__init__(f"[{code}] {message}")
        self.code = code
        self.message = message


class ConfigError(DiscernError):
    """A setting is unknown, mistyped or malformed (E2xx)."""


class PipelineError(DiscernError):
    """Components are missing, unknown, or in an order that leaves a requirement unmet (E3xx)."""


class StoreError(DiscernError):
    """The store cannot be opened or written: no such store, a full disk, a lock held too long (E6xx)."""


class ReadError(DiscernError):
    """A file could not be read as a document (E1xx). ``path`` names the file."""

    def __init__(self, code: str, path: str, reason: str):
        super().__init__(code, f"{path}: {reason}")
        self.path = path
        self.reason = reason


# Codes used across the package, with the explanation shown in docs/errors.md.
CODES = {
    "E001": "Document text must be a str.",
    "E002": "Unknown annotation layer.",
    "E003": "An annotation layer was given records of the wrong type.",
    "E004": "A serialised document's id does not match the sha256 of its normalised text.",
    "E005": "An annotation's offsets lie outside the text, or its text differs from the text at its offsets.",
    "E006": "The text holds a lone surrogate code point (from bad decoding); it cannot be written as UTF-8.",
    "E007": "The text holds a NUL character; the readers, the web API and Analyzer given a str replace it with "
    "U+FFFD, Document refuses it.",
    "E101": "The file does not exist, cannot be opened, or is no regular file (a FIFO or device met in a "
    "directory walk).",
    "E102": "The file is empty or holds only whitespace.",
    "E103": "The file is binary (an image, archive, PDF or other non-text data).",
    "E104": "The bytes could not be decoded as text in any supported encoding (in a table file: one line).",
    "E105": "The file extension is not a supported input type.",
    "E106": "A JSON record is not valid JSON, not an object, nested too deep, holds a number of thousands of "
    "digits or a lone surrogate escape.",
    "E107": "A CSV or JSONL record has no text column (see readers.table.text_fields).",
    "E108": "The HTML page has no extractable main text.",
    "E109": "The feed could not be parsed or has no entries.",
    "E110": "A URL fetch failed, timed out or exceeded the size limit.",
    "E111": "The file (in a JSONL or CSV file: one line) exceeds readers.max_bytes; a .json array must fit whole.",
    "E112": "A directory could not be walked (permission denied, symlink loop).",
    "E113": "A control-map file cannot be read: not JSON, not GeoJSON, no date in its name or properties, or a "
    "geometry that make_valid cannot repair (docs/control-maps.md).",
    "E201": "Unknown setting.",
    "E202": "A setting has the wrong type.",
    "E203": "A configuration file could not be read or parsed.",
    "E204": "The sides table (compare.sides_file) cannot be read or has a malformed row.",
    "E205": "A setting's value is outside its allowed range (a count below 1, a threshold above 1, an unknown model).",
    "E206": "A date given as an option or a filter is not a whole calendar date (YYYY-MM-DD).",
    "E207": "A filter value is not one of those allowed (e.g. a map verdict that does not exist).",
    "E301": "Unknown component name.",
    "E302": "A component requires an attribute that no earlier component assigns.",
    "E303": "A component was listed twice.",
    "E401": "A model's files (weights or tokenizer) are missing or cannot be loaded.",
    "E402": "An unknown model name was configured.",
    "E501": "A component raised on one document in a batch run; the run went on without it and a rerun retries it.",
    "E601": "The store cannot be written: the disk is full or the store is read-only; the batch was rolled back.",
    "E602": "The store stayed locked by another writer past the wait and its retries; nothing of the batch was "
    "written.",
    "E603": "The database refused one document (a value it cannot hold); the rest of its batch was stored.",
    "E604": "A re-analysis would drop stored layers that the new pipeline does not produce; the stored analysis "
    "was kept (use --replace).",
    "E605": "No store exists at the given path; commands that only read never create one.",
}
