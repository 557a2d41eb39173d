"""``dates``: the publication date, normalised, and the dates the article mentions.

Mentioned dates come from the NER model's DATE spans, and TIME spans that name their
day ("Saturday night"; whole-text search with
dateparser is slow and misreads news prose, e.g. "am a" as a date), resolved
against the publication date by :mod:`tidings.timeexpr`. Durations and
unresolvable expressions are left out rather than guessed.
"""

from __future__ import annotations

import re

from ..article import Article, DateMention
from ..stage import Stage
from ..timeexpr import parse_published, published_date, resolve

_ON = re.compile(r"\b[Oo]n $")
_DAY_BEFORE = re.compile(r"\b\d{1,2} $")
_MONTH = r"(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\.?"
_MONTH_START = _MONTH + r"\s"
# "30 Apr 2020", "Apr 30, 2020" where the model tagged only the year.
_DAY_MONTH_BEFORE = re.compile(rf"\b(?:\d{{1,2}}\s+{_MONTH},?|{_MONTH}\s+\d{{1,2}},?)\s+$", re.I)
_YEAR = re.compile(r"^\d{4}$")
# A time the model tags TIME that names its day: "Saturday night", "last night", "this
# morning" (not a bare clock time, "9 p.m.", which names none).
_DAY_IN_TIME = re.compile(
    rf"\b(?:mon|tues|wednes|thurs|fri|satur|sun)day|\b(?:yesterday|today|tonight|last night|"
    rf"this (?:morning|afternoon|evening))\b|\b{_MONTH_START}",
    re.I,
)


class DatesStage(Stage):
    """Normalise ``published``; assign ``dates`` from DATE (and day-naming TIME) entities."""

    name = "dates"
    requires = ("text", "entities", "published")
    assigns = ("dates",)

    def process(self, article: Article) -> None:
        if article.published:
            article.published = parse_published(article.published)
        base = published_date(article.published)
        article.dates = []
        for entity in article.entities:
            if entity.label != "DATE" and not (
                entity.label == "TIME" and _DAY_IN_TIME.search(entity.text)
            ):
                continue
            resolved = resolve(entity.text, base)
            if resolved is None:
                continue
            start = entity.start
            day = _DAY_BEFORE.search(article.text, max(0, start - 4), start)
            if day and re.match(_MONTH_START, entity.text, re.I):
                # "9 May 2020" tagged as "May 2020": the day is part of the date.
                start = day.start()
                resolved = resolve(article.text[start : entity.end], base) or resolved
            elif _YEAR.match(entity.text) and (
                before := _DAY_MONTH_BEFORE.search(article.text, max(0, start - 16), start)
            ):
                # "30 Apr 2020" tagged as "2020" (the model missed the abbreviation).
                whole = resolve(article.text[before.start() : entity.end], base)
                if whole is not None:
                    start, resolved = before.start(), whole
            # NER leaves out the preposition; "On Sunday" is the expression a reader sees.
            lead = _ON.search(article.text, max(0, start - 4), start)
            if lead:
                start = lead.start()
            article.dates.append(
                DateMention(
                    article.text[start : entity.end],
                    resolved.value,
                    resolved.precision,
                    start,
                    entity.end,
                )
            )
