"""The web app on uvicorn in a background thread: for notebooks, scripts and tests that need a live server in the
same process (``discern serve`` runs it in the foreground instead)."""

from __future__ import annotations

import socket
import threading
import time
from dataclasses import dataclass
from typing import Any


def free_port(host: str = "127.0.0.1") -> int:
    """A port nothing listens on right now (the OS picks it)."""
    with socket.socket() as sock:
        sock.bind((host, 0))
        return sock.getsockname()[1]


@dataclass
class BackgroundServer:
    """A running server: its base ``url``; ``stop()`` shuts it down and waits for the thread."""

    url: str
    server: Any
    thread: threading.Thread

    def stop(self, timeout: float = 15.0) -> None:
        self.server.should_exit = True
        self.thread.join(timeout=timeout)


def serve_in_background(app, host: str = "127.0.0.1", port: int | None = None, log_level: str = "warning",
                        start_timeout: float = 30.0) -> BackgroundServer:
    """Start ``app`` (from :func:`discernment.web.create_app`) on uvicorn in a daemon thread and wait until it
    accepts connections; raise RuntimeError when it has not started within ``start_timeout`` seconds."""
    import uvicorn

    port = port or free_port(host)
    server = uvicorn.Server(uvicorn.Config(app, host=host, port=port, log_level=log_level))
    thread = threading.Thread(target=server.run, daemon=True, name=f"discern-web-{port}")
    thread.start()
    deadline = time.monotonic() + start_timeout
    while not server.started and time.monotonic() < deadline and thread.is_alive():
        time.sleep(0.05)
    if not server.started:
        server.should_exit = True
        raise RuntimeError(f"the web server on {host}:{port} did not start within {start_timeout:.0f} s")
    return BackgroundServer(f"http://{host}:{port}", server, thread)
