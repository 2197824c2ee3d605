"""What one build computed, taken again by the next only for the same inputs, and only one build
back."""

from __future__ import annotations

from annotate.examples.runner import Example
from annotate.reuse import Reuse, digest
from annotate.site.reused import Reused, load, save


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


def _kept() -> Reused:
    reused = Reused()
    example = Example(page="docs/p.md", code="print(1)", line=3, session="s")
    reused.example_html.get(digest("e"), lambda: ("<pre>1</pre>", ""))
    reused.examples_found.get(digest("p"), lambda: [(example, (example,))])
    reused.search_entries.get(digest("s"), lambda: [{"location": "p/", "title": "T", "text": ""}])
    reused.end_build()
    return reused


def test_what_a_build_kept_is_read_back_by_the_next_process(tmp_path):
    key = b"k" * 32
    save(tmp_path / "kept", _kept(), key=key, made_for="config")
    back = load(tmp_path / "kept", key=key, made_for="config")
    assert back.example_html.get(digest("e"), lambda: ("computed", "")) == ("<pre>1</pre>", "")
    [(example, history)] = back.examples_found.get(digest("p"), list)
    assert example == Example(page="docs/p.md", code="print(1)", line=3, session="s")
    assert history == (example,)
    assert back.search_entries.get(digest("s"), list)[0]["title"] == "T"
    assert back.example_html.stats.computed == 0


def test_a_kept_file_for_another_configuration_is_ignored(tmp_path):
    key = b"k" * 32
    save(tmp_path / "kept", _kept(), key=key, made_for="config")
    assert load(tmp_path / "kept", key=key, made_for="another").example_html.kept() == {}


def test_a_forged_kept_file_puts_nothing_in_the_pages(tmp_path):
    # The project's cache folder may come with a pull request: HTML put there by hand, or
    # signed with another key, is never taken into a page.
    path = tmp_path / "kept"
    save(path, _kept(), key=b"other key".ljust(32), made_for="config")
    assert load(path, key=b"k" * 32, made_for="config").example_html.kept() == {}
    body = (
        b'{"example_html": {"%s": ["<script>alert(1)</script>", ""]}}' % digest("e").hex().encode()
    )
    path.write_bytes(b"\0" * 32 + body)
    assert load(path, key=b"k" * 32, made_for="config").example_html.kept() == {}
    link = tmp_path / "link"
    save(tmp_path / "real", _kept(), key=b"k" * 32, made_for="config")
    link.symlink_to(tmp_path / "real")
    assert load(link, key=b"k" * 32, made_for="config").example_html.kept() == {}


def test_a_signed_file_of_the_wrong_shape_is_ignored(tmp_path):
    from annotate.signed import write_signed

    key = b"k" * 32
    for body in (b"not json", b"[]", b'{"example_html": {"zz": ["a", "b"]}}', b"{}"):
        write_signed(tmp_path / "kept", body, key=key, context=b"config")
        assert load(tmp_path / "kept", key=key, made_for="config").example_html.kept() == {}
