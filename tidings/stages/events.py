"""``events``: the events an article reports, coded in ACLED's taxonomy.

Each sentence is classified (:mod:`tidings.eventmodel`) into one of ACLED's 25
sub-event types or "none"; a brief (a snippet, a summary, a coder's note) none of
whose sentences reports an event alone is read whole. Sentences of the same kind
of event whose dates do not conflict are one event: a report names its attack in
the headline, the lead and the toll paragraph, and that is one attack. For each
event:

- type, sub-type, disorder type and the PLOVER crosswalk: the sentences'
  readings, plus the classifier's reading of all of them together (it was
  trained on whole reports, and reads them better than sentence by sentence);
- date: the first date expression in its sentences, resolved against the
  publication date; else the publication date, at week precision;
- location: the most specific place its sentences name (of equals, the one they set
  the event in, not an origin: "workers from Surat ... at Halol"); else the article's
  focus place (``geo_precision`` 2) or country (3), the country an armed group
  implies, or the country the article is about;
- fatalities and injured: :mod:`tidings.casualties` (unknown stays null);
- actors: :mod:`tidings.actors`;
- evidence: the character spans of its sentences; a confidence in [0, 1];
- ``background``: history (dated more than two weeks before publication, or
  following such a sentence in the same paragraph), threats, hypotheticals,
  denials and negations.
"""

from __future__ import annotations

import datetime as dt
import itertools
import re
from dataclasses import dataclass, field
from typing import Any

from ..acled import (
    ANAPHORA,
    ARMED_VICTIM,
    CIVILIAN_VICTIM,
    DETAINED,
    DISORDER,
    FAMILY,
    FIRE_RETURNED,
    HISTORY_DAYS,
    INTERVENED,
    KILLING,
    LOCATION_RANK,
    NO_DEATHS,
    NONE_CAP,
    NOT_CURRENT,
    PLOVER,
    QUOTED,
    RELEASE_DEMANDED,
    SPEECH_BEFORE,
    STRONG_CUE,
    TAXONOMY,
    THRESHOLD,
    TRIGGERED_THRESHOLD,
    TRIGGERS,
    TRIGGERS_BY_SUB,
    WEAK_TRIGGERS,
    violent_protest,
)
from ..actors import code_actors, group_country
from ..article import Article, Place
from ..casualties import Counts, combine, sentence_counts
from ..eventmodel import NONE, EventModel
from ..eventmodel import triggered as triggered_subtypes
from ..gazetteer import Gazetteer
from ..stage import Stage
from ..timeexpr import DAY, MONTH, WEEK, YEAR, published_date


@dataclass
class Sentence:
    start: int
    end: int
    distribution: dict[str, float]
    probability: float
    date: tuple[str, int] | None
    places: list[Place]
    counts: Counts
    background: bool
    paragraph: int
    refers_back: bool = False  # "killed in the clashes": about the event just described


@dataclass
class Draft:
    family: str
    background: bool
    sentences: list[Sentence] = field(default_factory=list)

    @property
    def date(self) -> tuple[str, int] | None:
        return next((s.date for s in self.sentences if s.date), None)


