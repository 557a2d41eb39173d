"""The store: DuckDB by default, schema changes through named migrations."""

from .db import QueryFilters, Store, WriteResult

__all__ = ["QueryFilters", "Store", "WriteResult"]
