"""Keyed matching: the batch scorer pairs exactly as the plain double loop over every pair did."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from kenpo_plans.diff.align import KEYED_THRESHOLD, match_keyed, similarity


def reference(old: dict, new: dict, threshold: float = KEYED_THRESHOLD):
    """The quadratic original, kept here as the definition of the result."""
    old_to_new = {key: key for key in old if key in new}
    how = {key: "id" for key in old_to_new}
    left_old = [key for key in old if key not in old_to_new]
    left_new = [key for key in new if key not in how]
    scored = sorted(((similarity(old[o], new[n]), o, n) for o in left_old for n in left_new), key=lambda t: -t[0])
    used_old, used_new = set(), set()
    for score, o, n in scored:
        if score < threshold:
            break
        if o in used_old or n in used_new:
            continue
        used_old.add(o)
        used_new.add(n)
        old_to_new[o] = n
        how[n] = "similarity"
    return old_to_new, how


texts = st.text(alphabet=st.sampled_from(list("計画保健指導実施率の向上推進ab")), max_size=12)
nodes = st.dictionaries(st.sampled_from([f"id{i}" for i in range(12)]), texts, max_size=10)


@settings(max_examples=300, deadline=None)
@given(nodes, nodes)
def test_batch_matching_equals_the_double_loop(old, new):
    assert match_keyed(old, new, lambda text: text) == reference(old, new)


def test_every_node_text_is_built_once_per_side():
    built = []

    def text_of(value):
        built.append(value)
        return value

    old = {f"o{i}": f"施策{i}の推進" for i in range(50)}
    new = {f"n{i}": f"施策{i}の推進" for i in range(50)}
    old_to_new, _ = match_keyed(old, new, text_of)
    assert len(built) == 100
    assert old_to_new == {f"o{i}": f"n{i}" for i in range(50)}
