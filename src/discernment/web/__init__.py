"""The web UI and REST API (FastAPI): ``create_app(store)``; ``discern serve`` runs it with uvicorn."""

from .app import create_app
from .background import BackgroundServer, free_port, serve_in_background
from .settings import WebSettings

__all__ = ["BackgroundServer", "WebSettings", "create_app", "free_port", "serve_in_background"]
