"""``clean``: raw input → clean body text, title, source tags and metadata.

HTML goes through trafilatura (main-content extraction and metadata: title,
date, tags, site); its output, like plain text, then passes the furniture
rules of :mod:`tidings.boilerplate`, since captions and trailers leak through
extraction too. The article id is recomputed from the clean text when the
article has no URL, so the same story scraped twice, with different page
furniture, is one article.
"""

from __future__ import annotations

import logging
import re
from typing import Any

from ..article import Article, make_id, source_from_url
from ..boilerplate import normalise, strip_furniture
from ..settings import Settings
from ..stage import Stage

logger = logging.getLogger(__name__)

_ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


class CleanStage(Stage):
    """Extract and clean the article body; detect title; keep the page's own tags."""

    name = "clean"
    requires = ("raw",)
    assigns = ("id", "text", "title", "source_tags", "published", "source")

    def __init__(self, *, min_text_chars: int = 20) -> None:
        self.min_text_chars = min_text_chars

    @classmethod
    def from_settings(cls, settings: Settings) -> CleanStage:
        return cls(min_text_chars=settings.min_text_chars)

    def models(self) -> dict[str, str]:
        import trafilatura

        return {"trafilatura": trafilatura.__version__}

    def process(self, article: Article) -> None:
        if article.raw_format == "verbatim":
            # Already clean text whose offsets must not move (evaluations against gold spans).
            article.text = article.raw
            if not article.url:
                article.id = make_id(url=None, text=article.text)
            return
        if article.raw_format == "html":
            body, meta = _extract_html(article.raw, url=article.url)
        else:
            body, meta = article.raw, {}
        title = article.title or meta.get("title")
        result = strip_furniture(body, title=normalise(title).strip() if title else None)
        article.text = result.text
        article.title = result.title
        tags = result.source_tags or meta.get("tags") or []
        article.source_tags = _dedupe(tags)
        if not article.published and meta.get("date"):
            article.published = meta["date"]
        if not article.source:
            article.source = meta.get("hostname") or (
                source_from_url(article.url) if article.url else None
            )
        if not article.url:
            article.id = make_id(url=None, text=article.text)
        if len(article.text) < self.min_text_chars:
            article.drop("too_short" if article.text else "no_text")


def _extract_html(html: str, *, url: str | None) -> tuple[str, dict[str, Any]]:
    import trafilatura

    doc = trafilatura.bare_extraction(
        html,
        url=url,
        with_metadata=True,
        include_comments=False,
        include_tables=False,
        include_images=False,
        deduplicate=False,
    )
    if doc is None:
        # No main content found; the baseline keeps all visible paragraph text.
        logger.info("trafilatura found no main content; falling back to baseline text")
        return trafilatura.html2txt(html) or "", {}
    data = doc.as_dict() if hasattr(doc, "as_dict") else dict(doc)
    tags: list[str] = []
    for value in (data.get("tags") or []) + (data.get("categories") or []):
        tags.extend(t.strip() for t in str(value).split(",") if t.strip())
    date = data.get("date")
    meta = {
        "title": data.get("title"),
        "date": date if isinstance(date, str) and _ISO_DATE.match(date) else None,
        "tags": tags,
        "hostname": data.get("hostname"),
    }
    return data.get("text") or "", meta


def _dedupe(items: list[str]) -> list[str]:
    seen: set[str] = set()
    out = []
    for item in items:
        key = item.casefold()
        if key not in seen:
            seen.add(key)
            out.append(item)
    return out
