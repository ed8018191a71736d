"""The identifier detector: what it finds, and the ordinary text it leaves alone."""

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tcri_site.privacy_guard.detect import (
    BIRTH_DATE,
    RAMQ,
    SIN,
    UCI,
    find_identifiers,
    is_valid_sin,
    kinds_found,
    luhn_ok,
    mask,
    redact,
)

# The machine is shared: no deadline, and slow generation is not the code's fault.
relaxed = settings(deadline=None, suppress_health_check=[HealthCheck.too_slow])
eight_digits = st.builds(lambda first, rest: f"{first}{rest:07d}", st.sampled_from("1234579"), st.integers(0, 9_999_999))


def luhn_complete(first8: str) -> str:
    """The 9-digit number whose check digit makes ``first8`` pass Luhn."""
    for digit in "0123456789":
        if luhn_ok(first8 + digit):
            return first8 + digit
    raise AssertionError


def kinds(text):
    return [f.kind for f in find_identifiers(text)]


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        ("Son NAS est 130 692 544.", SIN),
        ("NAS : 130-692-544", SIN),
        ("130692544", SIN),
        ("UCI 12-3456-7890 pour le dossier", UCI),
        ("IUC 12 3456 7890", UCI),
        ("ancien numéro 1234-5678", UCI),
        ("IUC : 1234567890", UCI),
        ("client ID 87654321", UCI),
        ("RAMQ TREM 9003 1212", RAMQ),
        ("carte TREM90031212", RAMQ),
        ("carte GAGM 8562 1511 (femme: mois + 50)", RAMQ),
        ("Mme Diallo, née le 12/03/1990, arrive lundi", BIRTH_DATE),
        ("M. Haddad né le 1er mai 1985", BIRTH_DATE),
        ("DOB 1990-03-12", BIRTH_DATE),
        ("date de naissance : 12 mars 1990", BIRTH_DATE),
        ("born on March 12, 1990", BIRTH_DATE),
        ("DDN: 03-12-90", BIRTH_DATE),
    ],
)
def test_finds(text, kind):
    assert kinds(text) == [kind]


@pytest.mark.parametrize(
    "text",
    [
        "Appelez le 514-555-1234 ou le (438) 555-0199.",
        "Sans frais : 1-800-555-1234",
        "Appelez 5145551234",
        "Bureau au H2X 1Y4, Montréal",
        "Plan d'action 2024-2026",
        "Depuis 1990, et en 2026.",
        "Budget de 123 456 782 $ pour 2026",
        "Un montant de 1 234 567,00 $",
        "123 456 782 dollars",
        "Réunion le 12/03/2026 à 14 h",
        "Rapport 20260312",
        "Carte 4111 1111 1111 1111",
        "Le NAS commence par 0 : 046 454 286",
        "Numéro d'entreprise 812 345 678",
        "Le dossier 123 456 789 ne passe pas Luhn",
        "Il est né en 1990 à Kinshasa.",
        "Rue Sherbrooke 1234, local 5678",
        "",
    ],
)
def test_leaves_ordinary_text_alone(text):
    assert find_identifiers(text) == []


def test_hint_never_repeats_the_number():
    (finding,) = find_identifiers("NAS 130 692 544")
    assert finding.hint == "••••••544"
    assert "130" not in finding.hint


def test_redact_replaces_every_finding():
    text, count = redact("NAS 130 692 544, née le 12/03/1990, IUC 12-3456-7890.")
    assert count == 3
    assert text == "NAS [retiré], née le [retiré], IUC [retiré]."


def test_kinds_found_lists_each_kind_once_in_order():
    assert kinds_found("née le 12/03/1990", "130 692 544 et 193 456 787") == [SIN, BIRTH_DATE]


@relaxed
@given(eight_digits, st.sampled_from(["", " ", "-"]))
def test_every_valid_sin_is_found_in_any_format(first8, sep):
    number = luhn_complete(first8)
    written = sep.join([number[:3], number[3:6], number[6:]])
    found = find_identifiers(f"Le numéro {written} est au dossier.")
    assert [f.kind for f in found] == [SIN]
    assert found[0].hint.endswith(number[-3:]) and number not in found[0].hint


@relaxed
@given(st.builds(lambda a, b: a + str(b), eight_digits, st.integers(0, 9)))
def test_a_nine_digit_number_failing_luhn_is_not_a_sin(number):
    if not luhn_ok(number):
        assert SIN not in kinds(f"dossier {number[:3]} {number[3:6]} {number[6:]}")


@relaxed
@given(st.integers(200, 999), st.integers(200, 999), st.integers(0, 9999))
def test_phone_numbers_are_never_flagged(area, exchange, line):
    line = f"{line:04d}"
    for written in (f"{area}-{exchange}-{line}", f"({area}) {exchange}-{line}", f"{area} {exchange} {line}", f"+1 {area}-{exchange}-{line}"):
        assert find_identifiers(f"Tél. : {written}") == [], written


@relaxed
@given(st.integers(min_value=0, max_value=10**12), st.sampled_from(["$", " $", " dollars", ",00 $"]))
def test_amounts_are_never_flagged(amount, suffix):
    grouped = f"{amount:,}".replace(",", " ")
    assert find_identifiers(f"Subvention de {grouped}{suffix}") == []


@relaxed
@given(st.integers(min_value=1900, max_value=2099), st.integers(min_value=1900, max_value=2099))
def test_years_and_year_ranges_are_never_flagged(a, b):
    assert find_identifiers(f"En {a}, puis {a}-{b} et {a} à {b}.") == []


@relaxed
@given(st.tuples(*[st.sampled_from("ABCEGHJKLMNPRSTVXY"), st.integers(0, 9), st.sampled_from("ABCEGHJKLMNPRSTVWXYZ"), st.sampled_from(["", " "]), st.integers(0, 9), st.sampled_from("ABCEGHJKLMNPRSTVWXYZ"), st.integers(0, 9)]))
def test_postal_codes_are_never_flagged(parts):
    code = "".join(str(part) for part in parts)
    assert find_identifiers(f"Adresse : 1000 rue X, Montréal {code}") == []


@relaxed
@given(st.text(max_size=300))
def test_findings_are_ordered_disjoint_spans_of_the_text(text):
    findings = find_identifiers(text)
    last_end = 0
    for finding in findings:
        assert last_end <= finding.start < finding.end <= len(text)
        last_end = finding.end
    assert redact(text)[1] == len(findings)


def test_sin_rules():
    assert is_valid_sin("130692544")
    assert not is_valid_sin("046454286")  # starts with 0
    assert not is_valid_sin("130692545")  # Luhn
    assert mask("12-3456-7890") == "•••••••890"
