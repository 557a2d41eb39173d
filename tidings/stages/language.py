"""``language``: detect the article's language (py3langid, a model shipped in the package).

Articles in other languages are kept and marked; stages that only handle some
languages (``nlp``) skip them and say so in ``pipeline.skipped``.
"""

from __future__ import annotations

from typing import Any

from ..article import Article
from ..stage import Stage

# Below this normalised probability the guess is no better than noise: say unknown.
MIN_CONFIDENCE = 0.3
# The head of a text identifies its language as well as all of it, and costs less.
SAMPLE_CHARS = 3000


class LanguageStage(Stage):
    """Set ``language`` to an ISO 639-1 code, or ``None`` when no guess is confident."""

    name = "language"
    requires = ("text",)
    assigns = ("language",)

    def __init__(self) -> None:
        self._identifier: Any = None

    def setup(self) -> None:
        import py3langid.langid as langid

        self._identifier = langid.LanguageIdentifier.from_modelpath(
            langid.MODEL_DIR / langid.MODEL_FILE, norm_probs=True
        )

    def models(self) -> dict[str, str]:
        from importlib.metadata import version

        return {"py3langid": version("py3langid")}

    def process(self, article: Article) -> None:
        if self._identifier is None:
            self.setup()
        sample = ((article.title or "") + "\n" + article.text)[:SAMPLE_CHARS]
        code, probability = self._identifier.classify(sample)
        article.language = code if probability >= MIN_CONFIDENCE else None
