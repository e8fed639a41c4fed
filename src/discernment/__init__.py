"""discernment: claims, quotes, places, events and rhetoric in war news, each tied to exact text offsets.

Public API::

    import discernment
    doc = discernment.analyze("Text...", published="2022-09-10", outlet="RT")
    analyzer = discernment.Analyzer()          # loads models once
    for doc in analyzer.pipe(documents): ...
"""

from __future__ import annotations

__version__ = "0.1.0"

from .api import Analyzer, analyze  # noqa: E402
from .config import Config  # noqa: E402
from .errors import DiscernError  # noqa: E402
from .model import Document, Source  # noqa: E402

__all__ = ["Analyzer", "Config", "DiscernError", "Document", "Source", "analyze", "__version__"]
