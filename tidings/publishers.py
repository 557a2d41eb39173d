"""What tidings learns about each publisher from its own articles, and keeps.

A local paper's "Richmond" with no other clue is the Richmond of its own state, and
the Athens Review's "Athens", once placed in Texas, stays there (the "local lexicon"
of Lieberman, Samet and Sankaranarayanan's LGL work). The places stage asks
:class:`SourceHomes` where a publisher is at home and which names it has placed
before; it learns from every article it resolves. Only the stage's own answers are
learnt from, never gold data.

Each article's :class:`Lesson` is derived from its output records alone (the place
records and the text their mention spans point into), so the store can keep the
same lessons (``publishers``, ``publisher_divisions`` and ``publisher_names``
tables) and a new process — the next ``tidings ingest``, a restarted service, each
ingest worker — starts from what earlier ones learnt instead of from nothing.
"""

from __future__ import annotations

from collections import Counter, OrderedDict, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from .gazetteer import name_key

if TYPE_CHECKING:
    from .gazetteer import Gazetteer

# A publisher's home: learnt from this many of its articles at least, from towns
# placed this surely.
HOME_ARTICLES = 2
HOME_CONFIDENCE = 0.9
# A name the publisher has placed this surely before is in its lexicon (once is enough);
# at most this many names are kept per publisher (the most used, halved when full).
LEXICON_ARTICLES = 1
LEXICON_CONFIDENCE = 0.8
LEXICON_SIZE = 200
# Publishers remembered, the most recently read: with 200 names each about 45 KB apiece.
PUBLISHERS = 2_000
# Names the store keeps per publisher (its most used half when it has more): the
# memory loads the top LEXICON_SIZE of them.
STORED_NAMES = 1_000


@dataclass(frozen=True)
class Lesson:
    """What one article teaches about its publisher: the divisions ((country, admin1
    key)) its surest towns lie in, and the names ((name key, geonameid)) it placed
    surely. Capitals are not learnt from: everyone's news names them (one Irish-pride
    story must not make a Dublin, Ohio, paper Irish)."""

    divisions: frozenset[tuple[str, str]]
    names: frozenset[tuple[str, int]]


def lesson(text: str, places: Iterable[Any]) -> Lesson | None:
    """The lesson of an article's place records (``tidings.article.Place``: geonameid,
    country, admin1, feature, score, mentions); None when it places no town or
    division surely enough to learn from."""
    divisions: set[tuple[str, str]] = set()
    names: set[tuple[str, int]] = set()
    local = False
    for p in places:
        if (
            not p.country
            or not p.admin1
            or not (p.feature or "").startswith(("PPL", "ADM"))
            or p.feature == "PPLC"
            or p.score is None
            or p.score < LEXICON_CONFIDENCE
        ):
            continue
        local = True
        if p.score >= HOME_CONFIDENCE:
            divisions.add((p.country, name_key(p.admin1)))
        if p.geonameid:
            for start, end in p.mentions:
                if 0 <= start < end <= len(text):
                    names.add((name_key(text[start:end]), int(p.geonameid)))
    if not local:
        return None
    return Lesson(frozenset(divisions), frozenset(names))


@dataclass
class Publisher:
    articles: int = 0  # articles that placed a town surely
    divisions: Counter[tuple[str, str]] = field(default_factory=Counter)
    names: Counter[tuple[str, int]] = field(default_factory=Counter)


class SourceHomes:
    """Where each publisher is at home and the names it uses, learnt from its own
    earlier articles; at most ``limit`` publishers, the most recently read."""

    def __init__(self, limit: int = PUBLISHERS) -> None:
        self.limit = limit
        self._seen: OrderedDict[str, Publisher] = OrderedDict()

    def known(self) -> int:
        """How many publishers it remembers."""
        return len(self._seen)

    def get(self, source: str | None) -> Publisher | None:
        """What the publisher taught, if anything."""
        return self._seen.get(source or "")

    def home(self, source: str | None) -> tuple[str, str] | None:
        """The division that a third or more of the publisher's local articles (two at
        least) name a place in, and more of them than any other."""
        known = self._seen.get(source or "")
        if known is None:
            return None
        ranked = known.divisions.most_common(2)
        if not ranked:
            return None
        (best, n), rest = ranked[0], ranked[1:]
        if n < HOME_ARTICLES or n * 3 < known.articles or (rest and rest[0][1] == n):
            return None
        return best

    def lexicon(self, source: str | None) -> dict[str, int]:
        """Name key → the place the publisher's earlier articles surely meant by it,
        where they meant one place more often than any other."""
        known = self._seen.get(source or "")
        if known is None:
            return {}
        senses: dict[str, list[tuple[int, int]]] = defaultdict(list)
        for (key, geonameid), n in known.names.items():
            senses[key].append((n, geonameid))
        lexicon = {}
        for key, counted in senses.items():
            counted.sort(reverse=True)
            n, geonameid = counted[0]
            if n >= LEXICON_ARTICLES and (len(counted) == 1 or counted[1][0] < n):
                lexicon[key] = geonameid
        return lexicon

    def learn(self, source: str | None, taught: Lesson | None) -> None:
        """Add one article's lesson (see :func:`lesson`) to what its publisher taught."""
        if not source or taught is None:
            return
        known = self._seen.pop(source, None) or Publisher()
        if taught.divisions:
            known.articles += 1
            known.divisions.update(taught.divisions)
        known.names.update(taught.names)
        if len(known.names) > LEXICON_SIZE:  # keep the names it uses most
            known.names = Counter(dict(known.names.most_common(LEXICON_SIZE // 2)))
        self._remember(source, known)

    def restore(self, source: str, publisher: Publisher) -> None:
        """Take back what a publisher taught earlier (from the store), as its most
        recently read."""
        self._seen.pop(source, None)
        self._remember(source, publisher)

    def _remember(self, source: str, known: Publisher) -> None:
        self._seen[source] = known
        while len(self._seen) > self.limit:
            self._seen.popitem(last=False)


def describe(homes: SourceHomes, source: str, g: Gazetteer | None = None) -> dict[str, Any] | None:
    """What a publisher taught, for people: its home, the divisions its articles named
    and the place each name of its lexicon means (by the gazetteer, when given); None
    when it taught nothing."""
    publisher = homes.get(source)
    if publisher is None:
        return None
    lexicon = []
    for key, geonameid in sorted(homes.lexicon(source).items()):
        place = next((c for c in g.lookup(key) if c.geonameid == geonameid), None) if g else None
        lexicon.append({
            "name": key, "geonameid": geonameid,
            "place": place.name if place else None,
            "admin1": place.admin1 if place else None,
            "country": place.country if place else None,
            "articles": publisher.names[(key, geonameid)],
        })  # fmt: skip
    home = homes.home(source)
    return {
        "source": source,
        "articles": publisher.articles,
        "home": {"country": home[0], "admin1": home[1]} if home else None,
        "divisions": [
            {"country": c, "admin1": a, "articles": n}
            for (c, a), n in publisher.divisions.most_common()
        ],
        "lexicon": lexicon,
    }
