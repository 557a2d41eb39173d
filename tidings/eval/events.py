"""``tidings eval acled`` and ``tidings eval case``: event coding against human coders.

ACLED: each row's ``notes`` (the coder's summary) is analysed with the row's
date as the publication date; the predicted current events are matched to the
coded one (the prediction of the same event type if there is one, else the
most confident). Rows that share one note (ACLED splits an event over several
locations, dividing the fatalities) are scored once, as one event, against the
first row, with the fatalities of all of them added up. Rows the shipped event
model was trained on are left out (``skipped_training``), so the figures are
held-out figures. A missing fatality count is scored as 0, ACLED's "none
reported". ``actor1_match`` compares names exactly; ``actor1_name_match`` leaves
out the government period ACLED writes after state forces ("Military Forces of
Ukraine (2019-)"), which tidings does not know.

CASE 2021: each snippet is analysed; the predicted sub-event type is that of
the most confident current event, or "none" when there is none. For the five
non-ACLED types (crime, disasters, diplomacy, attribution) "none" is the right
answer. ``macro_f1`` averages F1 over the 25 ACLED sub-types.
"""

from __future__ import annotations

import csv
import datetime as dt
import re
from collections import Counter, defaultdict
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

from ..article import Article
from ..eventmodel import load as load_event_model
from ..gazetteer import distance_km
from ..pipeline import Pipeline

CASE_NONE = {"ORG_CRIME", "NATURAL_DISASTER", "MAN_MADE_DISASTER", "DIPLO", "ATTRIB"}
_MONTHS = {
    m: i
    for i, m in enumerate(
        ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"], 1
    )
}


def parse_acled_date(row: dict[str, str]) -> str | None:
    """``event_date_iso`` if present; else ACLED's '9-May-20', ISO, or day-month-year."""
    if row.get("event_date_iso"):
        return row["event_date_iso"][:10]
    value = (row.get("event_date") or "").strip()
    if re.fullmatch(r"\d{4}-\d{2}-\d{2}", value):
        return value
    m = re.fullmatch(r"(\d{1,2})[-/ ]([A-Za-z]{3})[A-Za-z]*[-/ ](\d{2,4})", value)
    if m:
        year = int(m.group(3))
        year += 2000 if year < 100 else 0
        return dt.date(year, _MONTHS[m.group(2).lower()], int(m.group(1))).isoformat()
    m = re.fullmatch(r"(\d{1,2})[-/.](\d{1,2})[-/.](\d{2,4})", value)  # day-month-year
    if m:
        year = int(m.group(3))
        year += 2000 if year < 100 else 0
        return dt.date(year, int(m.group(2)), int(m.group(1))).isoformat()
    return None


# The government period ACLED writes after a state's forces: "Military Forces of Ukraine
# (2019-)" (tidings names the forces, not the period).
_PERIOD = re.compile(r"\s*\(\d{4}-\d{0,4}\)")


def _unperiod(actor: str) -> str:
    return " ".join(_PERIOD.sub(" ", actor).lower().split())


def _f1_table(gold: list[str], predicted: list[str], labels: list[str]) -> float:
    scores = []
    for label in labels:
        tp = sum(1 for g, p in zip(gold, predicted, strict=True) if g == label and p == label)
        fp = sum(1 for g, p in zip(gold, predicted, strict=True) if g != label and p == label)
        fn = sum(1 for g, p in zip(gold, predicted, strict=True) if g == label and p != label)
        scores.append(2 * tp / (2 * tp + fp + fn) if tp else 0.0)
    return round(sum(scores) / len(scores), 4) if scores else 0.0


def _batches(items: list[Any], size: int) -> Iterator[list[Any]]:
    for i in range(0, len(items), size):
        yield items[i : i + size]


def _analyse(
    pipeline: Pipeline,
    texts: list[tuple[str, str | None]],
    batch_size: int,
    progress: Callable[[], None] | None,
) -> list[Article]:
    out = []
    for batch in _batches(texts, batch_size):
        articles = [Article.from_input(text, published=published) for text, published in batch]
        for a in pipeline.run(articles):
            out.append(a.release())
            if progress:
                progress()
    return out


def _current(article: Article) -> list[dict[str, Any]]:
    return [e for e in article.events if not e.get("background")]


