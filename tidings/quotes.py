"""Quotations and who said them.

Direct quotes are found between quotation marks (straight or curly; spanning
sentences; a quote that runs over several paragraphs, each opening with a mark,
is one quote). The speaker comes from the attribution next to the quote:

- after it: ``"...," he said``, ``"...," said Smith``, ``"...," the prime
  minister said``, ``"...," she told reporters``, ``"...," according to X``;
- before it: ``Smith said: "..."``, ``He told the BBC: "..."``;
- around a partial quote: ``Smith called the plan "a disaster"``;
- a later quote in the same paragraph with no attribution of its own keeps the
  speaker of the one before it.

Pronouns resolve to the person mentioned last before the quote; roles and
short names resolve through the canonical entities (:mod:`tidings.entities`).
The outlet a quote was reported through (``via CNN``, ``told CBS News``,
``according to Reuters``, ``in an interview with the BBC``) is ``via``.

Indirect speech — ``X said (that) ...``, ``..., X said.``, ``According to X,
...`` — is recorded with ``kind="indirect"`` when the speaker (or outlet) is
named. A quote whose speaker cannot be resolved keeps ``speaker=None``.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from .article import Entity, Quote

SPEECH_VERBS = (
    "said|says|say|told|tells|added|adds|stated|states|explained|explains|warned|warns|"
    "insisted|insists|argued|argues|claimed|claims|noted|notes|wrote|writes|asked|asks|"
    "replied|replies|declared|declares|announced|announces|acknowledged|acknowledges|"
    "admitted|admits|continued|continues|commented|remarked|recalled|predicted|urged|urges|"
    "confirmed|confirms|promised|promises|vowed|vows|suggested|suggests|stressed|stresses|"
    "maintained|denied|denies|tweeted|posted|observed|complained|conceded|concedes|revealed|"
    "reveals|reported|reports|pointed out|points out"
)
_VERB = re.compile(rf"\b(?:{SPEECH_VERBS})\b")
# Verbs that introduce indirect speech with a following clause.
_INDIRECT_VERB = re.compile(
    r"\b(?:also\s+|has\s+|had\s+|have\s+)?(said|says|told\s+[\w .'’-]{1,40}?|added|stated|"
    r"claimed|warned|announced|insisted|argued|promised|vowed|confirmed|revealed|denied|"
    r"acknowledged|admitted|believes|believed|explained)\s+(?:on\s+\w+\s+)?that\b"
)
_PRONOUN = re.compile(r"^(?:he|she|He|She)$")
_OPEN = '"“'
_CLOSE = '"”'
_SENT_END = re.compile(r"[.!?](?:[\"”’)]*)(?=\s|$)")
_VIA = re.compile(
    r"\b(?:via|told|to|according to|in an interview with|speaking to|on)\s+(?:the\s+)?$"
)
_ACCORDING = re.compile(r"\b[Aa]ccording to\s+(?:the\s+)?$")
_OUTLET = re.compile(
    r"\b(?:News|Post|Times|Journal|Reuters|AP|AFP|CNN|BBC|ABC|CBS|NBC|NPR|PBS|Fox|Guardian|"
    r"Telegraph|Tribune|Herald|Gazette|Press|TV|Television|Radio|Agency|Jazeera|Bloomberg|"
    r"Daily|Independent|Mail|Mirror|Observer|Express|Xinhua|Interfax|TASS|Channel|Magazine|"
    r"Chronicle|Standard|Monitor|Sky|Politico|Axios|HuffPost|Huffington)\b"
)


class _Names(list[Entity]):
    """Entities sorted by start, with range lookups in O(log n)."""

    def __init__(self, entities: Iterable[Entity]) -> None:
        super().__init__(sorted(entities, key=lambda e: e.start))
        self.starts = [e.start for e in self]

    def between(self, start: int, end: int) -> list[Entity]:
        """Entities starting in [start, end)."""
        return self[bisect.bisect_left(self.starts, start) : bisect.bisect_left(self.starts, end)]

    def before(self, pos: int) -> Entity | None:
        """The last entity ending at or before ``pos``."""
        i = bisect.bisect_left(self.starts, pos)
        for e in reversed(self[max(0, i - 8) : i]):
            if e.end <= pos:
                return e
        return None


@dataclass
class _Span:
    start: int  # first character inside the marks
    end: int  # just past the last character inside the marks
    open_at: int
    close_at: int  # index just past the closing mark (or end of content)


def find_quotes(text: str, entities: Sequence[Entity]) -> list[Quote]:
    """Direct and indirect quotes of ``text``, with speakers from ``entities``."""
    people = _Names(e for e in entities if e.label == "PERSON" and e.canonical)
    speakers = _Names(
        e for e in entities if e.label in ("PERSON", "ORG", "NORP", "GPE") and e.canonical
    )
    quotes: list[Quote] = []
    spans = _quote_spans(text)
    last_speaker: tuple[int, str | None, str | None] | None = None  # (paragraph, speaker, via)
    for span in spans:
        raw = text[span.start : span.end]
        content = raw.strip().rstrip(",;:")
        lead = len(raw) - len(raw.lstrip())
        words = len(content.split())
        if words == 0:
            continue
        speaker, via, found = _attribute(text, span, speakers, people)
        para = text.rfind("\n", 0, span.open_at)
        if not found and last_speaker and last_speaker[0] == para and _whole_sentence(text, span):
            speaker, via, found = last_speaker[1], last_speaker[2], True
        if not found and (words < 4 or content.istitle()):
            continue  # scare quotes, titles of works, nicknames
        start = span.start + lead
        quotes.append(Quote(content, speaker, via, start, start + len(content)))
        if found:
            last_speaker = (para, speaker, via)
    quotes += _indirect(text, spans, speakers, people)
    quotes.sort(key=lambda q: q.start)
    return quotes


def _quote_spans(text: str) -> list[_Span]:
    spans: list[_Span] = []
    i = 0
    n = len(text)
    while i < n:
        ch = text[i]
        if ch not in _OPEN or (ch == '"' and i > 0 and text[i - 1].isalnum()):
            i += 1
            continue
        j = i + 1
        close = -1
        while j < n:
            c = text[j]
            if c in _CLOSE and (c == "”" or ch == '"'):
                close = j
                break
            if c == "\n" and text[j : j + 2] == "\n\n":
                # A quote that goes on in the next paragraph opens it with a mark.
                k = j
                while k < n and text[k] in "\n ":
                    k += 1
                if k < n and text[k] in _OPEN:
                    j = k + 1
                    continue
                break
            j += 1
        if close == -1:
            i = j if j > i + 1 else i + 1
            continue
        spans.append(_Span(i + 1, close, i, close + 1))
        i = close + 1
    return spans


def _sentence_bounds(text: str, pos: int) -> tuple[int, int]:
    start = max(text.rfind("\n", 0, pos) + 1, 0)
    for m in _SENT_END.finditer(text, start, pos):
        start = m.end()
    end_m = _SENT_END.search(text, pos)
    para_end = text.find("\n", pos)
    end = end_m.end() if end_m else len(text)
    if para_end != -1:
        end = min(end, para_end)
    return start, end


def _whole_sentence(text: str, span: _Span) -> bool:
    before = text[max(0, text.rfind("\n", 0, span.open_at) + 1) : span.open_at].strip()
    return not before or bool(_SENT_END.search(before[-3:])) or before.endswith(('"', "”"))


def _attribute(
    text: str, span: _Span, speakers: _Names, people: _Names
) -> tuple[str | None, str | None, bool]:
    """(speaker, via, attribution found) for a direct quote."""
    # After the quote: up to the end of its sentence, and not past the next quote.
    after_end = _sentence_bounds(text, span.close_at)[1] if span.close_at < len(text) else len(text)
    nxt = min(
        (text.find(m, span.close_at) for m in _OPEN if text.find(m, span.close_at) != -1),
        default=-1,
    )
    if nxt != -1:
        after_end = min(after_end, nxt)
    window = text[span.close_at : after_end]
    content = text[span.start : span.end].rstrip()
    # A quote that ends its sentence ('..."') is followed by a new sentence, unless
    # the attribution runs on in lower case ('..." he said').
    ended = content.endswith((".", "…")) and not re.match(r"^\s*[a-z]", window)
    if span.close_at - span.start < 2000 and window.strip() and not ended:
        result = _attribution_after(text, span.close_at, window, speakers, people, span.open_at)
        if result is not None:
            return result
    # Before the quote, in its sentence: "X said:" / "X told the BBC:".
    sent_start = _sentence_bounds(text, span.open_at)[0]
    before = text[sent_start : span.open_at]
    verbs = list(_VERB.finditer(before))
    if verbs:
        verb = verbs[-1]
        tail = before[verb.end() :]
        if len(tail) <= 60:
            speaker = _subject(text, sent_start + verb.start(), sent_start, speakers, people, span)
            via = _via(text, sent_start + verb.start(), sent_start + len(before), speakers)
            return speaker, via, True
    # A partial quote inside a sentence: the sentence's first named person or organisation.
    if before.strip() and not before.rstrip().endswith((".", ":")):
        subj = _subject_entities(text, speakers, sent_start, span.open_at)
        first = _prefer_person([e for e in subj if e.label in ("PERSON", "ORG")], last=False)
        if first is not None:
            return first.canonical, None, True
    return None, None, False


def _attribution_after(
    text: str,
    at: int,
    window: str,
    speakers: _Names,
    people: _Names,
    quote_open: int,
) -> tuple[str | None, str | None, bool] | None:
    lead = re.match(r"^[\s,.!?;:—–-]*", window)
    offset = at + (lead.end() if lead else 0)
    rest = text[offset : at + len(window)]
    acc = re.match(r"^(?:[Aa]ccording to)\s+", rest)
    if acc:
        who = _entity_at(speakers, offset + acc.end(), slack=4)
        if who is not None:
            return who.canonical, None, True
        return None
    verb = _VERB.search(rest[:80])
    if verb is None:
        return None
    pre = rest[: verb.start()]
    verb_at = offset + verb.start()
    # "..., said Smith" / "..., says the minister"
    if not pre.strip():
        who = _entity_at(speakers, offset + verb.end(), slack=5)
        via = _via(text, verb_at, at + len(window), speakers)
        return (who.canonical if who else None), via, True
    if len(pre) > 60:
        return None
    who_text = pre.strip()
    via = _via(text, verb_at, at + len(window), speakers)
    ent = _prefer_person(speakers.between(offset, verb_at))
    if ent is not None:
        return ent.canonical, via, True
    if _PRONOUN.match(who_text.split()[-1] if who_text.split() else ""):
        return _last_person(people, quote_open), via, True
    return None, via, True


def _subject(
    text: str,
    verb_at: int,
    sent_start: int,
    speakers: _Names,
    people: _Names,
    span: _Span,
) -> str | None:
    cands = _prefer_person(_subject_entities(text, speakers, sent_start, verb_at))
    if cands is not None:
        return cands.canonical
    words = text[sent_start:verb_at].split()
    # "he said", "he told the BBC", "she also said"
    if any(_PRONOUN.match(w) for w in words[-2:]):
        return _last_person(people, sent_start)
    return None


def _prefer_person(cands: Sequence[Entity], *, last: bool = True) -> Entity | None:
    """The person among candidate speakers ("CBI director-general Digby Jones" → Jones),
    else the organisation or other name; the last one (nearest the verb) or the first."""
    for pool in ([e for e in cands if e.label == "PERSON"], list(cands)):
        if pool:
            return pool[-1] if last else pool[0]
    return None


def _last_person(people: _Names, before: int) -> str | None:
    prior = people.before(before)
    return prior.canonical if prior else None


def _entity_at(speakers: _Names, pos: int, *, slack: int) -> Entity | None:
    return next(iter(speakers.between(pos, pos + slack + 1)), None)


def _via(text: str, verb_at: int, end: int, speakers: _Names) -> str | None:
    """The outlet named after the verb: "via CNN", "told CBS News", "according to Reuters"."""
    for e in speakers.between(verb_at, end):
        if e.label != "ORG":
            continue
        if _VIA.search(text[max(verb_at, e.start - 40) : e.start]):
            return e.canonical
    return None


def _indirect(text: str, spans: Sequence[_Span], speakers: _Names, people: _Names) -> list[Quote]:
    quoted = [(s.open_at, s.close_at) for s in spans]
    out: list[Quote] = []

    def inside_quote(pos: int) -> bool:
        return any(a <= pos < b for a, b in quoted)

    # "X said (on Monday) that CLAUSE."
    for m in _INDIRECT_VERB.finditer(text):
        if inside_quote(m.start()):
            continue
        sent_start, sent_end = _sentence_bounds(text, m.start())
        clause_start = m.end()
        while clause_start < sent_end and text[clause_start] == " ":
            clause_start += 1
        clause_end = _trim_clause_end(text, clause_start, sent_end)
        if clause_end - clause_start < 8 or any(
            a < clause_end and clause_start < b for a, b in quoted
        ):
            continue
        speaker = _indirect_speaker(text, sent_start, m.start(), speakers, people)
        via = _via(text, m.start(), sent_end, speakers)
        if speaker is None and via is None:
            continue
        out.append(
            Quote(text[clause_start:clause_end], speaker, via, clause_start, clause_end, "indirect")
        )
    # "According to X, CLAUSE." and "CLAUSE, X said." with a named X.
    for m in re.finditer(r"(?:^|(?<=[.!?]\s)|(?<=\n))[Aa]ccording to\s+", text):
        who = _entity_at(speakers, m.end(), slack=4)
        if who is None or inside_quote(m.start()):
            continue
        comma = text.find(",", who.end, who.end + 60)
        sent_start, sent_end = _sentence_bounds(text, m.start())
        if comma == -1 or comma > sent_end:
            continue
        start = comma + 1
        while start < sent_end and text[start] == " ":
            start += 1
        end = _trim_clause_end(text, start, sent_end)
        if end - start >= 8:
            kind_speaker = who.canonical if who.label != "ORG" or not _is_outlet(who) else None
            via = who.canonical if kind_speaker is None else None
            out.append(Quote(text[start:end], kind_speaker, via, start, end, "indirect"))
    for m in re.finditer(rf",\s+([^,.;\"“”]{{2,60}}?)\s+(?:{SPEECH_VERBS})\s*\.", text):
        if inside_quote(m.start()):
            continue
        who = next(iter(speakers.between(m.start(1), m.end(1))), None)
        if who is None and not _PRONOUN.match(m.group(1).split()[-1]):
            continue
        sent_start, _ = _sentence_bounds(text, m.start())
        if any(sent_start <= a < m.start() for a, _ in quoted):
            continue
        if any(q.start >= sent_start and q.end <= m.start() for q in out):
            continue
        speaker = who.canonical if who else _last_person(people, sent_start)
        while sent_start < m.start() and text[sent_start].isspace():
            sent_start += 1
        out.append(
            Quote(text[sent_start : m.start()], speaker, None, sent_start, m.start(), "indirect")
        )
    # "..., according to CBS News." — a report attributed to an outlet.
    for m in re.finditer(r",\s+according to\s+", text):
        who = _entity_at(speakers, m.end(), slack=4)
        if who is None or who.label != "ORG" or inside_quote(m.start()):
            continue
        for q in out:
            if q.start <= m.start() <= q.end + 2 and q.via is None:
                q.via = who.canonical
                q.text = text[q.start : min(q.end, m.start())]
                q.end = q.start + len(q.text)
    return out


_TAIL_ATTRIBUTION = re.compile(rf",\s+[^,.;\"“”]{{2,60}}?\s+(?:{SPEECH_VERBS})\s*[.!?]?$")
# A name right after one of these is not the subject of the sentence ("Residents of Baghdad").
_NOT_SUBJECT = re.compile(r"\b(?:of|in|at|from|for|with|by|near|on|to|across|outside|inside)\s+$")


def _subject_entities(text: str, speakers: _Names, start: int, end: int) -> list[Entity]:
    return [
        e
        for e in speakers.between(start, end)
        if e.end <= end and not _NOT_SUBJECT.search(text, max(0, e.start - 12), e.start)
    ]


def _is_outlet(e: Entity) -> bool:
    """A news outlet (by the words outlets' names are made of), not any organisation."""
    return bool(_OUTLET.search(e.canonical or e.text))


def _trim_clause_end(text: str, start: int, end: int) -> int:
    clause = text[start:end]
    cut = re.search(r",\s+according to\b.*$", clause) or _TAIL_ATTRIBUTION.search(clause)
    if cut:
        end = start + cut.start()
    while end > start and text[end - 1] in ' .!?"”':
        end -= 1
    return end


def _indirect_speaker(
    text: str, sent_start: int, verb_at: int, speakers: _Names, people: _Names
) -> str | None:
    subject = text[sent_start:verb_at]
    cands = _subject_entities(text, speakers, sent_start, verb_at + 1)
    if cands and verb_at - cands[-1].end <= 25:
        return cands[-1].canonical
    words = subject.split()
    if words and _PRONOUN.match(words[-1]):
        return _last_person(people, sent_start)
    return None
