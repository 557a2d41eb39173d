"""The event classifier: text → ACLED sub-event type (or ``none``), with probabilities.

A TF-IDF + multinomial logistic regression model, trained by
``scripts/train_events.py`` (scikit-learn, at training time only) and shipped
as plain arrays in ``tidings/data/event_model.npz``, so that prediction needs
only numpy. The same :func:`features` function serves training and prediction.
The model file also lists the ids of the rows it was trained on, so that
evaluations can leave them out.
"""

from __future__ import annotations

import hashlib
import itertools
import logging
import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import numpy as np

from .acled import QUOTED, TRIGGERS

logger = logging.getLogger(__name__)

MODEL_PATH = Path(__file__).parent / "data" / "event_model.npz"
NONE = "none"

_TOKEN = re.compile(r"[a-z][a-z'-]*|\d+")
_NUMBER = re.compile(r"^\d+$")
_SUFFIXES = ("ings", "ing", "ed", "es", "s")


def tokens(text: str) -> list[str]:
    """Lower-case word tokens; every number becomes ``<num>``."""
    return ["<num>" if _NUMBER.match(t) else t for t in _TOKEN.findall(text.lower())]


def stem(word: str) -> str:
    """A crude stem: "raped", "rapes" and "raping" are one feature; short words stay."""
    for suffix in _SUFFIXES:
        if len(word) > len(suffix) + 3 and word.endswith(suffix):
            return word[: -len(suffix)]
    return word


def triggered(text: str) -> list[str]:
    """The sub-types whose trigger words the text holds outside quotes ("the missiles
    of treachery" in a quote is rhetoric)."""
    unquoted = QUOTED.sub(" ", text)
    return [sub for sub, pattern in TRIGGERS if pattern.search(unquoted)]


def features(text: str, subtypes: list[str] | None = None) -> list[str]:
    """Unigrams and bigrams of stemmed :func:`tokens`, and the trigger words'
    sub-types (``trigger:Grenade``; ``subtypes``, when the caller has them from
    :func:`triggered`): the lexicon generalises where the few coded examples of a
    rare sub-type do not."""
    words = [stem(t) for t in tokens(text)]
    subtypes = triggered(text) if subtypes is None else subtypes
    return (
        words
        + [f"{a} {b}" for a, b in itertools.pairwise(words)]
        + [f"trigger:{sub}" for sub in subtypes]
    )


def in_training(key: str) -> bool:
    """The deterministic 80/20 split of ``scripts/train_events.py``, by the hash of an
    id ("acled:IRQ1234", "case:17", "bbc:..."): true for the four fifths trained on."""
    return int(hashlib.sha1(key.encode()).hexdigest()[:8], 16) % 5 != 0


def lexicon_fingerprint() -> str:
    """A hash of the trigger lexicon the features use: a model trained with another
    lexicon reads features differently, and must be retrained."""
    patterns = "\n".join(f"{sub}\t{pattern.pattern}" for sub, pattern in TRIGGERS)
    return hashlib.sha1(patterns.encode()).hexdigest()[:12]


@dataclass(frozen=True)
class Prediction:
    label: str
    probability: float
    distribution: dict[str, float]


class EventModel:
    """Loaded arrays of the trained classifier."""

    def __init__(self, path: Path = MODEL_PATH) -> None:
        data = np.load(path, allow_pickle=False)
        self.classes = [str(c) for c in data["classes"]]
        self.vocabulary = {str(t): i for i, t in enumerate(data["terms"])}
        self.idf = data["idf"].astype(np.float64)
        self.coef = data["coef"].astype(np.float64)  # classes × terms
        self.intercept = data["intercept"].astype(np.float64)
        self.trained_on = {str(x) for x in data["trained_on"]}
        self.version = str(data["version"])
        self.lexicon = str(data["lexicon"]) if "lexicon" in data else ""
        if self.lexicon != lexicon_fingerprint():
            logger.warning(
                "event model %s was trained with another trigger lexicon (%s, now %s): "
                "retrain it with scripts/train_events.py",
                path, self.lexicon or "none", lexicon_fingerprint(),
            )  # fmt: skip

    def predict(self, text: str, subtypes: list[str] | None = None) -> Prediction:
        counts: dict[int, int] = {}
        for f in features(text, subtypes):
            i = self.vocabulary.get(f)
            if i is not None:
                counts[i] = counts.get(i, 0) + 1
        scores = self.intercept.copy()
        if counts:
            idx = np.fromiter(counts, dtype=np.int64)
            tf = 1.0 + np.log(np.fromiter(counts.values(), dtype=np.float64))  # sublinear tf
            weights = tf * self.idf[idx]
            weights /= np.linalg.norm(weights) or 1.0
            scores = scores + self.coef[:, idx] @ weights
        exp = np.exp(scores - scores.max())
        probs = exp / exp.sum()
        best = int(probs.argmax())
        return Prediction(
            self.classes[best],
            float(probs[best]),
            dict(zip(self.classes, map(float, probs), strict=True)),
        )


@lru_cache(maxsize=1)
def load() -> EventModel:
    return EventModel()
