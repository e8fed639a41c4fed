"""The web UI and REST API (FastAPI): ``create_app(store)``; ``discern serve`` runs it with uvicorn."""

from .app import create_app
from .settings import WebSettings

__all__ = ["WebSettings", "create_app"]
