"""``tidings eval geo``: toponym detection and resolution against gold corpora.

Each JSONL line is an article with ``text`` and gold ``toponyms`` (start, end,
and lat/lon, with a GeoNames id where the corpus has one). End to end, the
pipeline runs on the text and its ``places`` mentions are compared with the
gold spans:

- detection: ``precision``, ``recall``, ``f1`` on exact spans (a leading "the"
  is not part of a toponym on either side);
- resolution, on the gold toponyms that were detected and have coordinates:
  ``acc_161km`` (share within 161 km, the usual 100-mile threshold),
  ``median_error_km``, ``mean_error_km`` and ``exact_geonameid`` (where gold
  has an id). An unresolved detection counts as wrong (an infinite error).

GeoWebNews annotates more than places. Literal, Mixed, Literal_Modifier and
Embedded_Literal toponyms are the places to find; a prediction on a
metonymic, demonym, homonym or other non-literal annotation is neither a hit
nor a false alarm (the text names a place there, but not as a location);
a prediction on a Non_Toponym annotation is a false alarm. Annotations whose
offsets the corpus marks unverified are left out.
"""

from __future__ import annotations

import json
import math
import statistics
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..article import Article
from ..errors import InputError
from ..gazetteer import distance_km
from ..pipeline import Pipeline

LITERAL_TYPES = {"Literal", "Mixed", "Literal_Modifier", "Embedded_Literal"}
NEUTRAL_TYPES = {"Metonymic", "Non_Literal_Modifier", "Coercion", "Demonym", "Homonym",
                 "Embedded_Non_Lit", "Language"}  # fmt: skip
EXPRESSION_TYPES = {"Literal_Expression", "Non_Lit_Expression"}


@dataclass
class Gold:
    start: int
    end: int
    lat: float | None
    lon: float | None
    geonameid: int | None
    kind: str  # "place", "neutral" or "false"


@dataclass
class Tally:
    tp: int = 0
    fp: int = 0
    fn: int = 0
    errors_km: list[float] = field(default_factory=list)
    ids_right: int = 0
    ids_total: int = 0
    articles: int = 0

    def add(self, other: Tally) -> None:
        self.tp += other.tp
        self.fp += other.fp
        self.fn += other.fn
        self.errors_km += other.errors_km
        self.ids_right += other.ids_right
        self.ids_total += other.ids_total
        self.articles += other.articles

    def metrics(self) -> dict[str, Any]:
        p = self.tp / (self.tp + self.fp) if self.tp + self.fp else 0.0
        r = self.tp / (self.tp + self.fn) if self.tp + self.fn else 0.0
        finite = [e for e in self.errors_km if math.isfinite(e)]
        return {
            "articles": self.articles,
            "gold_toponyms": self.tp + self.fn,
            "predicted": self.tp + self.fp,
            "precision": round(p, 4),
            "recall": round(r, 4),
            "f1": round(2 * p * r / (p + r), 4) if p + r else 0.0,
            "resolved_scored": len(self.errors_km),
            "acc_161km": round(sum(e <= 161 for e in self.errors_km) / len(self.errors_km), 4)
            if self.errors_km else None,
            "median_error_km": round(statistics.median(self.errors_km), 1)
            if self.errors_km and math.isfinite(statistics.median(self.errors_km)) else None,
            "mean_error_km": round(statistics.fmean(finite), 1) if finite else None,
            "unresolved": len(self.errors_km) - len(finite),
            "exact_geonameid": round(self.ids_right / self.ids_total, 4)
            if self.ids_total else None,
        }  # fmt: skip


def _strip_the(text: str, start: int, end: int) -> tuple[int, int]:
    if text[start:end].lower().startswith("the "):
        return start + 4, end
    return start, end