def evaluate_acled(
    path: Path,
    pipeline: Pipeline,
    *,
    limit: int = 0,
    batch_size: int = 32,
    progress: Callable[[], None] | None = None,
) -> dict[str, Any]:
    """Event coding metrics over an ACLED export (see the module docstring)."""
    from ..gazetteer import load as load_gazetteer

    trained = load_event_model().trained_on
    g = load_gazetteer()
    with path.open(encoding="utf-8") as f:
        rows = list(csv.DictReader(f))
    groups: dict[str, list[dict[str, str]]] = defaultdict(list)
    for row in rows:
        if (row.get("notes") or "").strip():
            groups[row["notes"].strip()].append(row)
    items = []
    skipped = 0
    for notes, members in groups.items():
        if any(f"acled:{r.get('event_id_cnty')}" in trained for r in members):
            skipped += 1
            continue
        items.append((notes, members))
    if limit:
        items = items[:limit]
    articles = _analyse(
        pipeline, [(n, parse_acled_date(m[0])) for n, m in items], batch_size, progress
    )
    n = len(items)
    tally: Counter[str] = Counter()
    gold_sub: list[str] = []
    pred_sub: list[str] = []
    confusion: dict[str, Counter[str]] = defaultdict(Counter)
    for (_, members), article in zip(items, articles, strict=True):
        row = members[0]
        gold_fatalities = sum(int(r.get("fatalities") or 0) for r in members)
        events = _current(article)
        match = next((e for e in events if e["event_type"] == row["event_type"]), None)
        match = match or max(events, key=lambda e: e["confidence"], default=None)
        confusion[row["event_type"]][match["event_type"] if match else "(none)"] += 1
        gold_sub.append(row["sub_event_type"])
        pred_sub.append(match["sub_event_type"] if match else "(none)")
        if match is None:
            tally["no_event"] += 1
            continue
        tally["event_type"] += match["event_type"] == row["event_type"]
        tally["sub_event_type"] += match["sub_event_type"] == row["sub_event_type"]
        tally["fatalities"] += (match["fatalities"] or 0) == gold_fatalities
        tally["date"] += match["date"] == parse_acled_date(row)
        location = match.get("location") or {}
        gold_codes = {c.country for c in g.lookup(row["country"]) if c.feature == "PCLI"}
        tally["country"] += bool(location.get("country") and location["country"] in gold_codes)
        if location.get("lat") is not None and row.get("latitude"):
            d = distance_km(
                float(row["latitude"]), float(row["longitude"]), location["lat"], location["lon"]
            )
            tally["within_25km"] += d <= 25
        tally["actor1"] += (match.get("actor1") or "").lower() == row["actor1"].lower()
        tally["actor1_name"] += _unperiod(match.get("actor1") or "") == _unperiod(row["actor1"])
        tally["inter1"] += str(match.get("inter1")) == row.get("inter1")
    labels = sorted({s for s in gold_sub})
    share = lambda k: round(tally[k] / n, 4) if n else 0.0  # noqa: E731
    return {
        "n": n,
        "skipped_training": skipped,
        "rows": len(rows),
        "event_type_accuracy": share("event_type"),
        "sub_event_type_accuracy": share("sub_event_type"),
        "sub_event_type_macro_f1": _f1_table(gold_sub, pred_sub, labels),
        "fatalities_exact": share("fatalities"),
        "date_exact": share("date"),
        "country_accuracy": share("country"),
        "location_within_25km": share("within_25km"),
        "actor1_match": share("actor1"),
        "actor1_name_match": share("actor1_name"),
        "inter1_match": share("inter1"),
        "no_event_rate": share("no_event"),
        "confusion": {gold: dict(c) for gold, c in sorted(confusion.items())},
    }


def evaluate_case(
    path: Path,
    pipeline: Pipeline,
    *,
    limit: int = 0,
    batch_size: int = 32,
    progress: Callable[[], None] | None = None,
) -> dict[str, Any]:
    """Sub-event classification of CASE 2021 snippets (see the module docstring)."""
    trained = load_event_model().trained_on
    with path.open(encoding="utf-8") as f:
        rows = list(csv.DictReader(f))
    kept = [r for r in rows if f"case:{r['id']}" not in trained]
    if limit:
        kept = kept[:limit]
    articles = _analyse(pipeline, [(r["EventSnippet"], None) for r in kept], batch_size, progress)
    gold, predicted = [], []
    for row, article in zip(kept, articles, strict=True):
        gold.append("none" if row["SubType"] in CASE_NONE else row["acled_sub_event_type"])
        events = _current(article) or article.events
        best = max(events, key=lambda e: e["confidence"], default=None)
        predicted.append(best["sub_event_type"] if best else "none")
    n = len(kept)
    acled_labels = sorted({x for x in gold if x != "none"})
    correct_none = sum(
        1 for gl, p in zip(gold, predicted, strict=True) if gl == "none" and p == "none"
    )
    return {
        "n": n,
        "skipped_training": len(rows) - len(kept) if not limit else None,
        "accuracy": round(sum(gl == p for gl, p in zip(gold, predicted, strict=True)) / n, 4)
        if n
        else 0.0,
        "macro_f1": _f1_table(gold, predicted, acled_labels),
        "non_acled": sum(1 for x in gold if x == "none"),
        "non_acled_answered_none": correct_none,
    }
