"""``events``: the events an article reports, coded in ACLED's taxonomy.

Each sentence is classified (:mod:`tidings.eventmodel`) into one of ACLED's 25
sub-event types or "none". Sentences of the same kind of event whose dates do
not conflict are one event: a report names its attack in the headline, the
lead and the toll paragraph, and that is one attack. For each event:

- type, sub-type, disorder type and the PLOVER crosswalk;
- date: the first date expression in its sentences, resolved against the
  publication date; else the publication date, at week precision;
- location: the most specific place its sentences name; else the article's
  focus place (``geo_precision`` 2) or country (3);
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

from ..actors import code_actors, group_country
from ..article import Article, Place
from ..casualties import Counts, combine, sentence_counts
from ..eventmodel import NONE, EventModel
from ..gazetteer import Gazetteer
from ..stage import Stage
from ..timeexpr import DAY, MONTH, WEEK, YEAR, published_date

TAXONOMY: dict[str, str] = {
    "Armed clash": "Battles",
    "Government regains territory": "Battles",
    "Non-state actor overtakes territory": "Battles",
    "Chemical weapon": "Explosions/Remote violence",
    "Air/drone strike": "Explosions/Remote violence",
    "Suicide bomb": "Explosions/Remote violence",
    "Shelling/artillery/missile attack": "Explosions/Remote violence",
    "Remote explosive/landmine/IED": "Explosions/Remote violence",
    "Grenade": "Explosions/Remote violence",
    "Sexual violence": "Violence against civilians",
    "Attack": "Violence against civilians",
    "Abduction/forced disappearance": "Violence against civilians",
    "Peaceful protest": "Protests",
    "Protest with intervention": "Protests",
    "Excessive force against protesters": "Protests",
    "Violent demonstration": "Riots",
    "Mob violence": "Riots",
    "Agreement": "Strategic developments",
    "Arrests": "Strategic developments",
    "Change to group/activity": "Strategic developments",
    "Disrupted weapons use": "Strategic developments",
    "Headquarters or base established": "Strategic developments",
    "Looting/property destruction": "Strategic developments",
    "Non-violent transfer of territory": "Strategic developments",
    "Other": "Strategic developments",
}
DISORDER = {
    "Battles": "Political violence",
    "Explosions/Remote violence": "Political violence",
    "Violence against civilians": "Political violence",
    "Protests": "Demonstrations",
    "Riots": "Demonstrations",
    "Strategic developments": "Strategic developments",
}
# PLOVER event type and, where it applies, its mode.
PLOVER: dict[str, tuple[str, str | None]] = {
    "Armed clash": ("ASSAULT", "firearms"),
    "Government regains territory": ("ASSAULT", None),
    "Non-state actor overtakes territory": ("ASSAULT", None),
    "Chemical weapon": ("ASSAULT", "wmd"),
    "Air/drone strike": ("ASSAULT", "aerial"),
    "Suicide bomb": ("ASSAULT", "explosives"),
    "Shelling/artillery/missile attack": ("ASSAULT", "explosives"),
    "Remote explosive/landmine/IED": ("ASSAULT", "explosives"),
    "Grenade": ("ASSAULT", "explosives"),
    "Sexual violence": ("ASSAULT", "primitive"),
    "Attack": ("ASSAULT", None),
    "Abduction/forced disappearance": ("ASSAULT", "abduct"),
    "Peaceful protest": ("PROTEST", "demonstrate"),
    "Protest with intervention": ("PROTEST", "demonstrate"),
    "Excessive force against protesters": ("COERCE", "repression"),
    "Violent demonstration": ("PROTEST", "riot"),
    "Mob violence": ("ASSAULT", "primitive"),
    "Agreement": ("AGREE", None),
    "Arrests": ("COERCE", "arrest"),
    "Change to group/activity": ("MOBILIZE", None),
    "Disrupted weapons use": ("COERCE", "seize"),
    "Headquarters or base established": ("MOBILIZE", None),
    "Looting/property destruction": ("ASSAULT", "property"),
    "Non-violent transfer of territory": ("CONCEDE", None),
    "Other": ("CONSULT", None),
}

THRESHOLD = 0.5  # least classifier probability for an event without a trigger word
TRIGGERED_THRESHOLD = 0.3  # least combined probability when a trigger word is present
# A trigger word does not override a classifier sure there is no event ("a takeover
# battle", "prices fell to"): measured on BBC business/tech/sport/entertainment, this cap
# cut false events from 20% to 3% of articles with no loss on ACLED or CASE.
NONE_CAP = 0.7
# Sub-types whose trigger words business, sport and politics also use; only these yield
# to a confident "none".
WEAK_TRIGGERS = {
    "Armed clash",
    "Non-state actor overtakes territory",
    "Government regains territory",
    "Change to group/activity",
    "Agreement",
    "Headquarters or base established",
    "Looting/property destruction",
    "Disrupted weapons use",
    "Arrests",
}
# Trigger words: what a sentence must say for a sub-event type to be in play. Their prior
# is averaged with the classifier's distribution (which knows ACLED's coder notes better
# than it knows article prose).
TRIGGERS: list[tuple[str, re.Pattern[str]]] = [
    (sub, re.compile(pattern, re.I))
    for sub, pattern in [
        (
            "Air/drone strike",
            r"\b(?:drones?|air ?strikes?|airstrikes?|air raids?|warplanes?|"
            r"bombed from the air|aerial (?:attacks?|bombardments?)|air raids?)\b",
        ),
        ("Suicide bomb", r"\bsuicide (?:bomb\w*|attack\w*|vest)"),
        (
            "Remote explosive/landmine/IED",
            r"\b(?:IEDs?|roadside bombs?|landmines?|car bombs?|"
            r"explosive devices?|booby[- ]trapped|bomb blast|"
            r"(?:bomb|explosion) (?:went off|exploded|ripped))\b",
        ),
        ("Grenade", r"\bgrenades?\b"),
        (
            "Shelling/artillery/missile attack",
            r"\b(?:shell(?:ing|ed|s)|artillery|mortars?|"
            r"rockets?|missiles?)\b",
        ),
        (
            "Chemical weapon",
            r"\b(?:chemical (?:weapons?|attack|agents?)|chlorine|sarin|nerve agent|"
            r"toxic gas|mustard|phosgene)\b",
        ),
        (
            "Armed clash",
            r"\b(?:clash(?:ed|es)?|fighting|gunfights?|firefights?|exchanged? (?:\w+ )?fire|"
            r"exchange of (?:heavy )?(?:gun)?fire|"
            r"exchanged (?:artillery|gunfire|shots)|small arms|machine guns?|"
            r"battles?|ambush(?:ed)?|fought)\b",
        ),
        (
            "Attack",
            r"\b(?:(?:was|were|been) shot|shot dead|shot and (?:killed|wounded|injured)|gunmen|"
            r"stabbed|murdered|attacked|opened fire|"
            r"massacre|beheaded|assassinat\w*)\b",
        ),
        ("Abduction/forced disappearance", r"\b(?:kidnapp\w*|abduct\w*|taken hostage|hostages?)\b"),
        ("Sexual violence", r"\b(?:rape[ds]?|sexual(?:ly)? (?:assault|abuse|violence))\b"),
        (
            "Peaceful protest",
            r"\b(?:protest\w*|demonstrators?|demonstrations?|demonstrated (?:against|outside|in)|"
            r"rall(?:y|ied|ies) (?:against|in support|outside|in front|to (?:demand|protest))|"
            r"marched|"
            r"sit-in|strike action|went on strike|picket\w*)\b",
        ),
        (
            "Protest with intervention",
            r"\b(?:dispers\w*|tear ?gas|water cannons?|"
            r"rubber bullets)\b",
        ),
        (
            "Violent demonstration",
            r"\b(?:riot\w*|torch(?:ed)?|set (?:fire|ablaze)|burn\w* (?:tyres|tires)|"
            r"pelted (?:with )?stones|stone[- ]pelting|"
            r"molotov|hurl(?:ed|ing) stones|threw (?:stones|rocks)|turned (?:deadly|violent))\b",
        ),
        (
            "Mob violence",
            r"\b(?:an? (?:angry )?mob|mob (?:of|attacked|killed|beat\w*|lynched)|lynch\w*|"
            r"vigilantes?|"
            r"scuffle\w*|set alight by|(?:attacked|beaten|injured|"
            r"assaulted) by (?:a group of |angry |suspected )?(?:residents|villagers|traders|"
            r"locals|youths?|community members|a crowd))\b",
        ),
        ("Arrests", r"\b(?:arrest\w*|detain\w*|taken into custody)\b"),
        (
            "Agreement",
            r"\b(?:ceasefire|peace (?:deal|agreement|accord)|signed an agreement|truce)\b",
        ),
        (
            "Looting/property destruction",
            r"\b(?:loot\w*|vandali[sz]\w*|destroyed (?:homes|houses|"
            r"property)|burned down)\b",
        ),
        (
            "Government regains territory",
            r"\b(?:regain\w*|recaptur\w*|retak\w*|retook|liberat(?:ed|ing)|back under "
            r"(?:government|army) control)\b",
        ),
        (
            "Non-state actor overtakes territory",
            r"\b(?:seiz\w* control|took control|taken control|overr[au]n|fell to|captured the "
            r"(?:town|city|village|district|base))\b",
        ),
        (
            "Disrupted weapons use",
            r"\b(?:defus\w*|intercept\w*|seiz\w* (?:\w+ )?(?:weapons|arms|ammunition|explosives)|"
            r"weapons? cache|arms cache|(?:explosives?|bombs?|devices?) (?:was|were) (?:found|"
            r"discovered)|bomb disposal|dismantl\w*|shot down)\b",
        ),
        (
            "Headquarters or base established",
            r"\b(?:set up|established?|establishing|built) (?:a |an |the |its )?(?:\w+ ){0,2}"
            r"(?:base|post|headquarters|outpost|camp)\b",
        ),
        (
            "Change to group/activity",
            r"\b(?:reinforc\w*|redeploy\w*|military drills|defect\w*|merg(?:ed|er)|"
            r"split from|curfew|relocat\w*)\b",
        ),
        (
            "Excessive force against protesters",
            r"\b(?:batons?|live (?:ammunition|rounds|fire)|beat(?:en|ing)? (?:\w+ )?(?:protesters|"
            r"demonstrators)|(?:shot|killed|fired on) (?:\w+ )?(?:protesters|demonstrators))\b",
        ),
    ]
]
HISTORY_DAYS = 14  # an event dated further back than this is background
_NOT_CURRENT = re.compile(
    r"\b(?:threat\w*|warn\w*|vow\w*|would|could|might|if|plans? to|planned to|"
    r"den(?:y|ied|ies)|(?:did|does|had|has|have) not|didn't|hadn't|hasn't|never|at the time|"
    r"accus\w+ of|blamed|in the past|anniversary|years? ago|last year|"
    r"no (?:arrests?|one|injuries|casualties|deaths))\b",
    re.I,
)
_STRONG_CUE = re.compile(
    r"\b(?:threat\w*|warn\w*|vow\w*|would|could|might|if|plans? to|planned to|"
    r"den(?:y|ied|ies))\b",
    re.I,
)
_LOCATION_RANK = {
    "PPLX": 0,
    "PPLC": 1,
    "PPLA": 1,
    "PPL": 1,
    "ADM2": 2,
    "ADM1": 3,
    "RGN": 4,
    "AREA": 4,
    "PCLI": 5,
}
TRIGGERS_BY_SUB = dict(TRIGGERS)
# Types that may describe one event between them, for merging sentences.
_FAMILY = {
    "Protests": "demonstrations",
    "Riots": "demonstrations",
    "Battles": "violence",
    "Explosions/Remote violence": "violence",
    "Violence against civilians": "violence",
}
_QUOTED = re.compile(r"[\"“][^\"”]*[\"”]?")
# A toll "in the attack" belongs to the event the article is already describing.
_ANAPHORA = re.compile(
    r"\b(?:in|during|after|by|from) the (?:attack|blast|explosion|incident|strike|bombing|assault|"
    r"raid|shooting|clashes|fighting|violence|unrest)\b",
    re.I,
)
_SPEECH_BEFORE = re.compile(
    r"\b(?:said|says|told \w+|told|announced|reported|confirmed|added|stated|statement)\b"
    r"[^.;]{0,20}$",
    re.I,
)
# Who was attacked: the words after the attack verb.
_VICTIM = (
    r"\b(?:attacked|attacking|killed|killing|targeted|ambushed|shot|assassinated|against)"
    r"\s+(?:\w+\s+){0,4}?"
)
_ARMED = (
    r"(?:soldiers?|troops|army|military|forces|police\w*|officers?|post|checkpoint|patrol|"
    r"gendarm\w*|station|rebels?|fighters?|militants?|member|militia\w*|base|convoy|units?|"
    r"guards?|positions?)"
)
_ARMED_VICTIM = re.compile(
    rf"{_VICTIM}{_ARMED}\b|\b{_ARMED}\s+(?:\w+\s+){{0,2}}?(?:was|were)\s+(?:\w+\s+)?"
    r"(?:attacked|shot|ambushed|targeted|stabbed)\b",
    re.I,
)
_CIVILIAN_VICTIM = re.compile(
    r"\b(?:civilians?|villagers?|villages?|residents?|farmers?|women|children|child|girl|boy|"
    r"shepherd|worshippers|journalists?|teachers?|students?|passers?-?by|man|woman|homes?|"
    r"market|church|mosque|school)\b",
    re.I,
)
_DETAINED = re.compile(
    r"\b(?:detain\w*|arrest\w*)\s+(?:\w+\s+){0,2}?(?:protesters|demonstrators)\b", re.I
)
_KILLING = re.compile(r"\b(?:kill\w*|dead|deaths?|died|fatalit\w*)\b", re.I)
_NO_DEATHS = re.compile(r"\b(?:surviv\w+|failed|foiled|thwarted|unsuccessful)\b", re.I)
_VIOLENT_PROTEST = re.compile(
    r"\b(?:turned (?:deadly|violent)|riot\w*|clash\w*|threw|hurl\w*|torch\w*|set (?:fire|ablaze)|"
    r"stones|rocks|pelt\w*|burn\w* (?:tyres|tires)|molotov)\b",
    re.I,
)


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

    def _model(self) -> EventModel:
        self.setup()
        if self.model is None:
            raise RuntimeError("events stage: the event model did not load")
        return self.model

    def process(self, article: Article) -> None:
        model = self._model()
        base = published_date(article.published)
        sentences = []
        for start, end in sentence_spans(article):
            text = article.text[start:end]
            distribution = event_distribution(model, text)
            if distribution is not None:
                sentences.append(self._sentence(article, start, end, distribution, base))
            elif sentences and _ANAPHORA.search(text) and not sentences[-1].background:
                counts = sentence_counts(text)
                if counts.fatalities is not None or counts.injured is not None:
                    # A toll "in the attack": the event the article is describing.
                    sentences.append(
                        self._sentence(article, start, end, sentences[-1].distribution, base)
                    )
        _inherit_background(sentences)
        drafts = _group(sentences)
        article.events = [self._record(article, d, base) for d in drafts]
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
            and not _SPEECH_BEFORE.search(article.text, max(start, d.start - 40), d.start)
        ]
        date = (str(dates[0].value), dates[0].precision or DAY) if dates else None
        places = [
            p
            for p in article.places
            if p.lat is not None and any(start <= s < end for s, _ in p.mentions)
        ]
        text = article.text[start:end]
        background = _is_history(date, base) or _not_current(text, dated=date is not None)
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
            bool(_ANAPHORA.search(text)),
        )
        return sentence

    def _record(self, article: Article, draft: Draft, base: dt.date | None) -> dict[str, Any]:
        votes: dict[str, float] = {}
        for s in draft.sentences:
            for label, p in s.distribution.items():
                if label != NONE:
                    votes[label] = votes.get(label, 0.0) + p
        text = " ".join(article.text[s.start : s.end] for s in draft.sentences)
        unquoted = _QUOTED.sub(" ", text)
        # ACLED codes the means: a drone, shell or bomb makes it remote violence.
        remote = {
            sub
            for sub, pattern in TRIGGERS
            if TAXONOMY[sub] == "Explosions/Remote violence" and pattern.search(unquoted)
        }
        clash = TRIGGERS_BY_SUB["Armed clash"].search(unquoted)
        if draft.family == "violence" and remote and not clash:
            votes = {k: v for k, v in votes.items() if k in remote}
        sub = max(votes, key=votes.__getitem__)
        fatalities, injured = combine([s.counts for s in draft.sentences])
        if (
            fatalities is None
            and TAXONOMY[sub] != "Strategic developments"
            and not _KILLING.search(unquoted)
            and (injured is not None or _NO_DEATHS.search(unquoted))
        ):
            fatalities = 0  # a report that counts the injured, or a failed attack, has no dead
        if (
            sub == "Attack"
            and _ARMED_VICTIM.search(unquoted)
            and not _CIVILIAN_VICTIM.search(unquoted)
        ):
            sub = "Armed clash"  # ACLED: violence against civilians needs civilian victims
        if draft.family == "demonstrations":
            sub = _protest_kind(sub, unquoted)
        if sub == "Peaceful protest" and (
            fatalities or injured or _VIOLENT_PROTEST.search(unquoted)
        ):
            violent = _VIOLENT_PROTEST.search(unquoted)
            sub = "Violent demonstration" if violent else "Protest with intervention"
        event_type = TAXONOMY[sub]
        date, time_precision = _event_date(draft, article.published)
        location, geo_precision = _location(draft, article)
        if location is None and self.gazetteer is not None:
            implied = group_country(text)  # "Houthi forces shelled ...": Yemen
            place = self.gazetteer.country(implied) if implied else None
            if place is not None:
                location = {"name": place.name, "geonameid": place.geonameid, "lat": place.lat,
                            "lon": place.lon, "country": place.country, "admin1": None}  # fmt: skip
                geo_precision = 3
        country = location.get("country") if location else None
        if not country and article.focus.get("countries"):
            country = article.focus["countries"][0]
        actors = code_actors(event_type, sub, text, self.country_names.get(country or "", country))
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


def event_distribution(model: EventModel, text: str) -> dict[str, float] | None:
    """The sub-event distribution of a sentence that reports an event, else None."""
    distribution = model.predict(text).distribution
    unquoted = _QUOTED.sub(" ", text)  # "the missiles of treachery" in a quote is rhetoric
    triggered = [sub for sub, pattern in TRIGGERS if pattern.search(unquoted)]
    weak_only = set(triggered) <= WEAK_TRIGGERS
    if triggered and (distribution[NONE] < NONE_CAP or not weak_only):
        prior = 1.0 / len(triggered)
        combined = {
            k: 0.5 * p + (0.5 * prior if k in triggered else 0.0) for k, p in distribution.items()
        }
        best = max((k for k in combined if k != NONE), key=combined.__getitem__)
        # Several triggers split the prior; the classifier's own "not none" still counts.
        likely = combined[best] >= TRIGGERED_THRESHOLD or distribution[NONE] < 0.5
        return combined if likely else None
    best = max((k for k in distribution if k != NONE), key=distribution.__getitem__)
    return distribution if distribution[best] >= THRESHOLD else None


def _protest_kind(sub: str, text: str) -> str:
    """ACLED's protest sub-types follow what the authorities did."""
    if TRIGGERS_BY_SUB["Excessive force against protesters"].search(text):
        return "Excessive force against protesters"
    if _VIOLENT_PROTEST.search(text) and sub in ("Peaceful protest", "Protest with intervention"):
        return "Violent demonstration"  # protesters' violence, whatever the police then did
    if sub == "Peaceful protest" and (
        TRIGGERS_BY_SUB["Protest with intervention"].search(text) or _DETAINED.search(text)
    ):
        return "Protest with intervention"
    return sub


