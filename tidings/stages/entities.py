"""``entities``: canonical names for the article's entity mentions (see :mod:`tidings.entities`)."""

from __future__ import annotations

from ..article import Article
from ..entities import canonicalize
from ..stage import Stage


class EntitiesStage(Stage):
    """Group NER mentions into entities; set ``canonical``, trim noise, add role mentions."""

    name = "entities"
    requires = ("text", "entities")
    assigns = ("entities",)

    def process(self, article: Article) -> None:
        if "nlp" in article.pipeline.skipped:
            return
        article.entities = canonicalize(article.text, article.entities)
