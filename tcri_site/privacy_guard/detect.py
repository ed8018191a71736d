"""Spotting text that looks like a client's identifier, before it is posted.

Pure functions, no database: ``find_identifiers(text)`` returns ``Finding`` objects (the
kind, where it is, a masked hint that never repeats the number in full). People who work
with newcomers sometimes paste a file number into a message by habit; the workspace warns
and asks for a confirmation rather than refusing, because it cannot be sure.

The kinds:
- ``sin``: a Canadian social insurance number, 9 digits (``046 454 286``, ``046-454-286``,
  ``046454286``), passing the Luhn check, not starting with 0 (unused) or 8 (business
  numbers);
- ``uci``: an IRCC client ID (UCI), ``00-0000-0000`` or ``0000-0000``; a bare run of 8 or
  10 digits counts only after a word that names it (UCI, IUC, IRCC, client ID...), since
  dates (``20260312``) and phone numbers (``5145551234``) look the same;
- ``ramq``: a Québec health insurance number, 4 letters (3 of the surname, 1 of the first
  name, in capitals as on the card) then 8 digits whose month is 01-12 or 51-62 and day 01-31 (``TREM 9003 1212``);
- ``birth_date``: a date right after "né le", "née le", "date de naissance", "DOB", "born"...

False positives are kept rare on ordinary text: phone numbers (3-3-4 digits), postal codes,
years, year ranges (``2024-2026``), amounts (``$``, ``,00``) do not match.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

SIN, UCI, RAMQ, BIRTH_DATE = "sin", "uci", "ramq", "birth_date"
KINDS = (SIN, UCI, RAMQ, BIRTH_DATE)


@dataclass(frozen=True)
class Finding:
    kind: str
    start: int
    end: int
    hint: str  # masked: only the last characters are shown


# Not glued to another digit, nor to a digit group (``1 123 456 789`` is not a SIN).
_BEFORE = r"(?<![\w$])(?<!\d[ .,-])"
_AFTER = r"(?![\w$])(?![ .,-]\d)(?!\s?\$)(?!\s?(?:dollars?|CAD)\b)"

_SIN_RE = re.compile(_BEFORE + r"(\d{3})([ -]?)(\d{3})\2(\d{3})" + _AFTER)
_UCI_FORMATTED_RE = re.compile(_BEFORE + r"(?:(\d{2})([ -])(\d{4})\2(\d{4})|(\d{4})-(\d{4}))" + _AFTER)
_UCI_BARE_RE = re.compile(_BEFORE + r"(\d{10}|\d{8})" + _AFTER)
_UCI_CONTEXT_RE = re.compile(
    r"(?:\bUCI|\bIUC|\bIRCC|\bCIC|client\s*ID|ID\s*client|num[ée]ro\s+(?:de\s+)?client|"
    r"identificateur\s+unique\s+de\s+client|unique\s+client\s+identifier)\W{0,12}$",
    re.IGNORECASE,
)
_RAMQ_RE = re.compile(r"(?<![\w])([A-Z]{4})[ -]?(\d{2})(\d{2})[ -]?(\d{2})(\d{2})(?![\w])(?![ -]\d)")

_MONTHS = (
    "janvier|février|fevrier|mars|avril|mai|juin|juillet|août|aout|septembre|octobre|novembre|décembre|decembre|"
    "january|february|march|april|may|june|july|august|september|october|november|december|"
    "janv?|f[ée]vr?|avr|juil|sept?|oct|nov|d[ée]c|jan|feb|mar|apr|jun|jul|aug|dec"
)
_DATE = (
    r"(?:\d{1,2}[/.\-]\d{1,2}[/.\-](?:\d{4}|\d{2})"  # 12/03/1990, 12-03-90
    r"|\d{4}[/.\-]\d{1,2}[/.\-]\d{1,2}"  # 1990-03-12
    r"|(?:1er|\d{1,2})\s+(?:" + _MONTHS + r")\.?\s+\d{4}"  # 12 mars 1990
    r"|(?:" + _MONTHS + r")\.?\s+\d{1,2}(?:st|nd|rd|th)?,?\s+\d{4})"  # March 12, 1990
)
_BIRTH_RE = re.compile(
    r"(?:\bn[ée]e?(?:\s?\(e\)|·e|\.e)?\s+(?:le\s+)?|\bdate\s+de\s+naissance\s*:?\s*|\bDDN\s*:?\s*|"
    r"\bD\.?O\.?B\.?\s*:?\s*|\bdate\s+of\s+birth\s*:?\s*|\bborn\s+(?:on\s+)?|\bnaissance\s*:?\s*)"
    r"(" + _DATE + r")(?!\d)",
    re.IGNORECASE,
)
_YEAR = re.compile(r"(?:19|20)\d\d")


def luhn_ok(digits: str) -> bool:
    """The Luhn checksum of a string of digits (what SINs and card numbers carry)."""
    if not digits.isdigit():
        return False
    total = 0
    for index, char in enumerate(reversed(digits)):
        value = int(char)
        if index % 2:
            value *= 2
            if value > 9:
                value -= 9
        total += value
    return total % 10 == 0


def is_valid_sin(digits: str) -> bool:
    return len(digits) == 9 and digits[0] not in "08" and luhn_ok(digits)


def mask(raw: str) -> str:
    """``046 454 286`` -> ``•••••••286``: enough to find it in the text, not to copy it."""
    compact = re.sub(r"[\s-]", "", raw)
    keep = 3 if len(compact) > 6 else 1
    return "•" * (len(compact) - keep) + compact[-keep:]


def _ramq_plausible(month: str, day: str) -> bool:
    month_n, day_n = int(month), int(day)
    return (1 <= month_n <= 12 or 51 <= month_n <= 62) and 1 <= day_n <= 31


def find_identifiers(text: str) -> list[Finding]:
    """Every span of ``text`` that looks like a client identifier, in order, not overlapping."""
    if not text:
        return []
    found: list[Finding] = []
    for match in _SIN_RE.finditer(text):
        digits = match.group(1) + match.group(3) + match.group(4)
        if is_valid_sin(digits):
            found.append(Finding(SIN, match.start(), match.end(), mask(match.group(0))))
    for match in _UCI_FORMATTED_RE.finditer(text):
        if match.group(5) and _YEAR.fullmatch(match.group(5)) and _YEAR.fullmatch(match.group(6)):
            continue  # 2024-2026: a range of years
        found.append(Finding(UCI, match.start(), match.end(), mask(match.group(0))))
    for match in _UCI_BARE_RE.finditer(text):
        if _UCI_CONTEXT_RE.search(text[max(0, match.start() - 40) : match.start()]):
            found.append(Finding(UCI, match.start(), match.end(), mask(match.group(0))))
    for match in _RAMQ_RE.finditer(text):
        first, second = match.group(2) + match.group(3), match.group(4) + match.group(5)
        if _YEAR.fullmatch(first) and _YEAR.fullmatch(second):
            continue  # PLAN 2024-2026
        if _ramq_plausible(match.group(3), match.group(4)):
            found.append(Finding(RAMQ, match.start(), match.end(), mask(match.group(0))))
    for match in _BIRTH_RE.finditer(text):
        found.append(Finding(BIRTH_DATE, match.start(1), match.end(1), mask(match.group(1))))
    return _without_overlaps(found)


def _without_overlaps(found: list[Finding]) -> list[Finding]:
    """The first kind listed above wins a span claimed twice (a valid SIN is also 9 digits)."""
    priority = {kind: index for index, kind in enumerate(KINDS)}
    kept: list[Finding] = []
    for finding in sorted(found, key=lambda f: (priority[f.kind], f.start)):
        if all(finding.end <= other.start or finding.start >= other.end for other in kept):
            kept.append(finding)
    return sorted(kept, key=lambda f: f.start)


def kinds_found(*texts: str) -> list[str]:
    """The kinds found in any of ``texts``, each once, in ``KINDS`` order."""
    kinds = {finding.kind for text in texts for finding in find_identifiers(text or "")}
    return [kind for kind in KINDS if kind in kinds]


def redact(text: str, replacement: str = "[retiré]") -> tuple[str, int]:
    """``text`` with every finding replaced by ``replacement``, and how many were."""
    findings = find_identifiers(text)
    for finding in reversed(findings):
        text = text[: finding.start] + replacement + text[finding.end :]
    return text, len(findings)
