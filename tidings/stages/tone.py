"""``tone``: document tone on GDELT's scale (see :mod:`tidings.tone`)."""

from __future__ import annotations

from importlib.metadata import PackageNotFoundError, version

from ..article import Article
from ..stage import Stage
from ..tone import tone


class ToneStage(Stage):
    """Assign ``tone``: positive minus negative words per 100 words (-100 .. +100)."""

    name = "tone"
    requires = ("text",)
    assigns = ("tone",)

    def models(self) -> dict[str, str]:
        try:
            return {"vaderSentiment lexicon": version("vaderSentiment")}
        except PackageNotFoundError:
            return {}

    def process(self, article: Article) -> None:
        article.tone = tone(article.text)
