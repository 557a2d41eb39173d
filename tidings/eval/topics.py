"""``tidings eval topics``: does the shipped taxonomy find the topics people expect?

Each article of a labelled JSONL corpus (``title``, ``text``, ``label``; the BBC
News dev set in ``../shared/data/bbc-news-topics``) goes through the pipeline; its
predicted topic is the best-scoring tag among the five broad topic tags
(:data:`TOPIC_TAGS`), or "none" when none of them fires. The labels are never
used to build the rules; they are only compared with.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from pathlib import Path
from typing import Any

from ..article import Article
from ..pipeline import Pipeline
from . import read_jsonl
from .events import _batches, _f1_table

# BBC section → the default taxonomy's tag for it.
TOPIC_TAGS: dict[str, str] = {
    "business": "Economy",
    "entertainment": "Entertainment",
    "politics": "Politics",
    "sport": "Sport",
    "tech": "Technology",
}


def predict_topic(article: Article, mapping: dict[str, str] = TOPIC_TAGS) -> str:
    """The label whose tag scored highest on ``article``, or "none"."""
    by_tag = {v: k for k, v in mapping.items()}
    scored = [
        (t["score"] or 0.0, by_tag[t["tag"]]) for t in article.tag_evidence if t["tag"] in by_tag
    ]
    return max(scored)[1] if scored else "none"


def evaluate_topics(
    path: Path,
    pipeline: Pipeline,
    *,
    limit: int = 0,
    batch_size: int = 32,
    progress: Callable[[], None] | None = None,
) -> dict[str, Any]:
    """Accuracy and macro-F1 of topic prediction from tags (see the module docstring)."""
    rows = [
        (r.get("title"), r["text"], r["label"])
        for r in read_jsonl(path, ("text", "label"), "a labelled article", limit=limit)
    ]
    gold, predicted = [], []
    for batch in _batches(rows, batch_size):
        articles = [Article.from_input(text, title=title) for title, text, _ in batch]
        for (_, _, label), article in zip(batch, pipeline.run(articles), strict=True):
            gold.append(label)
            predicted.append(predict_topic(article))
            if progress:
                progress()
    n = len(gold)
    labels = sorted(set(gold))
    confusion = Counter(f"{g}->{p}" for g, p in zip(gold, predicted, strict=True) if g != p)
    return {
        "n": n,
        "accuracy": round(sum(g == p for g, p in zip(gold, predicted, strict=True)) / n, 4)
        if n
        else 0.0,
        "macro_f1": _f1_table(gold, predicted, labels),
        "none": predicted.count("none"),
        "confusions": dict(confusion.most_common(10)),
    }
