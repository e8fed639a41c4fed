"""The web server's settings: the ``[web]`` section of the config, plus what ``discern serve`` was given."""

from __future__ import annotations

import ipaddress
import os
from dataclasses import dataclass, replace

from ..config import Config, defaults

LOOPBACK_NAMES = frozenset({"localhost", "localhost.localdomain", "ip6-localhost"})


def is_loopback_host(host: str) -> bool:
    """True for 127.0.0.0/8, ::1 and the usual names for them; False for 0.0.0.0, :: and anything else."""
    host = host.strip().strip("[]").lower()
    if host in LOOPBACK_NAMES:
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def normalise_hosts(hosts) -> tuple[str, ...]:
    """``[web] allowed_hosts`` as lower-case names without brackets or a trailing dot; ConfigError if not strings."""
    if isinstance(hosts, str) or not all(isinstance(h, str) for h in hosts):
        from ..errors import ConfigError

        raise ConfigError("E202", f"setting 'web.allowed_hosts' must be a list of host names, got {hosts!r}")
    return tuple(h.strip().strip("[]").rstrip(".").lower() for h in hosts if h.strip())


_WEB, _URL = defaults("web"), defaults("readers.url")  # every default is written in default.toml


@dataclass(frozen=True)
class WebSettings:
    host: str = _WEB.host
    port: int = _WEB.port
    max_body_bytes: int = _WEB.max_body_bytes
    page_size: int = _WEB.page_size
    max_page_size: int = _WEB.max_page_size
    max_export_rows: int = _WEB.max_export_rows
    token_env: str = _WEB.token_env
    token: str | None = None  # resolved: --token, else $token_env, else None
    url_timeout: float = _URL.timeout
    url_max_bytes: int = _URL.max_bytes
    allowed_hosts: tuple[str, ...] = tuple(_WEB.allowed_hosts)  # extra Host names a loopback-bound server answers

    @classmethod
    def from_config(cls, config: Config | None = None, **given) -> "WebSettings":
        """Settings from ``[web]`` (and ``[readers.url]`` for fetch limits); keyword values that are not None win."""
        config = config or Config.load()
        web = config.settings("web")
        values = {k: getattr(web, k) for k in cls.__dataclass_fields__ if k in type(web).model_fields}
        url = config.settings("readers.url")
        values["url_timeout"], values["url_max_bytes"] = url.timeout, url.max_bytes
        values.update({k: v for k, v in given.items() if v is not None})
        settings = cls(**values)
        if settings.token is None and settings.token_env:
            settings = replace(settings, token=os.environ.get(settings.token_env) or None)
        return settings

    def __post_init__(self):
        object.__setattr__(self, "allowed_hosts", normalise_hosts(self.allowed_hosts))

    @property
    def loopback(self) -> bool:
        return is_loopback_host(self.host)

    def host_allowed(self, host: str) -> bool:
        """Whether a loopback-bound server answers a request whose Host header names ``host`` (port removed):
        a loopback address or name, or one of ``[web] allowed_hosts``. Nothing else, so a page on another
        site whose name an attacker re-points at 127.0.0.1 (DNS rebinding) cannot read or write."""
        return is_loopback_host(host) or host.strip().strip("[]").rstrip(".").lower() in self.allowed_hosts

    @property
    def writes_allowed_without_token(self) -> bool:
        """Writes need no token only on a loopback-bound server with no token configured."""
        return self.loopback and not self.token