def _gold(record: dict[str, Any]) -> list[Gold]:
    text = record["text"]
    out = []
    for t in record.get("toponyms") or []:
        if t.get("offset_unverified"):
            continue
        kind_name = t.get("type")
        if kind_name in EXPRESSION_TYPES:
            continue
        if kind_name is None or kind_name in LITERAL_TYPES:
            kind = "place"
        elif kind_name in NEUTRAL_TYPES:
            kind = "neutral"
        else:
            kind = "false"
        start, end = _strip_the(text, int(t["start"]), int(t["end"]))
        gid = t.get("geonameid")
        out.append(Gold(start, end, _float(t.get("lat")), _float(t.get("lon")),
                        int(gid) if gid not in (None, "") else None, kind))  # fmt: skip
    return out


def _float(value: Any) -> float | None:
    try:
        return float(value) if value not in (None, "") else None
    except (TypeError, ValueError):
        return None


def score_article(article: Article, gold: list[Gold]) -> Tally:
    """Compare one analysed article's place mentions with its gold toponyms."""
    tally = Tally(articles=1)
    predicted: dict[tuple[int, int], Any] = {}
    for place in article.places:
        for s, e in place.mentions:
            predicted[(s, e)] = place
    by_span = {(g.start, g.end): g for g in gold}
    for span, place in predicted.items():
        g = by_span.get(span)
        if g is None or g.kind == "false":
            tally.fp += 1
        elif g.kind == "place":
            tally.tp += 1
            if g.lat is not None and g.lon is not None:
                if place.lat is None or place.lon is None:
                    tally.errors_km.append(math.inf)
                else:
                    tally.errors_km.append(distance_km(g.lat, g.lon, place.lat, place.lon))
            if g.geonameid is not None:
                tally.ids_total += 1
                tally.ids_right += int(place.geonameid == g.geonameid)
    tally.fn = sum(1 for g in gold if g.kind == "place" and (g.start, g.end) not in predicted)
    return tally


def _records(path: Path, limit: int) -> Iterator[dict[str, Any]]:
    with path.open(encoding="utf-8") as f:
        for number, line in enumerate(f, start=1):
            if limit and number > limit:
                return
            if line.strip():
                try:
                    yield json.loads(line)
                except json.JSONDecodeError as e:
                    raise InputError(f"{path}:{number}", "malformed_json", e.msg) from e


def _score_batch(
    pipeline: Pipeline,
    batch: list[tuple[Article, list[Gold]]],
    tally: Tally,
    on_article: Callable[[], None] | None,
) -> None:
    pipeline.run([a for a, _ in batch])
    for article, gold in batch:
        tally.add(score_article(article.release(), gold))
        if on_article:
            on_article()
    batch.clear()


def evaluate(
    paths: list[Path],
    pipeline: Pipeline,
    *,
    limit: int = 0,
    batch_size: int = 32,
    on_article: Callable[[], None] | None = None,
) -> dict[str, Any]:
    """Run the pipeline over each gold corpus; metrics per corpus and overall."""
    from ..ingest import to_article
    from ..sources import record_from_json

    overall = Tally()
    result: dict[str, Any] = {"corpora": {}}
    for path in paths:
        tally = Tally()
        batch: list[tuple[Article, list[Gold]]] = []
        for i, record in enumerate(_records(path, limit)):
            # The gold offsets index the text as given: analyse it as is, no cleaning.
            # With the publisher's domain and URL, as a feed gives them: the publisher's
            # country is context (titles are left out: the offsets index the text).
            fields = {k: record.get(k) for k in ("text", "published", "source", "url")}
            item = record_from_json(fields, f"{path}:{i + 1}")
            article = to_article(item)
            article.raw_format = "verbatim"
            batch.append((article, _gold(record)))
            if len(batch) >= batch_size:
                _score_batch(pipeline, batch, tally, on_article)
        _score_batch(pipeline, batch, tally, on_article)
        result["corpora"][path.stem] = tally.metrics()
        overall.add(tally)
    result.update(overall.metrics())
    return result
