"""discernment: claims, quotes, places, events and rhetoric in war news, each tied to exact text offsets.

Public API::

    import discernment
    doc = discernment.analyze("Text...", published="2022-09-10", outlet="RT")
    analyzer = discernment.Analyzer()          # loads models once
    for doc in analyzer.pipe(documents): ...

Names are imported lazily, so ``import discernment`` (and CLI commands that only query the store) stay fast.
"""

from __future__ import annotations

__version__ = "0.1.0"

_LAZY = {
    "Analyzer": "api", "analyze": "api", "Config": "config", "DiscernError": "errors", "Document": "model",
    "Source": "model",
}
__all__ = [*_LAZY, "__version__"]


def __getattr__(name: str):
    if name in _LAZY:
        import importlib

        value = getattr(importlib.import_module(f".{_LAZY[name]}", __name__), name)
        globals()[name] = value
        return value
    raise AttributeError(f"module 'discernment' has no attribute {name!r}")
