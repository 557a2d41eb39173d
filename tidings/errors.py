"""Exceptions raised by tidings.

Every error tidings raises on purpose derives from one base, so callers (and the
CLI) can catch them in one place::

    TidingsError
    ├── ConfigError            bad settings file, unknown setting, bad value
    ├── RegistryError          unknown stage name (the message lists valid names)
    ├── PipelineError          stages in an order that cannot work
    ├── StageError             a stage failed on an article (``raise`` mode)
    ├── ModelError             a model package is missing or does not load
    ├── InputError             an input cannot be read or parsed (path, line, reason)
    ├── FetchError             a URL could not be fetched within limits
    └── StoreError             the database could not be opened, migrated or written
"""

from __future__ import annotations


class TidingsError(Exception):
    """Base class of all errors raised by tidings."""


class ConfigError(TidingsError):
    """A setting is unknown, or its value is invalid."""


class RegistryError(TidingsError):
    """A name was looked up in a registry that does not hold it."""


class PipelineError(TidingsError):
    """The pipeline cannot be built as asked (unknown stage, wrong order)."""


class StageError(TidingsError):
    """A stage failed on an article; raised only in ``raise`` error mode."""

    def __init__(self, stage: str, article_id: str | None, message: str) -> None:
        self.stage = stage
        self.article_id = article_id
        super().__init__(f"stage {stage!r} failed on article {article_id}: {message}")


class ModelError(TidingsError):
    """A model package is missing, of the wrong version, or does not load."""


class InputError(TidingsError):
    """An input (file, line, record, request) cannot be used.

    Attributes:
        where: a human-readable location, e.g. ``news/a.jsonl:17``.
        reason: a short machine-friendly reason, e.g. ``malformed_json``.
    """

    def __init__(self, where: str, reason: str, detail: str = "") -> None:
        self.where = where
        self.reason = reason
        self.detail = detail
        message = f"{where}: {reason}"
        if detail:
            message += f" ({detail})"
        super().__init__(message)


class FetchError(InputError):
    """A URL could not be fetched: timeout, HTTP error, oversize body, bad scheme."""


class StoreError(TidingsError):
    """The store could not be opened, migrated, read or written."""
