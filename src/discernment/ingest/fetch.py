"""Fetching a feed URL safely: a total deadline, a size limit, and no private, loopback or link-local addresses.

A malformed URL (a port out of range, an unclosed ``[``, a DNS label over 63 characters...) is an E110 read
error like any other refusal, never an exception of another kind, so the other inputs of a run are still read.
"""

from __future__ import annotations

import ipaddress
import socket
import threading
import time
from dataclasses import dataclass
from urllib.parse import urlparse

from ..errors import ReadError

# IPv6 prefixes that carry an IPv4 address in their last 32 bits: NAT64 (RFC 6052, and the local-use prefix of
# RFC 8215) and the deprecated IPv4-compatible form ::a.b.c.d (RFC 4291). 6to4, Teredo and IPv4-mapped
# addresses are unpacked by the ipaddress module itself.
_LAST_32_BITS = (ipaddress.ip_network("64:ff9b::/96"), ipaddress.ip_network("64:ff9b:1::/48"),
                 ipaddress.ip_network("::/96"))


def _parse(url: str) -> tuple[str, str, int | None]:
    """(scheme, host, port) of an http(s) URL; E110 for anything malformed or of another scheme."""
    try:
        parts = urlparse(url)
        hostname, port = parts.hostname, parts.port
    except ValueError as err:  # "Invalid IPv6 URL", "Port out of range 0-65535", a non-numeric port
        raise ReadError("E110", url, f"malformed URL: {err}") from None
    if parts.scheme not in ("http", "https") or not hostname:
        raise ReadError("E110", url, "only http and https URLs can be fetched")
    if port == 0:
        raise ReadError("E110", url, "malformed URL: port 0")
    if any(ch.isspace() or ord(ch) < 32 or ch in "\\<>\"^`{|}" for ch in hostname):
        raise ReadError("E110", url, "malformed URL: invalid characters in the host name")
    try:
        ipaddress.ip_address(hostname.split("%")[0])
    except ValueError:  # a name, not an address literal: every label 1-63 characters, 253 in all
        try:
            encoded = hostname.rstrip(".").encode("idna")
        except UnicodeError:
            encoded = b""
        if not encoded or len(encoded) > 253 or any(not 0 < len(label) < 64 for label in encoded.split(b".")):
            raise ReadError("E110", url, "malformed URL: invalid host name (each dot-separated label must be "
                                         "1 to 63 characters, the whole name at most 253)") from None
    return parts.scheme, hostname, port


def embedded_ipv4(address: ipaddress.IPv4Address | ipaddress.IPv6Address) -> ipaddress.IPv4Address | None:
    """The IPv4 address an IPv6 address carries (IPv4-mapped, 6to4, Teredo client, NAT64, IPv4-compatible)."""
    if address.version != 6:
        return None
    if address.ipv4_mapped is not None:
        return address.ipv4_mapped
    if address.sixtofour is not None:
        return address.sixtofour
    if address.teredo is not None:
        return address.teredo[1]
    for network in _LAST_32_BITS:
        if address in network:
            return ipaddress.IPv4Address(int(address) & 0xFFFFFFFF)
    return None


def is_public_address(address: ipaddress.IPv4Address | ipaddress.IPv6Address) -> bool:
    """Global unicast, and so is any IPv4 address embedded in it (``64:ff9b::7f00:1`` is loopback in disguise)."""
    if not address.is_global or address.is_multicast:
        return False
    inner = embedded_ipv4(address)
    return inner is None or (inner.is_global and not inner.is_multicast)


def check_public_url(url: str, allow_private: bool = False) -> str | None:
    """Raise E110 unless ``url`` is a well-formed http(s) URL and every address its host resolves to is public.

    Returns the first checked address (None when private addresses are allowed), so the caller can connect to
    that very address rather than resolve the name again (a second answer could point elsewhere: DNS rebinding).
    """
    scheme, hostname, port = _parse(url)
    if allow_private:
        return None
    try:
        infos = socket.getaddrinfo(hostname, port or (443 if scheme == "https" else 80))
    except (OSError, UnicodeError, ValueError) as err:  # gaierror is an OSError; idna failures are UnicodeErrors
        raise ReadError("E110", url, f"cannot resolve host: {err}") from None
    addresses = []
    for info in infos:
        address = ipaddress.ip_address(info[4][0].split("%")[0])
        if not is_public_address(address):
            inner = embedded_ipv4(address)
            shown = f"{address} (which embeds {inner})" if inner is not None and address.is_global else str(address)
            raise ReadError("E110", url, f"refusing to fetch from non-public address {shown} "
                                         "(set readers.url.allow_private = true to allow)")
        addresses.append(str(address))
    if not addresses:
        raise ReadError("E110", url, "cannot resolve host: no addresses")
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


