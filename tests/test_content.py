"""The guide's content on the built site: chapters, executed examples, notes and embeds."""

from __future__ import annotations

import re
from collections import Counter

import yaml

from tests.chapters import CHAPTERS, REQUIRED_NOTES
from tests.conftest import ROOT
from tests.htmltree import parse

_EXEC_FENCE = re.compile(r"^[ \t]*```python\b(?P<attrs>[^\n]*\bexec=\"on\"[^\n]*)$", re.MULTILINE)
_TITLE = re.compile(r'\btitle="(?P<title>[^"]+)"')


def page(site, path):
    return parse((site / path / "index.html").read_text(encoding="utf-8"))


def examples(tree):
    """(title, output text) of each executed example: a titled source block and the block after it."""
    blocks = [b for b in tree.find_all("div", cls="highlight") if "doc-signature" not in b.classes]
    found = []
    for block, after in zip(blocks, [*blocks[1:], None], strict=True):
        (title, *_) = block.find_all("span", cls="filename") or (None,)
        if title is None:
            continue
        output = "" if after is None or after.find_all("span", cls="filename") else after.all_text()
        found.append((title.all_text().strip(), output))
    return found


class _TaglessLoader(yaml.SafeLoader):
    """Reads mkdocs.yml without resolving `!ENV` and `!!python/name` values."""


_TaglessLoader.add_multi_constructor("", lambda loader, suffix, node: None)


def test_the_chapters_are_the_nav_in_order():
    config = yaml.load((ROOT / "mkdocs.yml").read_text(), Loader=_TaglessLoader)
    (chapters,) = [item["Chapters"] for item in config["nav"] if "Chapters" in item]
    pages = [next(iter(entry.values())).removesuffix(".md") for entry in chapters]
    assert pages == list(CHAPTERS)


def test_each_chapter_runs_at_least_two_examples_and_shows_their_output(site):
    for chapter in ("", *CHAPTERS):
        source = (ROOT / "docs" / (f"{chapter}.md" if chapter else "index.md")).read_text()
        fences = [_TITLE.search(m["attrs"]) for m in _EXEC_FENCE.finditer(source)]
        assert all(fences), f"{chapter or 'index'}: every executed example needs a title"
        titles = [m["title"] for m in fences]
        shown = examples(page(site, chapter))
        assert [title for title, _ in shown] == titles, chapter
        for title, output in shown:
            assert output.strip(), f"{chapter}: example {title!r} shows no output"
            assert "Traceback" not in output, f"{chapter}: example {title!r} failed"
        if chapter:
            assert len(shown) >= 2, f"{chapter} has {len(shown)} executed example(s)"


def test_the_home_page_names_the_torch_it_was_built_from(site, snapshot):
    ((_title, output),) = examples(page(site, ""))
    assert snapshot.version in output and snapshot.commit in output
    html = (site / "index.html").read_text(encoding="utf-8")
    assert 'href="https://zhuanlan.zhihu.com/p/548075225"' in html


def test_every_required_object_has_a_note_and_exactly_one_embed(site, guide):
    embedded: Counter[str] = Counter()
    for chapter, identifiers in CHAPTERS.items():
        headings = {
            h.attrs["id"]
            for h in page(site, chapter).find_all(cls="doc-heading")
            if h.tag.startswith("h") and "id" in h.attrs
        }
        missing = [identifier for identifier in identifiers if identifier not in headings]
        assert not missing, f"{chapter} does not render {missing}"
        embedded.update(guide.index.canonical(identifier) for identifier in identifiers)
    assert not [path for path, count in embedded.items() if count > 1]
    for short in REQUIRED_NOTES:
        path = guide.index.canonical(short)
        assert path is not None, short
        assert guide.note_for(path) is not None, f"{short} has no note"
        assert embedded[path] == 1, f"{short} is embedded {embedded[path]} times"


def test_every_object_is_embedded_once_on_the_whole_site(site):
    for language, pages in (
        ("en", [p for p in site.rglob("*.html") if not p.is_relative_to(site / "zh")]),
        ("zh", list((site / "zh").rglob("*.html"))),
    ):
        ids = Counter(
            h.attrs["id"]
            for html in pages
            for h in parse(html.read_text(encoding="utf-8")).find_all(cls="doc-heading")
            if h.tag.startswith("h") and "id" in h.attrs
        )
        assert ids, f"no object is rendered with mkdocstrings in {language}"
        assert [identifier for identifier, count in ids.items() if count > 1] == [], language


def test_every_function_note_has_line_notes(guide):
    bare = [n.note.name for n in guide.notes if n.obj.kind == "function" and not n.line_notes]
    assert bare == []


def test_each_chapter_lists_its_objects_for_the_call_graph(index):
    for chapter, identifiers in CHAPTERS.items():
        source = (ROOT / "docs" / f"{chapter}.md").read_text()
        (listed,) = re.findall(r"<!-- annotate:callgraph (.+?) -->", source)
        for name in listed.split():
            assert index.get(name) is not None, f"{chapter}: `{name}` is not an object"
        functions = [i for i in identifiers if index.get(i).kind == "function"]
        assert {index.canonical(i) for i in functions} <= {
            index.canonical(name) for name in listed.split()
        }, chapter
