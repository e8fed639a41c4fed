"""Settings: one commented defaults file, a user file, then ``--set`` overrides, each naming only its keys.

``default.toml`` is the only place a default is written. Each of its sections is also a typed pydantic model,
built from the file (a field per key, typed by its default value, bounded by its ``# range`` note), so every value
is validated by one model and components read typed attributes: ``config.settings("quotes").min_words``.
"""

from __future__ import annotations

import codecs
import copy
import functools
import os
import re
import tomllib
from importlib import resources
from pathlib import Path
from typing import Any, Iterable

from .errors import ConfigError


def _flatten(table: dict[str, Any], prefix: str = "") -> dict[str, Any]:
    out: dict[str, Any] = {}
    for key, value in table.items():
        name = f"{prefix}{key}"
        if isinstance(value, dict):
            out.update(_flatten(value, name + "."))
        else:
            out[name] = value
    return out


def _parse_value(raw: str) -> Any:
    """A --set value is read as TOML (numbers, booleans, arrays, quoted strings); otherwise a bare string."""
    try:
        return tomllib.loads(f"v = {raw}")["v"]
    except tomllib.TOMLDecodeError:
        return raw


# A numeric setting's allowed range is written beside it in default.toml: ``key = 16  # range 1..10000`` (an empty
# side is unbounded), so the one commented defaults file is also where users read the limits.
_RANGE = re.compile(r"^\s*([\w-]+)\s*=\s*[^#]*#\s*range\s+(-?[\d.]*)\s*\.\.\s*(-?[\d.]*)\s*$")
_SECTION = re.compile(r"^\s*\[([\w.-]+)\]\s*$")


def _ranges(text: str) -> dict[str, tuple[float | None, float | None]]:
    ranges, section = {}, ""
    for line in text.splitlines():
        head = _SECTION.match(line)
        if head:
            section = head.group(1) + "."
            continue
        m = _RANGE.match(line)
        if m:
            ranges[section + m.group(1)] = (float(m.group(2)) if m.group(2) else None,
                                           float(m.group(3)) if m.group(3) else None)
    return ranges


def _defaults_text() -> str:
    return resources.files("discernment").joinpath("default.toml").read_text(encoding="utf-8")


class Config:
    """Flat, dotted view of the settings (``config["spacy.model"]``) with type and range checks against the
    defaults file."""

    def __init__(self, values: dict[str, Any]):
        self._values = values

    @classmethod
    def defaults(cls) -> "Config":
        return cls(copy.deepcopy(_defaults_config()._values))

    @classmethod
    def load(cls, path: str | os.PathLike | None = None, overrides: Iterable[str] = ()) -> "Config":
        """Defaults, then the user file (``path`` or $DISCERN_CONFIG), then ``key=value`` overrides."""
        config = cls.defaults()
        path = path or os.environ.get("DISCERN_CONFIG") or None
        if path:
            try:
                user = tomllib.loads(Path(path).read_text(encoding="utf-8"))
            except (OSError, tomllib.TOMLDecodeError, UnicodeDecodeError) as err:
                raise ConfigError("E203", f"cannot read config file {path}: {err}") from err
            config = config.updated(_flatten(user), origin=str(path))
        parsed = {}
        for item in overrides:
            if "=" not in item:
                raise ConfigError("E202", f"--set expects section.key=value, got {item!r}")
            key, raw = item.split("=", 1)
            parsed[key.strip()] = _parse_value(raw.strip())
        return config.updated(parsed, origin="--set") if parsed else config

    def updated(self, changes: dict[str, Any], origin: str = "override") -> "Config":
        """These settings changed, each validated by its section's model (E201 unknown key, E202 wrong type,
        E205 out of its range or otherwise unusable)."""
        values = copy.deepcopy(self._values)
        for key, value in changes.items():
            if key not in values:
                raise ConfigError("E201", f"unknown setting {key!r} (from {origin})")
            section, name = key.rsplit(".", 1)
            if isinstance(values[key], float) and isinstance(value, int) and not isinstance(value, bool):
                value = float(value)
            _validate(section, name, value, key, origin)
            _check_value(key, value, origin)
            values[key] = value
        if values.get("web.page_size", 0) > values.get("web.max_page_size", 0):
            raise ConfigError("E205", f"setting 'web.page_size' ({values['web.page_size']}) must not exceed "
                                      f"'web.max_page_size' ({values['web.max_page_size']})")
        return Config(values)

    def __getitem__(self, key: str) -> Any:
        try:
            return self._values[key]
        except KeyError:
            raise ConfigError("E201", f"unknown setting {key!r}") from None

    def settings(self, section: str):
        """The section's values as its typed, frozen model (see :func:`settings_model`)."""
        own = {k: v for k, v in self.section(section).items() if "." not in k}  # nested tables have their own
        return settings_model(section).model_validate(own)

    def section(self, prefix: str) -> dict[str, Any]:
        """All settings under ``prefix.`` with the prefix removed."""
        p = prefix + "."
        return {k[len(p):]: v for k, v in self._values.items() if k.startswith(p)}

    def to_dict(self) -> dict[str, Any]:
        return copy.deepcopy(self._values)


