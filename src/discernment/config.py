"""Settings: one commented defaults file, a user file, then ``--set`` overrides, each naming only its keys."""

from __future__ import annotations

import copy
import os
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


class Config:
    """Flat, dotted view of the settings (``config["spacy.model"]``) with type checks against the defaults."""

    def __init__(self, values: dict[str, Any]):
        self._values = values

    @classmethod
    def defaults(cls) -> "Config":
        text = resources.files("discernment").joinpath("default.toml").read_text(encoding="utf-8")
        return cls(_flatten(tomllib.loads(text)))

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
        values = copy.deepcopy(self._values)
        for key, value in changes.items():
            if key not in values:
                raise ConfigError("E201", f"unknown setting {key!r} (from {origin})")
            default = values[key]
            if isinstance(default, float) and isinstance(value, int) and not isinstance(value, bool):
                value = float(value)
            if default is not None and type(value) is not type(default):
                raise ConfigError(
                    "E202",
                    f"setting {key!r} (from {origin}) must be {type(default).__name__}, got {type(value).__name__}",
                )
            values[key] = value
        return Config(values)

    def __getitem__(self, key: str) -> Any:
        try:
            return self._values[key]
        except KeyError:
            raise ConfigError("E201", f"unknown setting {key!r}") from None

    def section(self, prefix: str) -> dict[str, Any]:
        """All settings under ``prefix.`` with the prefix removed."""
        p = prefix + "."
        return {k[len(p):]: v for k, v in self._values.items() if k.startswith(p)}

    def to_dict(self) -> dict[str, Any]:
        return copy.deepcopy(self._values)
