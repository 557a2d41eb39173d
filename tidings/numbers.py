"""Numbers written as digits or words: "12", "1,200", "seven", "twenty-one", "a dozen"."""

from __future__ import annotations

import re

WORD_NUMBERS = {
    "one": 1,
    "a": 1,
    "an": 1,
    "two": 2,
    "three": 3,
    "four": 4,
    "five": 5,
    "six": 6,
    "seven": 7,
    "eight": 8,
    "nine": 9,
    "ten": 10,
    "eleven": 11,
    "twelve": 12,
    "thirteen": 13,
    "fourteen": 14,
    "fifteen": 15,
    "sixteen": 16,
    "seventeen": 17,
    "eighteen": 18,
    "nineteen": 19,
    "twenty": 20,
    "thirty": 30,
    "forty": 40,
    "fifty": 50,
    "sixty": 60,
    "seventy": 70,
    "eighty": 80,
    "ninety": 90,
    "hundred": 100,
    "dozen": 12,
    "a dozen": 12,
    "a hundred": 100,
    "half a dozen": 6,
}
# Words that multiply the number before them: "two dozen", "three hundred".
MULTIPLIERS = {"dozen": 12, "hundred": 100}


def parse_number(text: str) -> int | None:
    """'12' → 12, '1,200' → 1200, 'seven' → 7, 'twenty-one' → 21, 'a dozen' → 12,
    'two dozen' → 24, 'three hundred' → 300, 'half a dozen' → 6."""
    t = re.sub(r"\s+", " ", text.lower().replace(",", "").strip())
    if t.isdigit():
        return int(t)
    if t in WORD_NUMBERS:
        return WORD_NUMBERS[t]
    head, _, unit = t.rpartition(" ")
    if unit in MULTIPLIERS and head:
        n = parse_number(head)
        return n * MULTIPLIERS[unit] if n is not None else None
    parts = re.split(r"[- ]", t)
    if len(parts) == 2 and parts[0] in WORD_NUMBERS and parts[1] in WORD_NUMBERS:
        return WORD_NUMBERS[parts[0]] + WORD_NUMBERS[parts[1]]
    return None
