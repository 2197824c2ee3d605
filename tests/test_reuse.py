"""What one build computed, taken again by the next only for the same inputs, and only one build
back."""

from __future__ import annotations

from annotate.reuse import Reuse, digest


def test_parts_are_told_apart_from_their_neighbours():
    assert digest("ab", "c") != digest("a", "bc")
    assert digest("a", "b") == digest("a", "b")


def test_a_value_is_computed_once_then_taken_back_by_the_next_build():
    calls: list[str] = []
    reuse: Reuse[str] = Reuse()

    def compute() -> str:
        calls.append("x")
        return "value"

    assert reuse.get(digest("in"), compute) == "value"
    reuse.end_build()
    assert reuse.get(digest("in"), compute) == "value"
    assert calls == ["x"]
    assert (reuse.stats.reused, reuse.stats.computed) == (1, 0)
    reuse.end_build()
    assert (reuse.last.reused, reuse.last.computed) == (1, 0)


def test_what_a_build_did_not_ask_for_is_dropped_at_its_end():
    reuse: Reuse[int] = Reuse()
    for n in range(100):
        reuse.get(digest(str(n)), lambda n=n: n)
        reuse.end_build()
        assert len(reuse) == 1  # one edit after another: memory does not grow
    assert reuse.get(digest("0"), lambda: -1) == -1


def test_a_value_its_check_refuses_is_computed_every_time():
    reuse: Reuse[str] = Reuse()
    made: list[int] = []

    def compute() -> str:
        made.append(1)
        return "<h2>heading</h2>"

    for _ in range(2):
        reuse.get(digest("k"), compute, keep=lambda html: "<h2" not in html)
        reuse.end_build()
    assert len(made) == 2
    assert len(reuse) == 0