class EventsStage(Stage):
    """Assign ``events``: ACLED-coded event records with evidence."""

    name = "events"
    requires = ("text", "doc", "dates", "places", "focus", "published")
    assigns = ("events",)

    def __init__(self, *, gazetteer_extra: str | None = None) -> None:
        self.gazetteer_extra = gazetteer_extra
        self.model: EventModel | None = None
        self.gazetteer: Gazetteer | None = None
        self.country_names: dict[str, str] = {}

    def setup(self) -> None:
        if self.model is None:
            from ..eventmodel import load
            from ..gazetteer import load as load_gazetteer

            self.model = load()
            g = self.gazetteer = load_gazetteer(self.gazetteer_extra)
            self.country_names = {code: g.places[i].name for code, i in g.countries.items()}

    def models(self) -> dict[str, str]:
        return {"tidings-events": self.model.version if self.model else "unloaded"}

    def _nationality(self, word: str) -> str | None:
        """The name of the country a demonym or country name stands for ("Ukrainian",
        "Myanmar", "Nigeria" → its name as the gazetteer writes it)."""
        g = self.gazetteer
        if g is None:
            return None
        code = g.demonym(word) or next(
            (c.country for c in g.lookup(word) if c.feature == "PCLI"), None
        )
        return self.country_names.get(code) if code else None

    def _model(self) -> EventModel:
        self.setup()
        if self.model is None:
            raise RuntimeError("events stage: the event model did not load")
        return self.model

    def process(self, article: Article) -> None:
        model = self._model()
        base = published_date(article.published)
        sentences: list[Sentence] = []
        spans = sentence_spans(article)
        for n, (start, end) in enumerate(spans):
            text = article.text[start:end]
            distribution = event_distribution(model, _without_history(text, base))
            follows = (  # the very next sentence of the paragraph after an event's
                n > 0
                and bool(sentences)
                and spans[n - 1][0] == sentences[-1].start
                and "\n\n" not in article.text[sentences[-1].end : start]
            )
            if sentences and not sentences[-1].background and (ANAPHORA.search(text) or follows):
                counts = sentence_counts(text)
                if (counts.fatalities is not None or counts.injured is not None) and (
                    distribution is None
                    or (
                        follows and all(TAXONOMY[t] == _STRATEGIC for t in triggered_subtypes(text))
                    )
                ):
                    # A toll "in the attack", or told right after it ("One police
                    # officer died."): the event the article is describing, not another.
                    sentences.append(
                        self._sentence(article, start, end, sentences[-1].distribution, base)
                    )
                    continue
            if distribution is not None:
                sentences.append(self._sentence(article, start, end, distribution, base))
        if not sentences and spans and len(article.text) <= SNIPPET_CHARS:
            # A brief (a wire snippet, a feed summary, a coder's note) may tell its event
            # across sentences none of which does alone ("The ammo was discovered
            # during a dam inspection. More weapons were found..."): read it whole.
            # It reports an event if the classifier finds one more likely than none, and
            # violence or a protest: read whole, floods and court cases come out as
            # "change to group/activity" or "other".
            whole = model.predict(_without_history(article.text, base)).distribution
            best = max((k for k in whole if k != NONE), key=whole.__getitem__)
            if whole[NONE] < 0.5 and TAXONOMY[best] != "Strategic developments":
                sentences = [self._sentence(article, s, e, whole, base) for s, e in spans]
        _inherit_background(sentences)
        drafts = _group(sentences)
        datelines = [m.span(1) for m in _DATELINE.finditer(article.text)]
        article.events = [self._record(article, d, base, datelines) for d in drafts]
        article.events.sort(key=lambda e: (e["background"], e["evidence"][0][0]))

    def _sentence(
        self,
        article: Article,
        start: int,
        end: int,
        distribution: dict[str, float],
        base: dt.date | None,
    ) -> Sentence:
        # A date right after "said", "told reporters"... dates the telling, not the event.
        dates = [
            d
            for d in article.dates
            if start <= d.start < end
            and d.value
            and not SPEECH_BEFORE.search(article.text, max(start, d.start - 40), d.start)
        ]
        date = (str(dates[0].value), dates[0].precision or DAY) if dates else None
        places = [
            p
            for p in article.places
            if p.lat is not None and any(start <= s < end for s, _ in p.mentions)
        ]
        text = article.text[start:end]
        background = (
            _is_history(date, base)
            or _is_future(date, base)
            or _not_current(text, dated=date is not None)
        )
        paragraph = article.text.count("\n\n", 0, start)
        best = max((k for k in distribution if k != NONE), key=distribution.__getitem__)
        sentence = Sentence(
            start,
            end,
            distribution,
            distribution[best],
            date,
            places,
            sentence_counts(text),
            background,
            paragraph,
            bool(ANAPHORA.search(text)),
        )
        return sentence

    def _record(
        self,
        article: Article,
        draft: Draft,
        base: dt.date | None,
        datelines: list[tuple[int, int]],
    ) -> dict[str, Any]:
        votes: dict[str, float] = {}
        for s in draft.sentences:
            for label, p in s.distribution.items():
                if label != NONE:
                    votes[label] = votes.get(label, 0.0) + p
        text = " ".join(article.text[s.start : s.end] for s in draft.sentences)
        unquoted = QUOTED.sub(" ", text)
        # The classifier read whole reports in training: its reading of the event's
        # sentences together weighs more than their separate readings.
        current = _without_history(text, base)
        subtypes = triggered_subtypes(current)  # once, for the classifier and the rules below
        whole = self._model().predict(current, subtypes).distribution
        for label, p in whole.items():
            if label != NONE:
                votes[label] = votes.get(label, 0.0) + WHOLE_WEIGHT * len(draft.sentences) * p
        # ACLED codes the means: a drone, shell or bomb makes it remote violence.
        remote = {sub for sub in subtypes if TAXONOMY[sub] == "Explosions/Remote violence"}
        clash = "Armed clash" in subtypes
        if draft.family == "violence" and remote and not clash:
            votes = {k: v for k, v in votes.items() if k in remote}
        sub = max(votes, key=votes.__getitem__)
        if draft.family == "violence" and FIRE_RETURNED.search(unquoted):
            sub = "Armed clash"  # fire returned: both sides fought
        fatalities, injured = combine(
            [
                Counts()  # "protested after 40 prisoners were killed": the cause, not a toll
                if draft.family == "demonstrations"
                and _TOLL_AS_CAUSE.search(article.text, s.start, s.end)
                else s.counts
                for s in draft.sentences
            ]
        )
        if (
            fatalities is None
            and TAXONOMY[sub] != "Strategic developments"
            and not KILLING.search(unquoted)
            and (injured is not None or NO_DEATHS.search(unquoted))
        ):
            fatalities = 0  # a report that counts the injured, or a failed attack, has no dead
        if (
            draft.family != "demonstrations"  # not a protest about exchanges
            and _PRISONER_EXCHANGE.search(unquoted)
            and not KILLING.search(unquoted)
            and not TRIGGERS_BY_SUB["Armed clash"].search(unquoted)
        ):
            sub = "Agreement"  # ACLED's codebook: a prisoner exchange is an agreement
        if TAXONOMY[sub] == "Battles" and _STATE_RETAKES.search(unquoted):
            sub = "Government regains territory"  # "the army recaptured the town from ..."
        if (
            sub == "Attack"
            and ARMED_VICTIM.search(unquoted)
            and not CIVILIAN_VICTIM.search(unquoted)
        ):
            sub = "Armed clash"  # ACLED: violence against civilians needs civilian victims
        if TAXONOMY[sub] == "Violence against civilians" and TRIGGERS_BY_SUB[
            "Sexual violence"
        ].search(unquoted):
            sub = "Sexual violence"  # an attack or abduction with rape: ACLED codes the rape
        if draft.family == "demonstrations":
            end = draft.sentences[-1].end
            stop = article.text.find("\n\n", end)
            aftermath = article.text[end : min(end + 400, stop if stop >= 0 else len(article.text))]
            sub = _protest_kind(sub, unquoted, QUOTED.sub(" ", aftermath))
        if sub == "Peaceful protest" and (fatalities or injured or violent_protest(unquoted)):
            violent = violent_protest(unquoted)
            sub = "Violent demonstration" if violent else "Protest with intervention"
        event_type = TAXONOMY[sub]
        date, time_precision = _event_date(draft, article.published)
        location, geo_precision = _location(draft, article, self.gazetteer, datelines)
        if location is None and self.gazetteer is not None:
            # "Houthi forces shelled ...": Yemen; else the country the article is about
            # (named, or by its demonyms: "Ukrainian forces fired ...").
            implied = group_country(text) or next(iter(article.focus.get("countries") or []), None)
            place = self.gazetteer.country(implied) if implied else None
            if place is not None:
                location = {"name": place.name, "geonameid": place.geonameid, "lat": place.lat,
                            "lon": place.lon, "country": place.country, "admin1": None}  # fmt: skip
                geo_precision = 3
        country = location.get("country") if location else None
        if not country and article.focus.get("countries"):
            country = article.focus["countries"][0]
        actors = code_actors(
            event_type, sub, text, self.country_names.get(country or "", country), self._nationality
        )
        plover, mode = PLOVER[sub]
        confidence = sum(s.probability for s in draft.sentences) / len(draft.sentences)
        confidence *= (1.0 if draft.date else 0.8) * (1.0 if geo_precision == 1 else 0.85)
        return {
            "event_type": event_type,
            "sub_event_type": sub,
            "disorder_type": DISORDER[event_type],
            "plover": plover,
            "plover_mode": mode,
            "date": date,
            "time_precision": time_precision,
            "actor1": actors.actor1,
            "inter1": actors.inter1,
            "actor2": actors.actor2,
            "inter2": actors.inter2,
            "location": location,
            "geo_precision": geo_precision,
            "fatalities": fatalities,
            "injured": injured,
            "evidence": [[s.start, s.end] for s in draft.sentences],
            "confidence": round(min(1.0, confidence), 3),
            "background": draft.background,
        }


