"""The double majority's second condition: regions carried, or the volets' organisations."""

from hypothesis import given
from hypothesis import strategies as st

from advocacy.tally import Outcome, decide_double, majority_of_regions, majority_of_volets

ADOPTED = Outcome(True, True, "adopted")
REJECTED = Outcome(False, True, "rejected")


def test_a_majority_of_the_represented_regions_must_be_carried():
    # Montréal carried, Capitale-Nationale carried, Estrie lost, Outaouais absent.
    held = majority_of_regions({"06": (10, 2), "03": (2, 1), "05": (0, 3), "07": (0, 0)})
    assert (held.held, held.with_majority, held.represented) == (True, 2, 3)
    # Montréal alone carried, two regions lost: a large majority of organisations is not enough.
    lost = majority_of_regions({"06": (30, 0), "03": (1, 2), "05": (0, 1)})
    assert (lost.held, lost.with_majority, lost.represented) == (False, 1, 3)
    assert decide_double(ADOPTED, lost).reason == "no_regions_majority"
    assert decide_double(ADOPTED, held) == ADOPTED


def test_a_tie_in_a_region_does_not_carry_it_and_half_the_regions_is_not_a_majority():
    result = majority_of_regions({"06": (2, 2), "03": (3, 1)})
    assert (result.held, result.with_majority, result.represented) == (False, 1, 2)
    assert majority_of_regions({}).held is False


def test_the_volets_condition_counts_their_organisations():
    assert majority_of_volets(3, 2).held and not majority_of_volets(2, 2).held
    assert decide_double(ADOPTED, majority_of_volets(1, 4)).reason == "no_volets_majority"


def test_a_rejected_motion_stays_rejected_whatever_the_second_condition():
    assert decide_double(REJECTED, majority_of_regions({"06": (1, 0)})) == REJECTED
    assert decide_double(ADOPTED, None) == ADOPTED


@given(st.dictionaries(st.sampled_from([f"{n:02d}" for n in range(1, 18)]), st.tuples(st.integers(0, 20), st.integers(0, 20))))
def test_regions_against_a_direct_count(by_region):
    carried = sum(1 for p, c in by_region.values() if p > c)
    represented = sum(1 for p, c in by_region.values() if p + c)
    result = majority_of_regions(by_region)
    assert (result.with_majority, result.represented) == (carried, represented)
    assert result.held == (represented > 0 and carried > represented / 2)
