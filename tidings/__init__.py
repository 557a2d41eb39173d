"""tidings: real-time news event intelligence.

Library use::

    from tidings import Pipeline, load_settings
    pipeline = Pipeline.from_settings(load_settings())
    article = pipeline.analyze(text, published="2021-11-08")
    article.to_dict()   # DESIGN.md's JSON record
"""

from __future__ import annotations

__version__ = "0.1.0"

from .article import Article, DateMention, Entity
from .errors import TidingsError
from .pipeline import Pipeline
from .settings import Settings, load_settings

__all__ = [
    "Article",
    "DateMention",
    "Entity",
    "Pipeline",
    "Settings",
    "TidingsError",
    "__version__",
    "load_settings",
]
