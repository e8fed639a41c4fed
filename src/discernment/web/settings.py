"""The web server's settings: the ``[web]`` section of the config, plus what ``discern serve`` was given."""

from __future__ import annotations

import ipaddress
import os
from dataclasses import dataclass, replace

from ..config import Config

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


@dataclass(frozen=True)
class WebSettings:
    host: str = "127.0.0.1"
    port: int = 8000
    max_body_bytes: int = 5_000_000
    page_size: int = 50
    max_page_size: int = 500
    max_export_rows: int = 100_000
    token_env: str = "DISCERN_WEB_TOKEN"
    token: str | None = None  # resolved: --token, else $token_env, else None
    url_timeout: float = 10.0
    url_max_bytes: int = 5_000_000
    allowed_hosts: tuple[str, ...] = ()  # extra Host names a loopback-bound server answers (lower case)

    @classmethod
    def from_config(cls, config: Config | None = None, **given) -> "WebSettings":
        """Settings from ``[web]`` (and ``[readers.url]`` for fetch limits); keyword values that are not None win."""
        config = config or Config.load()
        web = config.section("web")
        values = {k: v for k, v in web.items() if k in cls.__dataclass_fields__}
        values["url_timeout"] = config["readers.url.timeout"]
        values["url_max_bytes"] = config["readers.url.max_bytes"]
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
