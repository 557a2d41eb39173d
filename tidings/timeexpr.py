"""Resolve date expressions ("On Sunday", "Oct. 10", "late 2019") to dates.

News prose dates events relative to the publication day. The NER model finds
the DATE spans; this module turns each into an ISO value and a precision:

========= ======================== =========================================
precision meaning                  ``value``
========= ======================== =========================================
1         the day                  ``YYYY-MM-DD``
2         the week                 ``YYYY-MM-DD`` of the week's Monday
3         the month                ``YYYY-MM``
4         the year                 ``YYYY``
========= ======================== =========================================

Durations ("six months", "almost a month") are not points in time and resolve
to nothing. Fast rules cover the forms news uses most; anything else goes to
dateparser (slow, so only as a fallback, and cached).
"""

from __future__ import annotations

import datetime as dt
import email.utils
import re
from dataclasses import dataclass
from functools import lru_cache

from .numbers import WORD_NUMBERS, parse_number

DAY, WEEK, MONTH, YEAR = 1, 2, 3, 4

_WEEKDAYS = {
    d: i
    for i, d in enumerate(
        ["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"]
    )
}
_MONTHS = {
    "jan": 1,
    "january": 1,
    "feb": 2,
    "february": 2,
    "mar": 3,
    "march": 3,
    "apr": 4,
    "april": 4,
    "may": 5,
    "jun": 6,
    "june": 6,
    "jul": 7,
    "july": 7,
    "aug": 8,
    "august": 8,
    "sep": 9,
    "sept": 9,
    "september": 9,
    "oct": 10,
    "october": 10,
    "nov": 11,
    "november": 11,
    "dec": 12,
    "december": 12,
}

_MONTH_RE = "|".join(sorted(_MONTHS, key=len, reverse=True))
_WEEKDAY_RE = "|".join(_WEEKDAYS)
_NUM_RE = r"\d+|" + "|".join(w for w in WORD_NUMBERS if " " not in w and WORD_NUMBERS[w] <= 12)

_LEAD = re.compile(r"^(?:on|in|at|by|since|until|till|from|during|of|as of|the|this past)\s+")
_QUALIFIER = re.compile(
    r"^(?:early|late|mid|the end of|the start of|the beginning of|the middle of)[\s-]+"
)
_PART_OF_DAY = re.compile(r"\s+(?:morning|afternoon|evening|night|overnight)$")
_ORDINAL = re.compile(r"(\d+)(?:st|nd|rd|th)\b")

_P_WEEKDAY = re.compile(rf"^(?:(last|this|next|past)\s+)?({_WEEKDAY_RE})$")
_P_MONTH_DAY = re.compile(rf"^({_MONTH_RE})\.?\s+(\d{{1,2}})(?:\s*,?\s*(\d{{4}}))?$")
_P_DAY_MONTH = re.compile(rf"^(\d{{1,2}})\s+(?:of\s+)?({_MONTH_RE})\.?(?:\s*,?\s*(\d{{4}}))?$")
_P_MONTH_YEAR = re.compile(rf"^({_MONTH_RE})\.?\s*,?\s*(?:of\s+)?(\d{{4}})$")
_P_MONTH = re.compile(rf"^(?:(last|this|next|past)\s+)?({_MONTH_RE})\.?$")
_P_YEAR = re.compile(r"^(\d{4})$")
_P_ISO = re.compile(r"^(\d{4})-(\d{2})-(\d{2})$")
_P_AGO = re.compile(rf"^({_NUM_RE})\s+(day|week|month|year)s?\s+(ago|earlier|before)$")
_P_RELATIVE_UNIT = re.compile(r"^(last|this|next|past)\s+(week|month|year|weekend)$")
_P_DURATION = re.compile(
    rf"^(?:(?:almost|nearly|about|around|roughly|more than|over|at least|some|up to|another|"
    rf"the (?:past|last|next|coming|previous))\s+)?(?:{_NUM_RE}|several|few|a few|many|couple of|"
    rf"a couple of|half a|\d+-)?[\s-]*(?:day|week|month|year|decade|hour|minute|century)s?"
    rf"(?:[\s-](?:long|old))?$"
)
_SIMPLE = {
    "today": 0,
    "tonight": 0,
    "yesterday": -1,
    "tomorrow": 1,
    "last night": -1,
    "this morning": 0,
    "this afternoon": 0,
    "this evening": 0,
    "earlier today": 0,
    "the day before yesterday": -2,
}