# State forces taking ground back: ACLED's "government regains territory", whoever
# held it and whatever else the classifier read ("the army recaptured the town from
# Islamic State militants", "government troops retook control of ...").
_STATE_RETAKES = re.compile(
    r"\b(?:army|military|troops|soldiers|government forces|regime forces|security forces|"
    r"armed forces)\s+(?:\w+\s+){0,3}?(?:recaptur(?:ed|ing)|retook|retaken|regained|regaining|"
    r"took back|liberated)\b",
    re.I,
)
# Sides exchanging prisoners (in the training notes and snippets that say so, 3 of 3
# are agreements), where nothing in the event's sentences says they fought or killed.
_PRISONER_EXCHANGE = re.compile(
    r"\b(?:exchang\w* (?:of )?(?:\w+ )?(?:prisoners|detainees|captives)|"
    r"prisoner (?:exchange|swap)s?|swap\w* (?:of )?prisoners)\b",
    re.I,
)
_STRATEGIC = "Strategic developments"  # an arrest told with the toll is no other event


# How much the classifier's reading of an event's sentences together counts, per sentence,
# against their separate readings (measured on the ACLED and CASE dev sets: 1 to 3 all
# raise event-type accuracy by 2-3 points; 3 is best on both).
WHOLE_WEIGHT = 3.0
# A text this short is read whole when none of its sentences reports an event alone.
SNIPPET_CHARS = 600
# How much a trigger word weighs in a sentence's reading of which event it reports. The
# classifier reads the triggers as features of its own (since model version 2), so the
# word counts less here than in deciding whether there is an event at all (half):
# measured on the held-out ACLED, CASE and BBC sets, 0.15 against 0.5 raised CASE
# macro-F1 0.624 -> 0.661, for ACLED macro-F1 0.746 -> 0.737 (one rare-type note).
TRIGGER_WEIGHT = 0.15


