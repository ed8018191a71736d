"""Vote arithmetic: thresholds, abstentions, quorum and ties, checked as properties."""

from hypothesis import given
from hypothesis import strategies as st

from advocacy.tally import decide, quorum_met, quorum_required

counts = st.integers(min_value=0, max_value=200)


@given(total=st.integers(min_value=1, max_value=500))
def test_quorum_is_a_strict_majority(total):
    required = quorum_required(total)
    assert required * 2 > total
    assert (required - 1) * 2 <= total
    assert quorum_met(required, total) and not quorum_met(required - 1, total)


@given(pour=counts, contre=counts, abstention=counts, total=st.integers(min_value=1, max_value=300))
def test_simple_majority_of_votes_cast_ignores_abstentions(pour, contre, abstention, total):
    present = total  # everyone present: quorum met
    outcome = decide(pour=pour, contre=contre, abstention=abstention, threshold="simple", present=present, total=total)
    assert outcome.quorum_met
    assert outcome.adopted == (pour > contre)
    # Abstentions never change the result.
    again = decide(pour=pour, contre=contre, abstention=abstention + 17, threshold="simple", present=present, total=total)
    assert again.adopted == outcome.adopted


@given(pour=counts, contre=counts, abstention=counts)
def test_two_thirds(pour, contre, abstention):
    outcome = decide(pour=pour, contre=contre, abstention=abstention, threshold="two_thirds", present=10, total=10)
    cast = pour + contre
    assert outcome.adopted == (cast > 0 and pour / cast >= 2 / 3 - 1e-12)


@given(n=st.integers(min_value=0, max_value=100), abstention=counts)
def test_ties_and_empty_votes_reject(n, abstention):
    for threshold in ("simple", "two_thirds"):
        tie = decide(pour=n, contre=n, abstention=abstention, threshold=threshold, present=5, total=5)
        assert not tie.adopted


@given(pour=counts, contre=counts, abstention=counts, total=st.integers(min_value=1, max_value=300), data=st.data())
def test_no_quorum_never_adopts(pour, contre, abstention, total, data):
    present = data.draw(st.integers(min_value=0, max_value=quorum_required(total) - 1))
    outcome = decide(pour=pour, contre=contre, abstention=abstention, threshold="simple", present=present, total=total)
    assert not outcome.adopted and not outcome.quorum_met and outcome.reason == "no_quorum"


def test_exact_two_thirds_boundary():
    assert decide(pour=2, contre=1, abstention=9, threshold="two_thirds", present=3, total=5).adopted
    assert not decide(pour=199, contre=101, abstention=0, threshold="two_thirds", present=3, total=5).adopted
    assert decide(pour=200, contre=100, abstention=0, threshold="two_thirds", present=3, total=5).adopted
    assert not decide(pour=0, contre=0, abstention=5, threshold="simple", present=3, total=5).adopted


@given(present=st.integers(min_value=0, max_value=50), required=st.integers(min_value=1, max_value=50))
def test_explicit_quorum_rule(present, required):
    outcome = decide(pour=3, contre=1, abstention=0, threshold="simple", present=present, total=100, required=required)
    assert outcome.quorum_met == (present >= required)
    assert outcome.adopted == (present >= required)
