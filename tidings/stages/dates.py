"""``dates``: the publication date, normalised, and the dates the article mentions.

Mentioned dates come from the NER model's DATE spans (whole-text search with
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
_MONTH_START = r"(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\.?\s"


class DatesStage(Stage):
    """Normalise ``published``; assign ``dates`` from DATE entities."""

    name = "dates"
    requires = ("text", "entities", "published")
    assigns = ("dates",)

    def process(self, article: Article) -> None:
        if article.published:
            article.published = parse_published(article.published)
        base = published_date(article.published)
        article.dates = []
        for entity in article.entities:
            if entity.label != "DATE":
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