def _validate(section: str, name: str, value: Any, key: str, origin: str) -> None:
    """One value against its field of the section's model: E202 for a wrong type, E205 for a value out of range."""
    from pydantic import ValidationError

    model = settings_model(section)
    try:
        model.__pydantic_validator__.validate_assignment(model.model_construct(), name, value)
    except ValidationError as err:
        first = err.errors()[0]
        kind = first["type"]
        if kind in ("greater_than_equal", "less_than_equal", "greater_than", "less_than"):
            low, high = allowed_ranges().get(key, (None, None))
            span = f"{_num(low)}..{_num(high)}" if low is not None and high is not None else (
                f"at least {_num(low)}" if low is not None else f"at most {_num(high)}")
            raise ConfigError("E205", f"setting {key!r} (from {origin}) is {value}; it must be {span}") from None
        from typing import get_origin

        field = model.model_fields[name].annotation
        expected = str(field).replace("typing.", "") if get_origin(field) else getattr(field, "__name__", str(field))
        got = f"{first.get('input')!r}" if first.get("loc", ())[1:] else type(value).__name__
        raise ConfigError("E202", f"setting {key!r} (from {origin}) must be {expected}, got {got}") from None


def _field_type(value: Any) -> Any:
    if isinstance(value, bool):
        return bool
    if isinstance(value, list):
        kinds = {type(v) for v in value} or {str}
        return list[kinds.pop()] if len(kinds) == 1 else list[Any]
    return type(value)


@functools.lru_cache(maxsize=None)
def _defaults_config() -> "Config":
    return Config(_flatten(tomllib.loads(_defaults_text())))


@functools.lru_cache(maxsize=None)
def settings_model(section: str):
    """A pydantic model of ``[section]`` of default.toml: one field per key (nested tables excluded), its type
    that of the default, its bounds the key's ``# range`` note, no other key allowed. Strict: a string is not
    taken for a number, except that an integer may stand for a float."""
    from pydantic import ConfigDict, Field, create_model

    defaults = _defaults_config().section(section)
    prefix = section + "."
    ranges = allowed_ranges()
    fields = {}
    for key, value in defaults.items():
        if "." in key:
            continue  # a nested table ([readers.table]) has its own model
        low, high = ranges.get(prefix + key, (None, None))
        kind = _field_type(value)
        fields[key] = (kind, Field(default=value, ge=low, le=high))
    if not fields:
        raise ConfigError("E201", f"unknown settings section {section!r}")
    name = "".join(part.title() for part in re.split(r"[._-]", section)) + "Settings"
    model = create_model(name, __config__=ConfigDict(extra="forbid", frozen=True, strict=True), **fields)
    model.__doc__ = f"The [{section}] settings of default.toml, typed."
    return model


def defaults(section: str):
    """The section's defaults as its typed model: what a settings class takes as its own defaults, so that each
    default is written once, in default.toml (``window_days: int = defaults("compare").window_days``)."""
    return _defaults_config().settings(section)


@functools.lru_cache(maxsize=1)
def allowed_ranges() -> dict[str, tuple[float | None, float | None]]:
    """Each numeric setting's (lowest, highest) value, from the ``# range`` notes in default.toml."""
    return _ranges(_defaults_text())


def _check_value(key: str, value: Any, origin: str) -> None:
    """E205 for a value of the right type that the program cannot use (a chunk of 0 characters, a threshold of
    5 where 0-1 is meant, an encoding Python does not know, an extension without its dot)."""
    low, high = allowed_ranges().get(key, (None, None))
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        if (low is not None and value < low) or (high is not None and value > high):
            span = f"{_num(low)}..{_num(high)}" if low is not None and high is not None else (
                f"at least {_num(low)}" if low is not None else f"at most {_num(high)}")
            raise ConfigError("E205", f"setting {key!r} (from {origin}) is {value}; it must be {span}")
    if key.startswith("readers.") and key.endswith("_extensions"):
        bad = [e for e in value if not (e.startswith(".") and len(e) > 1)]
        if bad:
            raise ConfigError("E205", f"setting {key!r} (from {origin}): {bad[0]!r} is not a file extension "
                                      "(write it with its dot, e.g. \".txt\")")
    if key == "readers.fallback_encodings":
        for name in value:
            try:
                codecs.lookup(name)
            except LookupError:
                raise ConfigError("E205", f"setting {key!r} (from {origin}): {name!r} is not an encoding "
                                          "Python knows") from None
    if key == "spacy.model" and not _installed_model(value):
        raise ConfigError("E205", f"setting {key!r} (from {origin}): {value!r} is neither an installed spaCy "
                                  "model package nor a model folder")


def _num(x: float | None) -> str:
    return "" if x is None else (str(int(x)) if float(x).is_integer() else str(x))


def _installed_model(name: str) -> bool:
    import importlib.util

    if Path(name).expanduser().is_dir():
        return True
    try:
        return importlib.util.find_spec(name) is not None
    except (ImportError, ValueError):
        return False