@dataclass(frozen=True)
class Resolved:
    """A resolved date: ISO ``value`` (see the module table) and ``precision``."""

    value: str
    precision: int


def format_value(day: dt.date, precision: int) -> str:
    """The ISO value of ``day`` at ``precision`` (week: its Monday; month: YYYY-MM)."""
    if precision == WEEK:
        return (day - dt.timedelta(days=day.weekday())).isoformat()
    if precision == MONTH:
        return f"{day.year:04d}-{day.month:02d}"
    if precision == YEAR:
        return f"{day.year:04d}"
    return day.isoformat()


def _shift_months(day: dt.date, months: int) -> dt.date:
    index = day.year * 12 + day.month - 1 + months
    return dt.date(index // 12, index % 12 + 1, 1)


def _near_year(month: int, mday: int, base: dt.date) -> dt.date | None:
    """The date of month/day closest before ``base`` (news reports the recent past)."""
    for year in (base.year, base.year - 1):
        try:
            candidate = dt.date(year, month, mday)
        except ValueError:
            continue
        # Allow a few days ahead: announced events ("talks on Nov. 12").
        if candidate <= base + dt.timedelta(days=14):
            return candidate
    return None


def _number(word: str) -> int:
    return parse_number(word) or 0


def _rules(expr: str, base: dt.date | None) -> Resolved | None:
    if m := _P_ISO.match(expr):
        try:
            return Resolved(dt.date(*map(int, m.groups())).isoformat(), DAY)
        except ValueError:
            return None
    month_day = _P_MONTH_DAY.match(expr)
    day_month = None if month_day else _P_DAY_MONTH.match(expr)
    if month_day or day_month:
        if month_day:
            month, mday = _MONTHS[month_day.group(1)], int(month_day.group(2))
            year = month_day.group(3)
        elif day_month:
            mday, month = int(day_month.group(1)), _MONTHS[day_month.group(2)]
            year = day_month.group(3)
        if year:
            try:
                return Resolved(dt.date(int(year), month, mday).isoformat(), DAY)
            except ValueError:
                return None
        if base is None:
            return None
        day = _near_year(month, mday, base)
        return Resolved(day.isoformat(), DAY) if day else None
    if m := _P_MONTH_YEAR.match(expr):
        return Resolved(f"{int(m.group(2)):04d}-{_MONTHS[m.group(1)]:02d}", MONTH)
    if m := _P_YEAR.match(expr):
        year = int(m.group(1))
        return Resolved(f"{year:04d}", YEAR) if 1800 <= year <= 2200 else None
    if base is None:
        return None
    if expr in _SIMPLE:
        return Resolved((base + dt.timedelta(days=_SIMPLE[expr])).isoformat(), DAY)
    if m := _P_WEEKDAY.match(expr):
        which, target = m.group(1), _WEEKDAYS[m.group(2)]
        back = (base.weekday() - target) % 7
        if which == "next":
            day = base + dt.timedelta(days=(target - base.weekday()) % 7 or 7)
        elif which in ("last", "past") and back == 0:
            day = base - dt.timedelta(days=7)
        else:
            day = base - dt.timedelta(days=back)
        return Resolved(day.isoformat(), DAY)
    if m := _P_MONTH.match(expr):
        which, month = m.group(1), _MONTHS[m.group(2)]
        year = base.year if month <= base.month else base.year - 1
        if which == "next":
            year = base.year if month > base.month else base.year + 1
        return Resolved(f"{year:04d}-{month:02d}", MONTH)
    if m := _P_AGO.match(expr):
        n, unit = _number(m.group(1)), m.group(2)
        if unit == "day":
            return Resolved((base - dt.timedelta(days=n)).isoformat(), DAY)
        if unit == "week":
            return Resolved(format_value(base - dt.timedelta(weeks=n), WEEK), WEEK)
        if unit == "month":
            return Resolved(format_value(_shift_months(base, -n), MONTH), MONTH)
        return Resolved(f"{base.year - n:04d}", YEAR)
    if m := _P_RELATIVE_UNIT.match(expr):
        which, unit = m.groups()
        step = {"last": -1, "past": -1, "this": 0, "next": 1}[which]
        if unit in ("week", "weekend"):
            return Resolved(format_value(base + dt.timedelta(weeks=step), WEEK), WEEK)
        if unit == "month":
            return Resolved(format_value(_shift_months(base, step), MONTH), MONTH)
        return Resolved(f"{base.year + step:04d}", YEAR)
    return None


def _normalise(expr: str) -> str:
    """Lower-case; strip leading prepositions and qualifiers ("late 2019" is 2019)."""
    s = expr.lower().replace("’", "'").strip(" .,;:()")
    s = _ORDINAL.sub(r"\1", s)
    s = re.sub(r"\s+", " ", s)
    for _ in range(3):
        before = s
        s = _QUALIFIER.sub("", _LEAD.sub("", s))
        if s == before:
            break
    return s if s in _SIMPLE else _PART_OF_DAY.sub("", s).strip()


def resolve(expr: str, base: dt.date | None) -> Resolved | None:
    """Resolve one date expression against the publication date ``base``.

    Returns None for durations, for relative expressions with no ``base``, and
    for anything neither the rules nor dateparser can read.
    """
    return _resolve_cached(expr, base)


@lru_cache(maxsize=8192)
def _resolve_cached(expr: str, base: dt.date | None) -> Resolved | None:
    s = _normalise(expr)
    if not s or _P_DURATION.match(s) or s in ("now", "recently", "currently", "the time"):
        return None
    found = _rules(s, base)
    if found is None and re.search(r"\d|" + _MONTH_RE + "|" + _WEEKDAY_RE, s):
        found = _dateparser(s, base)
    return found


def _dateparser(s: str, base: dt.date | None) -> Resolved | None:
    if base is None and not re.search(r"\d{4}", s):
        return None
    import dateparser

    settings = {
        "PREFER_DATES_FROM": "past",
        "STRICT_PARSING": False,
        "REQUIRE_PARTS": [],
        "RETURN_AS_TIMEZONE_AWARE": False,
    }
    if base is not None:
        settings["RELATIVE_BASE"] = dt.datetime.combine(base, dt.time(12))
    try:
        data = dateparser.date.DateDataParser(languages=["en"], settings=settings).get_date_data(s)
    except (ValueError, OverflowError, TypeError):
        return None
    if data is None or data.date_obj is None:
        return None
    precision = {"day": DAY, "time": DAY, "week": WEEK, "month": MONTH, "year": YEAR}.get(
        data.period or "day", DAY
    )
    return Resolved(format_value(data.date_obj.date(), precision), precision)


def parse_published(value: str) -> str:
    """Normalise a publication date/time to ISO 8601.

    Accepts ISO dates and date-times, RFC 2822 (RSS) dates, and other written
    forms dateparser reads. A value with a time becomes UTC ``YYYY-MM-DDTHH:MM:SSZ``
    (or keeps its offset if it had one); a date alone stays ``YYYY-MM-DD``.

    Raises:
        ValueError: the value is not a date.
    """
    text = value.strip()
    if not text:
        raise ValueError("empty date")
    if re.fullmatch(r"\d{4}-\d{2}-\d{2}", text):
        return dt.date.fromisoformat(text).isoformat()
    try:
        moment = dt.datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        moment = None
    if moment is None:
        try:
            moment = email.utils.parsedate_to_datetime(text)
        except (TypeError, ValueError, IndexError):
            moment = None
    if moment is None:
        import dateparser

        moment = dateparser.parse(text, languages=["en"], settings={"STRICT_PARSING": True})
        if moment is None:
            raise ValueError(f"not a date: {value!r}")
        if moment.tzinfo is None and moment.time() == dt.time(0):
            return moment.date().isoformat()
    if moment.tzinfo is not None:
        moment = moment.astimezone(dt.UTC).replace(tzinfo=None)
    return moment.replace(microsecond=0).isoformat() + "Z"


def published_date(published: str | None) -> dt.date | None:
    """The calendar date of an ISO publication value, or None."""
    if not published:
        return None
    try:
        return dt.date.fromisoformat(published[:10])
    except ValueError:
        return None