def sentence_spans(article: Article) -> list[tuple[int, int]]:
    """Sentence spans from the nlp stage's Docs, never crossing a paragraph break (the
    sentence model runs headlines and subheads into the next paragraph)."""
    spans = []
    for offset, doc in article.doc:
        for sent in doc.sents:
            start = offset + sent.start_char
            for piece in re.finditer(r"[^\n]+", sent.text):
                text = piece.group().strip()
                if text:
                    s = start + piece.start() + (len(piece.group()) - len(piece.group().lstrip()))
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
    cue = _NOT_CURRENT.search(text)
    if cue is None:
        return False
    if not dated:
        return True
    unquoted = _QUOTED.sub(" ", text)
    first = min((m.start() for _, p in TRIGGERS if (m := p.search(unquoted))), default=len(text))
    strong = _STRONG_CUE.search(unquoted, 0, first)
    return strong is not None


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


def _group(sentences: list[Sentence]) -> list[Draft]:
    drafts: list[Draft] = []
    for s in sentences:
        best = max((k for k in s.distribution if k != NONE), key=s.distribution.__getitem__)
        event_type = TAXONOMY[best]
        family = _FAMILY.get(event_type, event_type)
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


def _location(draft: Draft, article: Article) -> tuple[dict[str, Any] | None, int | None]:
    places = [p for s in draft.sentences for p in s.places]
    focus = article.focus.get("countries") or []
    if places:
        # Most specific, among the places in the countries the article is about.
        best = min(
            places,
            key=lambda p: (
                bool(focus) and p.country not in focus,
                _LOCATION_RANK.get(p.feature or "", 4),
            ),
        )
        rank = _LOCATION_RANK.get(best.feature or "", 4)
        return _place_dict(best), 1 if rank <= 1 else 2 if rank == 2 else 3
    by_name = {p.name: p for p in article.places if p.lat is not None}
    for name in article.focus.get("places", []):
        if name in by_name:
            return _place_dict(by_name[name]), 2
    local = [p for p in by_name.values() if _LOCATION_RANK.get(p.feature or "", 4) <= 3]
    if local:
        best = min(local, key=lambda p: _LOCATION_RANK.get(p.feature or "", 4))
        return _place_dict(best), 2 if _LOCATION_RANK.get(best.feature or "", 4) <= 2 else 3
    for code in article.focus.get("countries", []):
        country = next(
            (p for p in article.places if p.country == code and p.feature == "PCLI"), None
        )
        if country:
            return _place_dict(country), 3
    return None, None


def _place_dict(p: Place) -> dict[str, Any]:
    return {
        "name": p.name,
        "geonameid": p.geonameid,
        "lat": p.lat,
        "lon": p.lon,
        "country": p.country,
        "admin1": p.admin1,
    }
