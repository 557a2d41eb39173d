"""ACLED's vocabulary for tidings: taxonomy, PLOVER crosswalk, trigger words, coding rules.

The events stage (:mod:`tidings.stages.events`) reads these tables and patterns; they
are data about ACLED's codebook more than code, and live here so that the stage reads
as the procedure it is. Comments say which ACLED rule a pattern encodes.
"""

from __future__ import annotations

import re

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
# Fire returned: both sides fought, which ACLED codes an armed clash whatever the first
# weapon ("a grenade was thrown at the checkpoint; police reacted with gunfire"); in the
# training notes, 53 of the 55 that say so are armed clashes.
FIRE_RETURNED_PATTERN = (
    r"return(?:ed|ing)? fire|(?:reacted|responded|retaliated) with (?:gun)?fire|fired back"
)
FIRE_RETURNED = re.compile(rf"\b(?:{FIRE_RETURNED_PATTERN})\b", re.I)
# Trigger words: what a sentence must say for a sub-event type to be in play. Their prior
# is averaged with the classifier's distribution (which knows ACLED's coder notes better
# than it knows article prose).
TRIGGERS: list[tuple[str, re.Pattern[str]]] = [
    (sub, re.compile(pattern, re.I))
    for sub, pattern in [
        (
            "Air/drone strike",
            # Not a drone seen, filmed or sold ("a drone was sighted near the runway").
            r"\b(?:drones?(?![- ](?:sightings?|was sighted|were sighted|was spotted|"
            r"were spotted|deliver\w*|footage|light shows?|shows?|racing|makers?|industry|"
            r"regulations?|rules|hobbyists?|photography|cameras?))|"
            r"air ?strikes?|airstrikes?|air raids?|warplanes?|"
            r"bombed from the air|aerial (?:attacks?|bombardments?)|air raids?)\b",
        ),
        ("Suicide bomb", r"\bsuicide (?:bomb\w*|attack\w*|vest)"),
        (
            "Remote explosive/landmine/IED",
            r"\b(?:IEDs?|roadside bombs?|landmines?|car bombs?|"
            r"explosive devices?|booby[- ]trapped|bomb blast|"
            r"(?:bomb|explosion) (?:went off|exploded|ripped))\b",
        ),
        # Hand grenades; "grenade launchers" fire in exchanges of fire (armed clashes).
        ("Grenade", r"\bgrenades?\b(?! launchers?)"),
        (
            "Shelling/artillery/missile attack",
            # Not a weapon's treaty, test, programme, base or launch ("a nuclear missile
            # pact", "sanctions over a rocket launch").
            r"\b(?:shell(?:ing|ed|s)|artillery|mortars?|"
            r"(?:rockets?|missiles?)(?![- ](?:pacts?|treat(?:y|ies)|tests?|testing|"
            r"programm?e?s?|launch\w*|bases?|warehouses?|defen[cs]es?|accords?|deals?|"
            r"technology|sites?|shields?)\b))\b",
        ),
        (
            "Chemical weapon",
            r"\b(?:chemical (?:weapons?|attack|agents?)|chlorine|sarin|nerve agent|"
            r"toxic gas|mustard|phosgene)\b",
        ),
        (
            "Armed clash",
            # Not a fixture: "the Champions League clash with Barcelona", "a Cup clash".
            r"\b(?:(?<!League )(?<!Cup )(?<!Nations )(?<!derby )(?<!title )(?<!final )"
            r"(?<!round )(?<!-final )clash(?:ed|es)?|"
            r"fighting|gunfights?|firefights?|exchanged? (?:\w+ )?fire|"
            r"exchange of (?:heavy )?(?:gun)?fire|"
            r"exchanged (?:artillery|gunfire|shots)|small arms|machine guns?|"
            + FIRE_RETURNED_PATTERN
            + r"|battles?|ambush(?:ed)?|fought)\b",
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
            # Not "protested her innocence": a plea, not a protest.
            r"\b(?:protest\w*(?! (?:her|his|their|its|my) innocence)|demonstrators?|"
            r"demonstrations?|demonstrated (?:against|outside|in|to)|dharnas?|"
            # A blockade is a protest (ACLED codes most so; violent ones by what was done).
            r"block(?:ed|ing|aded|ading) (?:the |a |some |several |an? )?(?:[\w'-]+ ){0,3}?"
            r"(?:roads?|streets?|highways?|rails?|railway|traffic|entrances?|bridges?|"
            r"junctions?|intersections?)|"
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
            r"locals|youths?|community members|a crowd)|"
            # A crowd as the subject: "community members set alight a tavern", "a group
            # of local people killed a man", "fruit sellers clashed with police".
            r"(?:residents|villagers|locals|youths|community members|a crowd|"
            r"group of (?:\w+\s+){0,2}?(?:people|men|residents|villagers|locals|youths))"
            r"\s+(?:\w+\s+){0,2}?(?:attacked|beat|assaulted|stoned|set alight|torched|"
            r"killed|clashed)|"
            r"(?:sellers|vendors|traders|workers|activists|supporters|men)\s+"
            r"(?:\w+\s+){0,2}?clashed (?:with|against) (?:\w+\s+){0,2}?police)\b",
        ),
        ("Arrests", r"\b(?:arrest\w*|detain\w*|taken into custody)\b"),
        (
            "Agreement",
            # ACLED's codebook counts peace talks, prisoner exchanges and releases,
            # and surrenders among agreements.
            r"\b(?:ceasefire|peace (?:deal|agreement|accord|talks|negotiations)|"
            r"signed an agreement|truce|"
            r"exchang\w* (?:of )?(?:prisoners|detainees|captives)|"
            r"prisoner (?:exchange|swap)s?|swap\w* (?:of )?prisoners|"
            r"in exchange for (?:the release of )?(?:\w+\s+){0,3}?(?:prisoners|detainees|"
            r"captives|soldiers|hostages|fighters)|"
            r"(?:surrendered|laid down (?:their )?arms) (?:to|and)\b)\b",
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
            # Not a relay's "baton changes".
            r"\b(?:batons?(?! chang\w*)|live (?:ammunition|rounds|fire)|"
            r"beat(?:en|ing)? (?:\w+ )?(?:protesters|"
            r"demonstrators)|(?:shot|killed|fired on) (?:\w+ )?(?:protesters|demonstrators))\b",
        ),
    ]
]
HISTORY_DAYS = 14  # an event dated further back than this is background
NOT_CURRENT = re.compile(
    r"\b(?:threat\w*|warn\w*|vow\w*|would|could|might|if|plans? to|planned to|"
    r"den(?:y|ied|ies)|(?:did|does|had|has|have) not|didn't|hadn't|hasn't|never|at the time|"
    r"accus\w+ of|blamed|in the past|anniversary|years? ago|last year|"
    # The event itself denied ("no arrests were made"), not its toll ("no casualties").
    r"no arrests?|no(?: one|body) (?:was|were|has been|had been) (?:arrested|detained))\b",
    re.I,
)
STRONG_CUE = re.compile(
    r"\b(?:threat\w*|warn\w*|vow\w*|would|could|might|if|plans? to|planned to|"
    r"den(?:y|ied|ies))\b",
    re.I,
)
LOCATION_RANK = {
    "PPLX": 0,
    # the supplement's sites: an airport, square, base, crossing, holy place, power station
    "AIRP": 0,
    "SQR": 0,
    "INSM": 0,
    "PSTB": 0,
    "MSQE": 0,
    "RLG": 0,
    "PS": 0,
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
FAMILY = {
    "Protests": "demonstrations",
    "Riots": "demonstrations",
    "Battles": "violence",
    "Explosions/Remote violence": "violence",
    "Violence against civilians": "violence",
}
QUOTED = re.compile(r"[\"“][^\"”]*[\"”]?")
# A toll "in the attack" belongs to the event the article is already describing.
ANAPHORA = re.compile(
    r"\b(?:in|during|after|by|from) the (?:attack|blast|explosion|incident|strike|bombing|assault|"
    r"raid|shooting|clashes|fighting|violence|unrest)\b",
    re.I,
)
SPEECH_BEFORE = re.compile(
    r"\b(?:said|says|told \w+|told|announced|reported|confirmed|added|stated|statement)\b"
    r"[^.;]{0,20}$",
    re.I,
)
# Who was attacked: the words after the attack verb.
VICTIM = (
    r"\b(?:attacked|attacking|killed|killing|targeted|ambushed|shot|assassinated|against)"
    # not past "by": "shot dead by Israeli troops" names who shot
    r"\s+(?:(?!by\b)\w+\s+){0,4}?"
)
ARMED = (
    r"(?:soldiers?|troops|army|military|forces|police\w*|officers?|post|checkpoint|patrol|"
    r"gendarm\w*|station|rebels?|fighters?|militants?|member|militia\w*|base|convoy|units?|"
    r"guards?|positions?)"
)
ARMED_VICTIM = re.compile(
    rf"{VICTIM}{ARMED}\b|\b{ARMED}\s+(?:\w+\s+){{0,2}}?(?:was|were)\s+(?:\w+\s+)?"
    r"(?:attacked|shot|ambushed|targeted|stabbed)\b",
    re.I,
)
CIVILIAN_VICTIM = re.compile(
    r"\b(?:civilians?|villagers?|villages?|residents?|farmers?|women|children|child|girl|boy|"
    r"shepherd|worshippers|journalists?|teachers?|students?|passers?-?by|man|woman|homes?|"
    r"market|church|mosque|school)\b",
    re.I,
)
DETAINED = re.compile(
    r"\b(?:detain\w*|arrest\w*)\s+(?:\w+\s+){0,2}?(?:protesters|demonstrators)\b", re.I
)
# Authorities acting on a protest: "Police intervened and detained them", "One woman
# was arrested", "were peacefully removed by the police". Where the protest demands
# someone's release, an arrest is its cause ("He was arrested in connection with ..."):
# see ``RELEASE_DEMANDED``.
INTERVENED = re.compile(
    r"\b(?:police|officers|security forces|authorities)\b(?:\W+\w+){0,5}?\W+"
    r"(?:arrested|detained|intervened|removed)\b|"
    r"\b(?:was|were)\s+(?:\w+\s+)?(?:arrested|detained|removed)\b",
    re.I,
)
RELEASE_DEMANDED = re.compile(r"\b(?:release|releasing|freedom|free)\b", re.I)
KILLING = re.compile(r"\b(?:kill\w*|dead|deaths?|died|fatalit\w*)\b", re.I)
NO_DEATHS = re.compile(r"\b(?:surviv\w+|failed|foiled|thwarted|unsuccessful)\b", re.I)
VIOLENT_PROTEST = re.compile(
    # Not "riot police": police.
    r"\b(?:turned (?:deadly|violent)|riot\w*(?![- ](?:police|gear|squads?|officers?|control|"
    r"units?|shields?))|clash\w*|threw|hurl\w*|torch\w*|set (?:fire|ablaze)|"
    r"stones|rocks|pelt\w*|burn\w* (?:tyres|tires)|molotov|petrol bombs?|fire ?bombs?)\b",
    re.I,
)

# Violence that is the protest's subject, not the protesters' act: "against the release
# of prisoners after riots", "activists accused of hurling a Molotov cocktail".
VIOLENCE_AS_TOPIC = re.compile(
    r"\b(?:accused of|during (?:recent|earlier|last|previous|past)|after|following|against|"
    r"over|about|amid|since|recent|"
    r"condemn\w*|denounc\w*)\s+(?:\w+\s+){0,4}$",
    re.I,
)


def violent_protest(text: str) -> bool:
    """Whether protesters themselves used violence, by the words that say so."""
    return any(
        not VIOLENCE_AS_TOPIC.search(text, max(0, m.start() - 60), m.start())
        for m in VIOLENT_PROTEST.finditer(text)
    )