# An event named by its year inside another's report: "a town that was the scene of a
# deadly 2017 chemical weapons attack", "since the 2011 uprising".
_DATED_EVENT = re.compile(
    r"\b(?:a|an|the|since|after|before)\s+(?:[\w-]+\s+){0,2}?((?:19|20)\d\d)\s+"
    r"(?:[\w-]+\s+){0,3}?(?:attacks?|bombings?|massacres?|strikes?|war|protests?|uprising|"
    r"revolution|coup|genocide|offensive|siege|clashes|riots?)\b"
)


def _without_history(text: str, base: dt.date | None) -> str:
    """The text without the past events it names by their year (earlier than the
    publication's, or any year when it is unknown), which are no evidence of what
    happened now."""
    return _DATED_EVENT.sub(
        lambda m: m.group(0) if base is not None and int(m.group(1)) >= base.year else " ",
        text,
    )


def event_distribution(model: EventModel, text: str) -> dict[str, float] | None:
    """The sub-event distribution of a sentence that reports an event, else None."""
    triggered = triggered_subtypes(text)
    distribution = model.predict(text, triggered).distribution
    weak_only = set(triggered) <= WEAK_TRIGGERS
    if triggered and (distribution[NONE] < NONE_CAP or not weak_only):
        prior = 1.0 / len(triggered)
        # Whether the sentence reports an event: the trigger weighs half.
        combined = {
            k: 0.5 * p + (0.5 * prior if k in triggered else 0.0) for k, p in distribution.items()
        }
        best = max((k for k in combined if k != NONE), key=combined.__getitem__)
        # Several triggers split the prior; the classifier's own "not none" still counts.
        likely = combined[best] >= TRIGGERED_THRESHOLD or distribution[NONE] < 0.5
        # Which event: the classifier (which reads the triggers too) weighs more.
        combined = {
            k: (1 - TRIGGER_WEIGHT) * p + (TRIGGER_WEIGHT * prior if k in triggered else 0.0)
            for k, p in distribution.items()
        }
        return combined if likely else None
    best = max((k for k in distribution if k != NONE), key=distribution.__getitem__)
    return distribution if distribution[best] >= THRESHOLD else None


