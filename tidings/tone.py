"""Document tone on GDELT's scale, from the VADER lexicon.

GDELT's *Tone* is the percentage of words that are positive minus the
percentage that are negative: from -100 (every word negative) to +100, with
news usually between -10 and +10. tidings computes the same quantity with the
VADER sentiment lexicon (Hutto & Gilbert 2014; ~7,500 rated words, shipped in
the ``vaderSentiment`` package and read from it as data): a word counts as
positive or negative when its mean rating is at least :data:`MIN_VALENCE` in
size, and a negator in the three words before it ("not", "no", "never",
"n't"...) flips it. Two adaptations to news prose, both listed below: capitalised
words inside a sentence are names, not sentiment ("United States Institute of
Peace"); and a short list of words VADER rates but news uses neutrally
("security forces", "political parties", "supporters") is left out, while a
few violent-event words it lacks ("deadly", "wounded", "explosion") are added
with ratings in VADER's range. Roughly: below -2 the article reads clearly negative
(attacks, deaths, disasters), around 0 neutral, above +2 clearly positive.
"""

from __future__ import annotations

import re
from functools import lru_cache
from importlib.resources import files

MIN_VALENCE = 1.0
_WORD = re.compile(r"[A-Za-z]+(?:['’][A-Za-z]+)?")
# Rated by VADER, neutral in news usage.
NEWS_NEUTRAL = frozenset(
    [
        "no",
        "security",
        "party",
        "parties",
        "supporters",
        "supporter",
        "united",
        "like",
        "please",
        "ok",
        "okay",
        "yes",
        "care",
        "cares",
        "share",
        "shares",
        "interest",
        "interests",
        "credit",
    ]
)
# Words of violent news that VADER lacks, rated like their nearest VADER entries.
NEWS_EXTRA: dict[str, float] = {
    "deadly": -3.0,
    "wounded": -2.3,
    "wounding": -2.3,
    "explosion": -2.0,
    "explosions": -2.0,
    "casualties": -2.5,
    "massacre": -3.5,
    "airstrike": -2.1,
    "airstrikes": -2.1,
    "shelling": -2.1,
    "gunfire": -2.1,
    "bombing": -2.8,
    "bombings": -2.8,
    "hostage": -2.5,
    "hostages": -2.5,
    "corruption": -2.5,
    "looting": -2.3,
}
_NEGATORS = frozenset(
    [
        "not",
        "no",
        "never",
        "none",
        "nobody",
        "nothing",
        "neither",
        "nor",
        "without",
        "cannot",
        "isn't",
        "aren't",
        "wasn't",
        "weren't",
        "don't",
        "doesn't",
        "didn't",
        "won't",
        "wouldn't",
        "can't",
        "couldn't",
        "shouldn't",
        "hasn't",
        "haven't",
        "hadn't",
    ]
)


@lru_cache(maxsize=1)
def lexicon() -> dict[str, float]:
    """The VADER lexicon: word → mean valence (-4 .. +4)."""
    text = files("vaderSentiment").joinpath("vader_lexicon.txt").read_text(encoding="utf-8")
    out: dict[str, float] = {}
    for line in text.splitlines():
        parts = line.split("\t")
        if len(parts) >= 2 and _WORD.fullmatch(parts[0]):
            out[parts[0]] = float(parts[1])
    for word in NEWS_NEUTRAL:
        out.pop(word, None)
    out.update(NEWS_EXTRA)
    return out


def tone(text: str) -> float | None:
    """Positive minus negative words, per 100 words; ``None`` for text without words."""
    text = text.replace("’", "'")
    matches = list(_WORD.finditer(text))
    if not matches:
        return None
    words = [m.group().lower() for m in matches]
    lex = lexicon()
    positive = negative = 0
    for i, w in enumerate(words):
        v = lex.get(w)
        if (
            v is not None
            and matches[i].group()[0].isupper()
            and _inside_sentence(text, matches[i].start())
        ):
            continue  # a name: "Peace" in "Institute of Peace"
        if v is None or abs(v) < MIN_VALENCE:
            continue
        if any(p in _NEGATORS or p.endswith("n't") for p in words[max(0, i - 3) : i]):
            v = -v
        if v > 0:
            positive += 1
        else:
            negative += 1
    return round(100.0 * (positive - negative) / len(words), 2)


def _inside_sentence(text: str, start: int) -> bool:
    """True when the word at ``start`` is not the first word of a sentence or line."""
    before = text[max(0, start - 4) : start].rstrip(" \t\"'“(")
    return bool(before) and before[-1] not in ".!?:\n"
