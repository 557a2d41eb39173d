"""The ``Article`` record: what every stage reads and writes.

The JSON shape (``Article.to_dict``) is DESIGN.md's contract; scripts and
evaluations depend on its field names. Fields a stage has not filled yet are
empty lists or ``None``. Offsets are character offsets into ``text``.

Beyond the contract fields, ``to_dict`` adds ``focus`` (the countries and places
the article is about), ``tag_evidence`` (each tag's score and what triggered it)
and one ``pipeline`` object with the provenance of the record: the models used,
per-stage timings, stage errors, stages skipped (with the reason) and the drop reason, if any.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from dataclasses import asdict, dataclass, field
from typing import Any
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

# Fields of DESIGN.md's JSON contract, in their documented order.
CONTRACT_FIELDS: tuple[str, ...] = (
    "id",
    "url",
    "source",
    "title",
    "published",
    "language",
    "text",
    "source_tags",
    "entities",
    "places",
    "dates",
    "events",
    "quotes",
    "tags",
    "tone",
    "story_id",
    "duplicate_of",
)

# Fields that come with the input rather than from a stage (for Pipeline checks).
INPUT_FIELDS: frozenset[str] = frozenset({"raw", "url", "source", "title", "published", "id"})

_TRACKING_PARAMS = re.compile(r"^(utm_\w+|fbclid|gclid|mc_cid|mc_eid|ocid|cmpid|smid)$", re.I)
_WS = re.compile(r"\s+")


@dataclass
class Entity:
    """A named-entity mention.

    ``canonical`` is the name of the entity it refers to within the article;
    ``entity_id`` the store's id for that entity across articles (set when stored).
    """

    text: str
    label: str
    start: int
    end: int
    canonical: str | None = None
    entity_id: str | None = None


@dataclass
class DateMention:
    """A date expression and its resolved value (ISO date), or ``None`` if unknown.

    ``precision``: 1 = the day, 2 = the week, 3 = the month, 4 = the year.
    """

    text: str
    value: str | None
    precision: int | None
    start: int
    end: int


@dataclass
class Place:
    """A resolved (or unresolved: null coordinates) place the article mentions."""

    name: str
    geonameid: int | None = None
    lat: float | None = None
    lon: float | None = None
    country: str | None = None
    admin1: str | None = None
    feature: str | None = None
    mentions: list[list[int]] = field(default_factory=list)
    score: float | None = None


@dataclass
class Quote:
    """A quotation, its speaker (canonical name or ``None``) and the outlet it came via."""

    text: str
    speaker: str | None
    via: str | None
    start: int
    end: int
    kind: str = "direct"


@dataclass
class StageFailure:
    """An error a stage met on an article (recorded in ``record`` error mode)."""

    stage: str
    error: str
    message: str


@dataclass
class Provenance:
    """How the record was made: models, timings (seconds), errors, skips, drop reason."""

    models: dict[str, str] = field(default_factory=dict)
    timings: dict[str, float] = field(default_factory=dict)
    errors: list[StageFailure] = field(default_factory=list)
    skipped: dict[str, str] = field(default_factory=dict)
    dropped: str | None = None
    origin: str | None = None
    input_id: str | None = None


@dataclass
class Article:
    """One news article moving through the pipeline.

    ``raw`` and ``raw_format`` hold the input as received: ``text``, ``html``, or
    ``verbatim`` (clean text whose offsets must not move, used by evaluations);
    they are not part of the JSON record.
    """

    id: str = ""
    url: str | None = None
    source: str | None = None
    title: str | None = None
    published: str | None = None
    language: str | None = None
    text: str = ""
    source_tags: list[str] = field(default_factory=list)
    entities: list[Entity] = field(default_factory=list)
    places: list[Place] = field(default_factory=list)
    dates: list[DateMention] = field(default_factory=list)
    events: list[dict[str, Any]] = field(default_factory=list)
    quotes: list[Quote] = field(default_factory=list)
    tags: list[str] = field(default_factory=list)
    tone: float | None = None
    story_id: str | None = None
    duplicate_of: str | None = None
    # What the article is about, geographically (CLIFF-style): country codes and place names.
    focus: dict[str, list[str]] = field(default_factory=lambda: {"countries": [], "places": []})
    # Why each tag was given: {"tag", "group", "score", "evidence": [...]}, best first.
    tag_evidence: list[dict[str, Any]] = field(default_factory=list)
    raw: str = field(default="", repr=False)
    raw_format: str = "text"
    pipeline: Provenance = field(default_factory=Provenance)
    # In-process only: the nlp stage's spaCy Docs as (offset, Doc) pairs, for later
    # stages in the same process. Never serialised; cleared by ``release()``.
    doc: list[tuple[int, Any]] = field(default_factory=list, repr=False, compare=False)
    # In-process only: the duplicate finder's fingerprint (tidings.dedup), for the store.
    fingerprint: Any = field(default=None, repr=False, compare=False)

    @classmethod
    def from_input(
        cls,
        raw: str,
        *,
        raw_format: str = "text",
        url: str | None = None,
        title: str | None = None,
        published: str | None = None,
        source: str | None = None,
        input_id: str | None = None,
        origin: str | None = None,
    ) -> Article:
        """Make an article from raw input; its id is provisional until ``clean`` runs."""
        url = canonical_url(url) if url else None
        if source is None and url:
            source = source_from_url(url)
        article = cls(
            url=url,
            title=title,
            published=published,
            source=source,
            raw=raw,
            raw_format=raw_format,
            pipeline=Provenance(origin=origin, input_id=input_id),
        )
        article.id = make_id(url=url, text=raw)
        return article

    @property
    def dropped(self) -> str | None:
        return self.pipeline.dropped

    @property
    def failed(self) -> bool:
        return bool(self.pipeline.errors)

    def release(self) -> Article:
        """Free in-process state (raw input, spaCy Docs) before storing or pickling."""
        self.doc = []
        self.raw = ""
        return self

    def drop(self, reason: str) -> None:
        """Mark the article as dropped; later stages leave it alone. ``reason`` is data."""
        self.pipeline.dropped = reason

    def to_dict(self, *, provenance: bool = True) -> dict[str, Any]:
        """Return the JSON record (DESIGN.md's contract, plus ``pipeline`` unless disabled)."""
        out: dict[str, Any] = {}
        for name in CONTRACT_FIELDS:
            value = getattr(self, name)
            if isinstance(value, list):
                value = [asdict(v) if hasattr(v, "__dataclass_fields__") else v for v in value]
            out[name] = value
        out["focus"] = self.focus
        out["tag_evidence"] = self.tag_evidence
        if provenance:
            out["pipeline"] = asdict(self.pipeline)
        return out

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Article:
        """Rebuild an article from :meth:`to_dict` output (e.g. read back from the store)."""
        prov = dict(data.get("pipeline") or {})
        prov["errors"] = [StageFailure(**e) for e in prov.get("errors", [])]
        return cls(
            id=data["id"],
            url=data.get("url"),
            source=data.get("source"),
            title=data.get("title"),
            published=data.get("published"),
            language=data.get("language"),
            text=data.get("text") or "",
            source_tags=list(data.get("source_tags") or []),
            entities=[Entity(**e) for e in data.get("entities") or []],
            places=[Place(**p) for p in data.get("places") or []],
            dates=[DateMention(**d) for d in data.get("dates") or []],
            events=list(data.get("events") or []),
            quotes=[Quote(**q) for q in data.get("quotes") or []],
            tags=list(data.get("tags") or []),
            tone=data.get("tone"),
            story_id=data.get("story_id"),
            duplicate_of=data.get("duplicate_of"),
            focus=data.get("focus") or {"countries": [], "places": []},
            tag_evidence=list(data.get("tag_evidence") or []),
            pipeline=Provenance(**prov),
        )


def canonical_url(url: str) -> str:
    """Normalise a URL so that trivially different spellings give one article id.

    Lower-cases scheme and host, drops default ports, fragments, tracking
    parameters (``utm_*``, ``fbclid``...) and a trailing slash; sorts the query.
    """
    parts = urlsplit(url.strip())
    scheme = parts.scheme.lower()
    host = (parts.hostname or "").lower()
    if parts.port and not (
        (scheme == "http" and parts.port == 80) or (scheme == "https" and parts.port == 443)
    ):
        host = f"{host}:{parts.port}"
    query = sorted(
        (k, v)
        for k, v in parse_qsl(parts.query, keep_blank_values=True)
        if not _TRACKING_PARAMS.match(k)
    )
    path = parts.path.rstrip("/") or "/"
    return urlunsplit((scheme, host, path, urlencode(query), ""))


def source_from_url(url: str) -> str | None:
    """The publisher's host name without ``www.``, e.g. ``example.com``."""
    host = urlsplit(url).hostname
    if not host:
        return None
    return host[4:] if host.startswith("www.") else host


def normalise_for_id(text: str) -> str:
    """Case-folded, NFKC, whitespace-collapsed text: the basis of text-derived ids."""
    return _WS.sub(" ", unicodedata.normalize("NFKC", text)).strip().casefold()


def make_id(*, url: str | None, text: str) -> str:
    """sha1 of the canonical URL when there is one, else of the normalised text."""
    basis = canonical_url(url) if url else normalise_for_id(text)
    return hashlib.sha1(basis.encode("utf-8")).hexdigest()
