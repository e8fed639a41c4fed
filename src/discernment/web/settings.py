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

    @property
    def loopback(self) -> bool:
        return is_loopback_host(self.host)

    @property
    def writes_allowed_without_token(self) -> bool:
        """Writes need no token only on a loopback-bound server with no token configured."""
        return self.loopback and not self.token
