"""``quotes``: direct and indirect quotes with their speakers (see :mod:`tidings.quotes`)."""

from __future__ import annotations

from ..article import Article
from ..quotes import find_quotes
from ..stage import Stage


class QuotesStage(Stage):
    """Assign ``quotes`` from the text and the article's canonical entities."""

    name = "quotes"
    requires = ("text", "entities")
    assigns = ("quotes",)

    def process(self, article: Article) -> None:
        article.quotes = find_quotes(article.text, article.entities)
