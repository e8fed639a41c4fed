"""The server's defences: security headers, a request body limit, Host checks and the write token.

The middlewares are plain ASGI so they wrap every route, static files and errors included.
"""

from __future__ import annotations

import hmac
import json

from fastapi import HTTPException, Request

from .settings import WebSettings

CONTENT_SECURITY_POLICY = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; "
    "font-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'"
)
SECURITY_HEADERS = [
    (b"content-security-policy", CONTENT_SECURITY_POLICY.encode()),
    (b"x-content-type-options", b"nosniff"),
    (b"x-frame-options", b"DENY"),
    (b"referrer-policy", b"no-referrer"),
    (b"cross-origin-opener-policy", b"same-origin"),
    (b"cross-origin-resource-policy", b"same-origin"),
    (b"permissions-policy", b"geolocation=(), camera=(), microphone=()"),
]


async def _send_json(send, status: int, message: str) -> None:
    body = json.dumps({"detail": message}).encode()
    await send({"type": "http.response.start", "status": status,
                "headers": [(b"content-type", b"application/json"), (b"content-length", str(len(body)).encode()),
                            *SECURITY_HEADERS]})
    await send({"type": "http.response.body", "body": body})


class SecurityHeadersMiddleware:
    """Adds CSP (no inline script, nothing from other origins) and the usual hardening headers to every response."""

    def __init__(self, app):
        self.app = app

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http":
            return await self.app(scope, receive, send)

        async def send_with_headers(message):
            if message["type"] == "http.response.start":
                names = {k.lower() for k, _ in message.get("headers", [])}
                message["headers"] = list(message.get("headers", [])) + [
                    (k, v) for k, v in SECURITY_HEADERS if k not in names]
            await send(message)

        await self.app(scope, receive, send_with_headers)


class BodyLimitMiddleware:
    """413 for a request whose declared or actual body exceeds ``max_bytes`` (chunked bodies are counted).

    When a streamed body runs over, the 413 is sent at once, the app is told the client disconnected, and
    whatever the app still tries to send is dropped.
    """

    def __init__(self, app, max_bytes: int):
        self.app = app
        self.max_bytes = max_bytes

    def _message(self) -> str:
        return f"request body over the limit of {self.max_bytes:,} bytes (web.max_body_bytes)"

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http":
            return await self.app(scope, receive, send)
        declared = dict(scope.get("headers") or []).get(b"content-length")
        if declared is not None:
            try:
                too_big = int(declared) > self.max_bytes
            except ValueError:
                return await _send_json(send, 400, "invalid Content-Length header")
            if too_big:
                return await _send_json(send, 413, self._message())
        seen = 0
        started = False
        refused = False

        async def counting_receive():
            nonlocal seen, refused
            if refused:
                return {"type": "http.disconnect"}
            message = await receive()
            if message["type"] == "http.request":
                seen += len(message.get("body", b""))
                if seen > self.max_bytes:
                    refused = True
                    if not started:
                        await _send_json(send, 413, self._message())
                    return {"type": "http.disconnect"}
            return message

        async def guarded_send(message):
            nonlocal started
            if refused:
                return
            if message["type"] == "http.response.start":
                started = True
            await send(message)

        await self.app(scope, counting_receive, guarded_send)


class HostCheckMiddleware:
    """On a loopback-bound server, refuse (421) requests whose Host is not a loopback address or name, or one of
    ``[web] allowed_hosts`` (DNS rebinding: a hostile site re-pointing its own name at 127.0.0.1)."""

    def __init__(self, app, settings: WebSettings):
        self.app = app
        self.settings = settings

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http" or not self.settings.loopback:
            return await self.app(scope, receive, send)
        host = dict(scope.get("headers") or []).get(b"host", b"").decode("latin-1")
        if host and not self.settings.host_allowed(_hostname(host)):
            return await _send_json(send, 421, "this server only answers requests addressed to a loopback host "
                                               "(or one named in web.allowed_hosts)")
        await self.app(scope, receive, send)


def _hostname(host_header: str) -> str:
    """The host part of a Host header: ``[::1]:8000`` -> ``::1``, ``localhost:8000`` -> ``localhost``."""
    if host_header.startswith("["):
        return host_header[1:host_header.find("]")] if "]" in host_header else host_header
    return host_header.rsplit(":", 1)[0] if host_header.count(":") == 1 else host_header


def presented_token(request: Request) -> str | None:
    auth = request.headers.get("authorization", "")
    if auth.lower().startswith("bearer "):
        return auth[7:].strip()
    return request.headers.get("x-discern-token")


def require_write_access(request: Request) -> None:
    """Dependency for analyze, ingest and delete: a token when one is configured or the server is not loopback.

    Without a token (loopback only), a browser request from another origin is refused, so a web page the
    user visits cannot make their local server write (CSRF).
    """
    settings: WebSettings = request.app.state.settings
    if settings.token:
        given = presented_token(request)
        if not given or not hmac.compare_digest(given.encode(), settings.token.encode()):
            raise HTTPException(401, "this endpoint needs the server's token "
                                     "(Authorization: Bearer TOKEN or X-Discern-Token)",
                                headers={"WWW-Authenticate": "Bearer"})
        return
    if not settings.loopback:
        raise HTTPException(403, "write endpoints are disabled: the server is bound to a non-loopback address "
                                 "and no token is configured (discern serve --token, or $" + settings.token_env + ")")
    origin = request.headers.get("origin")
    if origin is not None and _origin_netloc(origin) != request.headers.get("host", ""):
        raise HTTPException(403, f"cross-origin write refused (Origin: {origin[:100]})")


def _origin_netloc(origin: str) -> str:
    from urllib.parse import urlparse

    try:
        return urlparse(origin).netloc
    except ValueError:
        return ""
