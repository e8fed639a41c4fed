"""``discern serve``: the web UI and REST API on uvicorn. A thin wrapper over discernment.web.create_app."""

from __future__ import annotations

from pathlib import Path
from typing import List, Optional

import typer

from .cli import ConfigOpt, SetOpt, _config, _err, app
from .cli_store import DbOpt, open_store


@app.command()
def serve(
    db: Optional[str] = DbOpt,
    host: Optional[str] = typer.Option(None, "--host", help="Address to bind (default web.host, 127.0.0.1). "
                                       "Off loopback, writes need a token."),
    port: Optional[int] = typer.Option(None, "--port", min=0, max=65535, help="Port (default web.port, 8000)."),
    token: Optional[str] = typer.Option(None, "--token", help="Token required by the write endpoints "
                                        "(default: the variable named by web.token_env, DISCERN_WEB_TOKEN)."),
    config_file: Optional[Path] = ConfigOpt,
    overrides: List[str] = SetOpt,
) -> None:
    """Serve the web UI (reader, claim ledger, places, sources) and the REST API (/api, /openapi.json)."""
    import uvicorn

    from .web import WebSettings, create_app

    config = _config(config_file, overrides)
    settings = WebSettings.from_config(config, host=host, port=port, token=token)
    store = open_store(db)
    if not settings.loopback and not settings.token:
        _err(f"discern: warning: serving on {settings.host} without a token: analyze, ingest and delete are "
             f"disabled (set --token or ${settings.token_env})")
    elif not settings.loopback:
        _err(f"discern: serving on {settings.host}; write endpoints require the token")
    _err(f"discern: http://{_display_host(settings.host)}:{settings.port}/  (store: {store.shown_url})")
    uvicorn.run(create_app(store, settings, config), host=settings.host, port=settings.port,
                log_level="warning", server_header=False, proxy_headers=False)


def _display_host(host: str) -> str:
    return f"[{host}]" if ":" in host else host