class _Deadline:
    """Cuts a fetch off at its deadline whatever stage it is in (connect, headers, body).

    httpx's timeout bounds each socket operation, so a server trickling a byte at a time could hold a fetch for
    ever. httpcore reports each connection it opens to the ``trace`` callback; a timer shuts that socket down
    when the time is up, which ends whatever read is waiting on it.
    """

    def __init__(self, seconds: float):
        self.seconds = seconds
        self.end = time.monotonic() + seconds
        self.expired = False
        self._streams: list = []
        self._lock = threading.Lock()
        self._timer = threading.Timer(seconds, self._expire)
        self._timer.daemon = True

    def __enter__(self) -> "_Deadline":
        self._timer.start()
        return self

    def __exit__(self, *exc) -> None:
        self._timer.cancel()

    def left(self) -> float:
        return self.end - time.monotonic()

    @property
    def passed(self) -> bool:
        return self.expired or self.left() <= 0

    def trace(self, name: str, info: dict) -> None:
        stream = info.get("return_value") if name.endswith(".complete") else None
        if stream is None or not hasattr(stream, "get_extra_info"):
            return
        with self._lock:
            self._streams.append(stream)
            expired = self.expired
        if expired:
            self._shut(stream)

    def _expire(self) -> None:
        with self._lock:
            self.expired = True
            streams = list(self._streams)
        for stream in streams:
            self._shut(stream)

    @staticmethod
    def _shut(stream) -> None:
        try:
            sock = stream.get_extra_info("socket")
            if sock is not None:
                socket.socket.shutdown(sock, socket.SHUT_RDWR)  # the plain socket's method, for TLS ones too
        except (OSError, ValueError):
            pass


def fetch_url(url: str, timeout: float, max_bytes: int, allow_private: bool = False) -> bytes:
    """The body of ``url``; raise E110 on refusal, error status, a body over ``max_bytes``, or when the whole
    fetch (connect, headers and body together) takes longer than ``timeout`` seconds."""
    fetched = fetch_conditional(url, timeout, max_bytes, allow_private)
    if fetched.status != 200:  # nothing was asked conditionally: a 304 is the server's error
        raise ReadError("E110", url, f"HTTP status {fetched.status}")
    return fetched.body


@dataclass(frozen=True)
class Fetched:
    """What a conditional fetch got: ``status`` 200 with the ``body``, or 304 (nothing changed, empty body), and
    the validators to send next time (``etag``, ``last_modified``: the response's, else None)."""

    status: int
    body: bytes
    etag: str | None = None
    last_modified: str | None = None

    @property
    def not_modified(self) -> bool:
        return self.status == 304


def fetch_conditional(url: str, timeout: float, max_bytes: int, allow_private: bool = False,
                      etag: str | None = None, last_modified: str | None = None) -> Fetched:
    """``fetch_url`` with a conditional request: sends If-None-Match / If-Modified-Since when ``etag`` /
    ``last_modified`` are given, and returns the status (200, or 304 for "not modified") with the response's
    validators. The same safety as ``fetch_url``: the total deadline, the size limit, no private addresses unless
    allowed, no redirects; any other status is E110."""
    import httpx

    too_slow = f"took longer than {timeout:g} s (readers.url.timeout)"
    conditions = {}
    if etag:
        conditions["If-None-Match"] = etag
    if last_modified:
        conditions["If-Modified-Since"] = last_modified
    with _Deadline(timeout) as deadline:
        address = check_public_url(url, allow_private)
        if deadline.passed:
            raise ReadError("E110", url, too_slow)
        target, headers, extensions = (url, {}, {}) if address is None else _pinned(url, address)
        limits = httpx.Timeout(timeout, connect=max(0.01, deadline.left()))
        try:
            with httpx.Client(timeout=limits, follow_redirects=False) as client:
                with client.stream("GET", target, headers={"User-Agent": "discernment", **conditions, **headers},
                                   extensions={**extensions, "trace": deadline.trace}) as response:
                    if deadline.passed:
                        raise ReadError("E110", url, too_slow)
                    if response.status_code not in (200, 304):
                        raise ReadError("E110", url, f"HTTP status {response.status_code}")
                    validators = {"etag": response.headers.get("etag") or None,
                                  "last_modified": response.headers.get("last-modified") or None}
                    if response.status_code == 304:
                        # A 304 may leave out the validators; the ones sent are still current.
                        return Fetched(304, b"", validators["etag"] or etag,
                                       validators["last_modified"] or last_modified)
                    chunks, size = [], 0
                    for chunk in response.iter_bytes():
                        if deadline.passed:
                            raise ReadError("E110", url, too_slow)
                        size += len(chunk)
                        if size > max_bytes:
                            raise ReadError("E110", url,
                                            f"response larger than {max_bytes:,} bytes (readers.url.max_bytes)")
                        chunks.append(chunk)
                    if deadline.passed:
                        raise ReadError("E110", url, too_slow)
                    return Fetched(200, b"".join(chunks), **validators)
        except ReadError:
            raise
        except (httpx.HTTPError, httpx.InvalidURL, httpx.StreamError, OSError, ValueError, UnicodeError) as err:
            if deadline.passed:
                raise ReadError("E110", url, too_slow) from None
            raise ReadError("E110", url, f"fetch failed: {err}") from None