# Deaths a protest is about, in the clause that says why: "relatives protested after
# more than 40 prisoners were killed", "rallied over the killing of three students" (not
# "protests turned deadly after demonstrators marched ..., and one of them was killed").
_TOLL_AS_CAUSE = re.compile(
    r"\b(?:protest\w*|demonstrat\w*|rall\w*|march\w*|gathered)\b[^.;]{0,60}?"
    r"\b(?:after|over|against|following|about|to condemn|to denounce)\b[^.;,]{0,80}?"
    r"\b(?:kill\w*|died|deaths?|dead|murder\w*|shot)\b",
    re.I,
)
# "Four protesters died from gunfire", "two demonstrators were shot dead".
_PROTESTERS_KILLED = re.compile(
    r"\b(?:protesters|demonstrators|marchers)\s+(?:\w+\s+){0,2}?(?:(?:were|was)\s+)?"
    r"(?:shot dead|killed|died (?:from|of) (?:gunshot|gunfire|bullet))"
)


def _protest_kind(sub: str, text: str, aftermath: str = "") -> str:
    """ACLED's protest sub-types follow what the authorities did, in the protest's own
    sentences or the rest of its paragraph ("... staged a demonstration. Police arrested
    them for breaking the lockdown")."""
    if TRIGGERS_BY_SUB["Excessive force against protesters"].search(text):
        return "Excessive force against protesters"
    if violent_protest(text) and sub in ("Peaceful protest", "Protest with intervention"):
        return "Violent demonstration"  # protesters' violence, whatever the police then did
    if sub in ("Peaceful protest", "Protest with intervention") and _PROTESTERS_KILLED.search(text):
        return "Excessive force against protesters"  # lethal force on a peaceful protest
    told = f"{text} {aftermath}"
    if (
        sub == "Violent demonstration"
        and not violent_protest(text)
        and TRIGGERS_BY_SUB["Protest with intervention"].search(text)
    ):
        # "Police used rubber bullets to disperse demonstrators": force met the protest;
        # nothing says the protesters used any.
        return "Protest with intervention"
    if sub == "Peaceful protest" and (
        TRIGGERS_BY_SUB["Protest with intervention"].search(told)
        or DETAINED.search(told)
        or (INTERVENED.search(told) and not RELEASE_DEMANDED.search(told))
    ):
        return "Protest with intervention"
    return sub


def sentence_spans(article: Article) -> list[tuple[int, int]]:
    """Sentence spans from the nlp stage's Docs, never crossing a paragraph break (the
    sentence model runs headlines and subheads into the next paragraph)."""
    spans: list[tuple[int, int]] = []
    for offset, doc in article.doc:
        for sent in doc.sents:
            start = offset + sent.start_char
            for piece in re.finditer(r"[^\n]+", sent.text):
                text = piece.group().strip()
                if text:
                    s = start + piece.start() + (len(piece.group()) - len(piece.group().lstrip()))
                    if spans and text[0].islower() and "\n" not in article.text[spans[-1][1] : s]:
                        # No sentence opens in lower case: "the party STREI! staged a
                        # protest" was cut at the name's "!".
                        spans[-1] = (spans[-1][0], s + len(text))
                    else:
                        spans.append((s, s + len(text)))
    if not spans:
        position = 0
        for part in article.text.split("\n\n"):
            if part.strip():
                spans.append((position, position + len(part)))
            position += len(part) + 2
    return spans


def _not_current(text: str, *, dated: bool) -> bool:
    """Whether a sentence's event is hypothetical, threatened, denied or negated.

    A sentence with its own (current) date reports what happened on it; a cue in a
    side clause ("workers of a plant that closed years ago held a protest") does not
    undo that. Then only a strong cue before the event words ("denied attacking")
    counts.
    """
    cue = NOT_CURRENT.search(text)
    if cue is None:
        return False
    if not dated:
        return True
    unquoted = QUOTED.sub(" ", text)
    first = min((m.start() for _, p in TRIGGERS if (m := p.search(unquoted))), default=len(text))
    strong = STRONG_CUE.search(unquoted, 0, first)
    return strong is not None


