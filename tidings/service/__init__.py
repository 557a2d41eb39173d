"""``tidings serve``: ingestion, query API and live stream over HTTP."""

from .app import create_app

__all__ = ["create_app"]
