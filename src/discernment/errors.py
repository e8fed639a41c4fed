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
    "E101": "The file does not exist or cannot be opened.",
    "E102": "The file is empty or holds only whitespace.",
    "E103": "The file is binary (an image, archive, PDF or other non-text data).",
    "E104": "The bytes could not be decoded as text in any supported encoding.",
    "E105": "The file extension is not a supported input type.",
    "E106": "A JSONL line is not valid JSON or not an object.",
    "E107": "A CSV or JSONL record has no text column (see readers.table.text_fields).",
    "E108": "The HTML page has no extractable main text.",
    "E109": "The feed could not be parsed or has no entries.",
    "E110": "A URL fetch failed, timed out or exceeded the size limit.",
    "E111": "The file exceeds readers.max_bytes.",
    "E112": "A directory could not be walked (permission denied, symlink loop).",
    "E201": "Unknown setting.",
    "E202": "A setting has the wrong type.",
    "E203": "A configuration file could not be read or parsed.",
    "E204": "The sides table (compare.sides_file) cannot be read or has a malformed row.",
    "E301": "Unknown component name.",
    "E302": "A component requires an attribute that no earlier component assigns.",
    "E303": "A component was listed twice.",
    "E401": "A model's files (weights or tokenizer) are missing or cannot be loaded.",
    "E402": "An unknown model name was configured.",
    "E501": "A component raised on one document in a batch run; the run went on without it and a rerun retries it.",
}
