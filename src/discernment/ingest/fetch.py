"""Fetching a feed URL safely: a timeout, a size limit, and no private, loopback or link-local addresses."""

from __future__ import annotations

import ipaddress
import socket
from urllib.parse import urlparse

from ..errors import ReadError


def check_public_url(url: str, allow_private: bool = False) -> str | None:
    """Raise E110 unless ``url`` is http(s) and every address its host resolves to is public.

    Returns the first checked address (None when private addresses are allowed), so the caller can connect to
    that very address rather than resolve the name again (a second answer could point elsewhere: DNS rebinding).
    """
    parts = urlparse(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise ReadError("E110", url, "only http and https URLs can be fetched")
    if allow_private:
        return None
    try:
        infos = socket.getaddrinfo(parts.hostname, parts.port or (443 if parts.scheme == "https" else 80))
    except socket.gaierror as err:
        raise ReadError("E110", url, f"cannot resolve host: {err}") from None
    addresses = []
    for info in infos:
        address = ipaddress.ip_address(info[4][0].split("%")[0])
        if not address.is_global or address.is_multicast:
            raise ReadError("E110", url, f"refusing to fetch from non-public address {address} "
                                         "(set readers.url.allow_private = true to allow)")
        addresses.append(str(address))
    return addresses[0]


def _pinned(url: str, address: str) -> tuple[str, dict[str, str], dict[str, str]]:
    """``url`` with its host replaced by the checked ``address``, the Host header and TLS server name to send."""
    parts = urlparse(url)
    host = f"[{address}]" if ":" in address else address
    port = f":{parts.port}" if parts.port else ""
    userinfo = parts.netloc.rpartition("@")[0]
    netloc = f"{userinfo}@{host}{port}" if userinfo else f"{host}{port}"
    name = parts.hostname if ":" not in parts.hostname else f"[{parts.hostname}]"
    return parts._replace(netloc=netloc).geturl(), {"Host": f"{name}{port}"}, {"sni_hostname": parts.hostname}


def fetch_url(url: str, timeout: float, max_bytes: int, allow_private: bool = False) -> bytes:
    """The body of ``url``; raise E110 on refusal, error status, timeout or a body over ``max_bytes``."""
    import httpx

    address = check_public_url(url, allow_private)
    target, headers, extensions = (url, {}, {}) if address is None else _pinned(url, address)
    try:
        with httpx.Client(timeout=timeout, follow_redirects=False) as client:
            with client.stream("GET", target, headers={"User-Agent": "discernment", **headers},
                               extensions=extensions) as response:
                if response.status_code != 200:
                    raise ReadError("E110", url, f"HTTP status {response.status_code}")
                chunks, size = [], 0
                for chunk in response.iter_bytes():
                    size += len(chunk)
                    if size > max_bytes:
                        raise ReadError("E110", url, f"response larger than {max_bytes:,} bytes (readers.url.max_bytes)")
                    chunks.append(chunk)
                return b"".join(chunks)
    except httpx.HTTPError as err:
        raise ReadError("E110", url, f"fetch failed: {err}") from None