def _is_future(date: tuple[str, int] | None, base: dt.date | None) -> bool:
    """Whether the sentence's date is after publication: planned or called for ("more
    protests next week"), not reported (a day's grace for time zones)."""
    if date is None or base is None:
        return False
    value, precision = date
    if precision == YEAR:
        return int(value) > base.year
    if precision == MONTH:
        year, month = map(int, value.split("-"))
        return (year, month) > (base.year, base.month)
    return dt.date.fromisoformat(value) > base + dt.timedelta(days=1)


def _is_history(date: tuple[str, int] | None, base: dt.date | None) -> bool:
    if date is None or base is None:
        return False
    value, precision = date
    if precision == YEAR:
        return int(value) < base.year
    if precision == MONTH:
        year, month = map(int, value.split("-"))
        return (year, month) < (
            (base - dt.timedelta(days=31)).year,
            (base - dt.timedelta(days=31)).month,
        )
    return dt.date.fromisoformat(value) < base - dt.timedelta(days=HISTORY_DAYS)


def _inherit_background(sentences: list[Sentence]) -> None:
    """An undated sentence right after a historical one (same or next paragraph) is history."""
    for previous, current in itertools.pairwise(sentences):
        if (
            previous.background
            and current.date is None
            and current.paragraph - previous.paragraph <= 1
        ):
            current.background = True


# (sub-type, family of the event told just before): a part of that event.
_PART_OF = {("Arrests", "demonstrations"), ("Looting/property destruction", "violence")}


def _group(sentences: list[Sentence]) -> list[Draft]:
    drafts: list[Draft] = []
    for s in sentences:
        best = max((k for k in s.distribution if k != NONE), key=s.distribution.__getitem__)
        event_type = TAXONOMY[best]
        family = FAMILY.get(event_type, event_type)
        last = drafts[-1] if drafts else None
        if (
            last is not None
            and (best, last.family) in _PART_OF
            and last.background == s.background
            and last.sentences[-1].paragraph == s.paragraph
        ):
            # Arrests told right after a protest are its policing (ACLED: a protest with
            # intervention), homes burnt right after an attack its damage: not events of
            # their own.
            last.sentences.append(s)
            continue
        for draft in drafts:
            if (
                draft.family == family
                and draft.background == s.background
                and (
                    draft.date is None
                    or s.date is None
                    or draft.date[0] == s.date[0]
                    or (s.refers_back and draft is drafts[-1])
                )
            ):
                draft.sentences.append(s)
                break
        else:
            drafts.append(Draft(family, s.background, [s]))
    return drafts


def _event_date(draft: Draft, published: str | None) -> tuple[str | None, int | None]:
    if draft.date:
        value, precision = draft.date
        if precision == DAY:
            return value, DAY
        if precision == WEEK:
            return value, WEEK
        # ACLED dates month- and year-precise events to a day, with precision 3.
        return (f"{value}-01" if precision == MONTH else f"{value}-01-01"), MONTH
    if published:
        return published[:10], WEEK
    return None, None


def _location(
    draft: Draft,
    article: Article,
    gazetteer: Gazetteer | None,
    datelines: list[tuple[int, int]],
) -> tuple[dict[str, Any] | None, int | None]:
    """Where the event happened and its ``geo_precision``. ``datelines``: the spans of
    the article's wire datelines (see ``_DATELINE``)."""
    places = [
        p
        for s in draft.sentences
        for p in s.places
        if p.feature != "STRT" and not _by_demonym(article, p, s)  # a street: its town
    ]
    # A dateline says where the reporter files from ("OUAGADOUGOU, Burkina Faso (AP) —"
    # over an attack on a village in the north), not where the event was: its places
    # count only where the event's sentences name no other.
    told = [p for p in places if not _only_in(p, datelines, draft)]
    places = told or places
    focus = article.focus.get("countries") or []
    if places:
        # Most specific, among the places in the countries the article is about; of
        # equals, one the text says it happened in ("at Halol check post", not "workers
        # from Surat").
        best = min(
            places,
            key=lambda p: (
                bool(focus) and p.country not in focus,
                LOCATION_RANK.get(p.feature or "", 4),
                _role(article.text, p, draft),
            ),
        )
        rank = LOCATION_RANK.get(best.feature or "", 4)
        return _place_dict(best, gazetteer), 1 if rank <= 1 else 2 if rank == 2 else 3
    by_name = {p.name: p for p in article.places if p.lat is not None}
    for name in article.focus.get("places", []):
        if name in by_name:
            return _place_dict(by_name[name], gazetteer), 2
    local = [p for p in by_name.values() if LOCATION_RANK.get(p.feature or "", 4) <= 3]
    if local:
        best = min(local, key=lambda p: LOCATION_RANK.get(p.feature or "", 4))
        rank = LOCATION_RANK.get(best.feature or "", 4)
        return _place_dict(best, gazetteer), 2 if rank <= 2 else 3
    for code in article.focus.get("countries", []):
        country = next(
            (p for p in article.places if p.country == code and p.feature == "PCLI"), None
        )
        if country:
            return _place_dict(country), 3
    return None, None


