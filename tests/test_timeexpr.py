from __future__ import annotations

import datetime as dt

import pytest

from tidings.timeexpr import parse_published, resolve

BASE = dt.date(2021, 11, 8)  # a Monday


@pytest.mark.parametrize(
    ("expr", "value", "precision"),
    [
        ("Sunday", "2021-11-07", 1),
        ("On Sunday", "2021-11-07", 1),
        ("Monday", "2021-11-08", 1),
        ("last Monday", "2021-11-01", 1),
        ("next Friday", "2021-11-12", 1),
        ("Sunday night", "2021-11-07", 1),
        ("late Saturday", "2021-11-06", 1),
        ("yesterday", "2021-11-07", 1),
        ("today", "2021-11-08", 1),
        ("last night", "2021-11-07", 1),
        ("Oct. 10", "2021-10-10", 1),
        ("October 10th", "2021-10-10", 1),
        ("10 October", "2021-10-10", 1),
        ("Dec. 25", "2020-12-25", 1),  # ahead of the base by weeks: last year
        ("Nov. 12", "2021-11-12", 1),  # a few days ahead: an announced date
        ("July 28, 2021", "2021-07-28", 1),
        ("May 6, 2020", "2020-05-06", 1),
        ("2021-11-07", "2021-11-07", 1),
        ("three days ago", "2021-11-05", 1),
        ("last week", "2021-11-01", 2),
        ("this week", "2021-11-08", 2),
        ("two weeks ago", "2021-10-25", 2),
        ("last month", "2021-10", 3),
        ("October", "2021-10", 3),
        ("December", "2020-12", 3),
        ("October 2019", "2019-10", 3),
        ("late 2019", "2019", 4),
        ("in 2018", "2018", 4),
        ("last year", "2020", 4),
    ],
)
def test_timeexpr_resolves(expr: str, value: str, precision: int) -> None:
    found = resolve(expr, BASE)
    assert found is not None, expr
    assert (found.value, found.precision) == (value, precision)


@pytest.mark.parametrize(
    "expr",
    [
        "months",
        "six-month",
        "almost a month",
        "three years",
        "the past two weeks",
        "a decade",
        "several days",
        "recently",
        "now",
    ],
)
def test_timeexpr_durations_are_not_dates(expr: str) -> None:
    assert resolve(expr, BASE) is None


def test_timeexpr_relative_needs_a_base_absolute_does_not() -> None:
    assert resolve("Sunday", None) is None
    assert resolve("Oct. 10", None) is None
    found = resolve("May 6, 2020", None)
    assert found is not None and found.value == "2020-05-06"


def test_timeexpr_impossible_date() -> None:
    assert resolve("February 30, 2021", BASE) is None


@pytest.mark.parametrize(
    ("raw", "normalised"),
    [
        ("2021-11-08", "2021-11-08"),
        ("2021-11-08T10:00:00Z", "2021-11-08T10:00:00Z"),
        ("2021-11-08T13:00:00+03:00", "2021-11-08T10:00:00Z"),
        ("Mon, 08 Nov 2021 10:00:00 GMT", "2021-11-08T10:00:00Z"),
        ("8 November 2021", "2021-11-08"),
    ],
)
def test_timeexpr_parse_published(raw: str, normalised: str) -> None:
    assert parse_published(raw) == normalised


@pytest.mark.parametrize("raw", ["", "not a date", "yesterday-ish nonsense 99"])
def test_timeexpr_parse_published_refuses_non_dates(raw: str) -> None:
    with pytest.raises(ValueError):
        parse_published(raw)
