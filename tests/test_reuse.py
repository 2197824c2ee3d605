"""What one build computed, taken again by the next only for the same inputs, and only one build
back."""

from __future__ import annotations

import json

from annotate.examples.runner import Example
from annotate.reuse import Reuse, digest
from annotate.site.kept import Kept, load, save
from annotate.site.object_html import RenderedObject


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


def _kept() -> Kept:
    kept = Kept()
    example = Example(page="docs/p.md", code="print(1)", line=3, session="s")
    kept.example_html.get(digest("e"), lambda: ("<pre>1</pre>", "", 1))
    kept.examples_found.get(digest("p"), lambda: [(example, (example,))])
    kept.search_entries.get(digest("s"), lambda: [{"location": "p/", "title": "T", "text": ""}])
    kept.object_html.get(
        digest("o"),
        lambda: RenderedObject(
            html="<div>o</div>", reads=(("a.b", "d1"),), headings=('<w><h2 id="a.b">b</h2></w>',)
        ),
    )
    kept.end_build()
    return kept


def test_what_a_build_kept_is_read_back_by_the_next_process(tmp_path):
    key = b"k" * 32
    save(tmp_path / "kept", _kept(), key=key, made_for="config")
    back = load(tmp_path / "kept", key=key, made_for="config")
    assert back.example_html.get(digest("e"), lambda: ("computed", "", 0)) == (
        "<pre>1</pre>",
        "",
        1,
    )
    [(example, history)] = back.examples_found.get(digest("p"), list)
    assert example == Example(page="docs/p.md", code="print(1)", line=3, session="s")
    assert history == (example,)
    assert back.search_entries.get(digest("s"), list)[0]["title"] == "T"
    assert back.object_html.get(
        digest("o"), lambda: RenderedObject(html="", reads=(), headings=())
    ) == RenderedObject(
        html="<div>o</div>", reads=(("a.b", "d1"),), headings=('<w><h2 id="a.b">b</h2></w>',)
    )
    assert back.example_html.stats.computed == 0
    assert back.object_html.stats.computed == 0


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
    for body in (b"not json", b"[]", b'{"example_html": {"zz": ["a", "b", 0]}}', b"{}"):
        write_signed(tmp_path / "kept", body, key=key, context=b"config")
        assert load(tmp_path / "kept", key=key, made_for="config").example_html.kept() == {}
    # A heading for the page's contents that is not one heading's XML.
    for heading in ("<w><h2>a</w>", "<w><script>x</script></w>", "<w><h2/><h3/></w>"):
        body = json.dumps(
            {
                "example_html": {},
                "examples_found": {},
                "search_entries": {},
                "object_html": {digest("o").hex(): ["<div>o</div>", [], [heading]]},
            }
        ).encode()
        write_signed(tmp_path / "kept", body, key=key, context=b"config")
        assert load(tmp_path / "kept", key=key, made_for="config").object_html.kept() == {}


def test_ending_a_build_twice_keeps_what_it_used():
    # An error raised at the end of a build (a failed example, strict mode) ends it again.
    reuse: Reuse[str] = Reuse()
    reuse.get(digest("a"), lambda: "a")
    reuse.end_build()
    reuse.end_build(failed=True)
    assert reuse.kept() == {digest("a"): "a"}


def test_a_build_that_failed_early_leaves_what_the_last_one_kept():
    reuse: Reuse[str] = Reuse()
    reuse.get(digest("a"), lambda: "a")
    reuse.end_build()
    reuse.get(digest("b"), lambda: "b")  # the next build stops after one value
    reuse.end_build(failed=True)
    assert set(reuse.kept()) == {digest("a"), digest("b")}
    reuse.get(digest("b"), lambda: "x")
    reuse.end_build()
    assert set(reuse.kept()) == {digest("b")}


def test_a_value_not_kept_does_not_count_as_a_change():
    reuse: Reuse[str] = Reuse()
    reuse.get(digest("k"), lambda: "<h2>", keep=lambda html: False)
    reuse.end_build()
    assert not reuse.changed and reuse.last.computed == 0


def test_nothing_is_written_through_a_linked_folder_nor_read_past_the_size_limit(
    tmp_path, monkeypatch
):
    from annotate import signed

    outside, project = tmp_path / "outside", tmp_path / "project"
    outside.mkdir()
    (project / ".cache").mkdir(parents=True)
    (project / ".cache" / "reuse").symlink_to(outside)
    save(
        project / ".cache" / "reuse" / "x.kept", _kept(), key=b"k" * 32, made_for="c", below=project
    )
    assert list(outside.iterdir()) == []
    save(
        project / ".cache" / "real" / "x.kept", _kept(), key=b"k" * 32, made_for="c", below=project
    )
    assert load(
        project / ".cache" / "real" / "x.kept", key=b"k" * 32, made_for="c"
    ).example_html.kept()
    monkeypatch.setattr(signed, "LARGEST", 100)
    assert (
        load(
            project / ".cache" / "real" / "x.kept", key=b"k" * 32, made_for="c"
        ).example_html.kept()
        == {}
    )


def test_the_configuration_is_told_by_what_every_process_sees_the_same():
    from markdown.extensions.toc import TocExtension

    from annotate.mkdocs_adapter.kept_builds import _plain

    # mkdocstrings and autorefs put extension objects among the Markdown extensions, and the
    # fences' formatter is a new function each build: none may make the key differ.
    def formatter():
        return ""

    seen = [_plain([["toc", TocExtension()], {"fences": [formatter], "n": 1}]) for _ in range(2)]
    assert seen[0] == seen[1]
    assert "0x" not in seen[0]
    assert "TocExtension" in seen[0] and "'n': 1" in seen[0]
    assert _plain({"a": 1}) != _plain({"a": 2})


def test_a_kept_value_its_check_no_longer_holds_is_computed_again():
    reuse: Reuse[str] = Reuse()
    reads = {"view": "1"}
    made: list[str] = []

    def compute() -> str:
        made.append(reads["view"])
        return f"html of {reads['view']}"

    def still(value: str) -> bool:
        return value == f"html of {reads['view']}"

    assert reuse.get(digest("k"), compute, valid=still) == "html of 1"
    reuse.end_build()
    assert reuse.get(digest("k"), compute, valid=still) == "html of 1"
    reuse.end_build()
    reads["view"] = "2"
    assert reuse.get(digest("k"), compute, valid=still) == "html of 2"
    reuse.end_build()
    assert made == ["1", "2"]
    assert list(reuse.kept().values()) == ["html of 2"]