# A paragraph's opening dateline: "OUAGADOUGOU, Burkina Faso (AP) — ", "KYIV — ",
# "BOWLING GREEN, Ohio (Reuters) - ".
_DATELINE = re.compile(
    r"(?:^|\n)([A-Z][A-Z.'’ -]{2,40}(?:,\s*[A-Z][\w.'’ ]{1,30}){0,2}\s*"
    r"(?:\([A-Za-z ]{2,20}\)\s*)?)(?:—|–|--|-\s)"
)


def _only_in(place: Place, spans: list[tuple[int, int]], draft: Draft) -> bool:
    """Whether every mention of the place in the event's sentences lies in one of the spans."""
    inside = [
        (a, b) for a, b in place.mentions if any(s.start <= a < s.end for s in draft.sentences)
    ]
    return bool(inside) and all(any(x <= a and b <= y for x, y in spans) for a, b in inside)


# Where a place's mention stands: after "in", "at", "near"... (0), elsewhere (1), after
# "from" or before a word that makes it part of a smaller place's name (2: "workers from
# Surat", "the Saray neighbourhood of Kahramankazan", "Maskan-e Mehr").
_SCENE_BEFORE = re.compile(
    r"\b(?:in|at|near|outside|inside|around|(?:in|on) the (?:\w+ )?(?:town|city|village|area|"
    r"vicinity|countryside|outskirts|suburbs?|district) of)\s+(?:the\s+)?$"
)
_ORIGIN_BEFORE = re.compile(r"(?:\bfrom\s+(?:the\s+)?|-)$")
_PART_AFTER = re.compile(r"\s+(?:neighbou?rhood|square|street|road|highway|quarter)\b")


def _role(text: str, place: Place, draft: Draft) -> int:
    """0 if the sentences set the event in this place, 2 if they name it as an origin or
    as part of another name, else 1 (the place's best mention in the event's sentences)."""
    best = 2
    for a, b in place.mentions:
        if not any(s.start <= a < s.end for s in draft.sentences):
            continue
        before = text[max(0, a - 40) : a]
        if _ORIGIN_BEFORE.search(before) or _PART_AFTER.match(text, b):
            role = 2
        elif _SCENE_BEFORE.search(before):
            role = 0
        else:
            role = 1
        best = min(best, role)
    return best


def _by_demonym(article: Article, place: Place, sentence: Sentence) -> bool:
    """A country the sentence names only by its demonym ("Saudi forces"): an actor's
    nationality, not where the event happened."""
    spans = [(a, b) for a, b in place.mentions if sentence.start <= a < sentence.end]
    return place.feature == "PCLI" and all(article.text[a:b] != place.name for a, b in spans)


def _place_dict(p: Place, gazetteer: Gazetteer | None = None) -> dict[str, Any]:
    """An event's location. A province is coded, as ACLED does, to its capital (here the
    town named like it, else its largest) with ``geo_precision`` 3; ``admin1`` keeps the
    province's name."""
    seat = None
    if p.feature == "ADM1" and p.country and gazetteer is not None:
        seat = gazetteer.seat(p.country, p.name)
    if seat is not None:
        return {
            "name": seat.name,
            "geonameid": seat.geonameid,
            "lat": seat.lat,
            "lon": seat.lon,
            "country": seat.country,
            "admin1": p.name,
        }
    return {
        "name": p.name,
        "geonameid": p.geonameid,
        "lat": p.lat,
        "lon": p.lon,
        "country": p.country,
        "admin1": p.admin1,
    }
