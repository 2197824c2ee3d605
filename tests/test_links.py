"""Cross-links in built sites: source names, calls lists, diagrams, upstream and docs links, no broken link."""

from __future__ import annotations

import ast
import json
from pathlib import Path
from urllib.parse import urljoin, urlsplit

import griffe
import pytest

from tests.chapters import CHAPTERS
from tests.conftest import SITE_URL, add_page, copy_project, failed_build, run_mkdocs
from tests.htmltree import parse
from tests.linkcheck import check_site, page_ids

MODULE = "torch.nn.modules.module"
CONTAINER = "torch.nn.modules.container"
MOD = "torch/nn/modules/module.py"
CON = "torch/nn/modules/container.py"
SOURCES = {MOD: ("files/module", MODULE), CON: ("files/container", CONTAINER)}
DONE_WHEN = [
    ("Module", "state_dict"),
    ("Module", "to"),
    ("Module", "parameters"),
    ("Module", "named_parameters"),
    ("Sequential", "forward"),
]
PROBE_PAGE = """\
# Probe

<!-- annotate:callgraph Module.parameters Module._named_members Module.state_dict
     -->

<!-- annotate:callgraph Module.parameters Module.named_parameters Module._named_members Module.state_dict Module._save_to_state_dict -->
"""


def tree_of(site, path):
    return parse((site / path / "index.html").read_text(encoding="utf-8"))


def resolve(page_dir, href):
    """The site page (folder) and anchor an `href` on `page_dir` points at."""
    parts = urlsplit(urljoin(f"/{page_dir}/", href))
    return parts.path.strip("/"), parts.fragment


def own_methods(relpath_text, cls):
    tree = ast.parse(relpath_text)
    (node,) = [n for n in tree.body if isinstance(n, ast.ClassDef) and n.name == cls]
    return node, {n.name for n in node.body if isinstance(n, ast.FunctionDef)}


def self_method_calls(index, cls, name):
    """`self.<m>(...)` calls in `cls.name` naming a method of `cls` or `Module`: line, column, target."""
    relpath = MOD if cls == "Module" else CON
    text = "\n".join(index.lines[relpath])
    node, methods = own_methods(text, cls)
    _, module_methods = own_methods("\n".join(index.lines[MOD]), "Module")
    (func,) = [
        n for n in node.body if isinstance(n, ast.FunctionDef) and n.name == name and n.body
    ][-1:]
    calls = []
    for call in ast.walk(func):
        if not (
            isinstance(call, ast.Call)
            and isinstance(call.func, ast.Attribute)
            and isinstance(call.func.value, ast.Name)
            and call.func.value.id == "self"
        ):
            continue
        attr = call.func.attr
        if attr in methods:
            owner = f"{SOURCES[relpath][1]}.{cls}"
        elif attr in module_methods:
            owner = f"{MODULE}.Module"
        else:
            continue
        target = index.canonical(f"{owner}.{attr}")
        col = call.func.end_col_offset - len(attr)
        calls.append((call.func.end_lineno, col, attr, target))
    return calls


def links_on_line(line_node):
    return [(a.all_text(), a.attrs.get("href", "")) for a in line_node.find_all("a")]


@pytest.fixture(scope="module")
def probe_site(tmp_path_factory):
    """The guide plus a chapter that embeds the functions of the "Done when" list and two diagrams."""
    root = tmp_path_factory.mktemp("probe")
    config = copy_project(root / "project")
    add_page(config, "chapters/probe.md", PROBE_PAGE)
    result = run_mkdocs(root / "site", config=config)
    assert result.returncode == 0, result.stderr[-4000:]
    return root / "site"


def test_no_internal_link_or_anchor_is_broken(site):
    broken, checked = check_site(site, prefix=urlsplit(SITE_URL).path)
    assert checked > 1000
    assert broken == [], "\n".join(map(str, broken[:20]))


def test_the_link_checker_finds_a_broken_page_and_a_broken_anchor(tmp_path):
    (tmp_path / "a").mkdir()
    (tmp_path / "index.html").write_text(
        '<a href="a/">ok</a><a href="a/#here">ok</a><a href="b/">no</a><a href="a/#gone">no</a>'
        '<a href="https://example.org/x">external</a>'
    )
    (tmp_path / "a/index.html").write_text('<h1 id="here">A</h1>')
    broken, checked = check_site(tmp_path)
    assert checked == 4
    assert [b.href for b in broken] == ["b/", "a/#gone"]


def test_the_link_checker_refuses_absolute_links_outside_the_site_path(tmp_path):
    (tmp_path / "a").mkdir()
    (tmp_path / "a/index.html").write_text("")
    (tmp_path / "404.html").write_text('<a href="/guide/a/">ok</a><a href="/a/">outside</a>')
    broken, checked = check_site(tmp_path, prefix="/guide/")
    assert checked == 2
    assert [(b.href, b.why) for b in broken] == [("/a/", "outside /guide/")]


def embedded_at(index, path):
    """The chapter that embeds the object at `path` (any spelling), or `None`."""
    canonical = index.canonical(path)
    for page, identifiers in CHAPTERS.items():
        if any(index.canonical(identifier) == canonical for identifier in identifiers):
            return page
    return None


@pytest.mark.parametrize(("cls", "name"), DONE_WHEN)
def test_self_calls_link_to_their_methods_where_the_functions_are_embedded(site, index, cls, name):
    public = f"torch.nn.{cls}.{name}"
    where = embedded_at(index, public)
    assert where, f"{public} is embedded in no chapter"
    tree = tree_of(site, where)
    lines = {n.attrs["id"]: n for n in tree.find_all("span", cls="an-line")}
    canonical = index.canonical(public)
    calls = self_method_calls(index, cls, name)
    if cls == "Module":
        assert calls, f"{public} makes no self call: the test reads the wrong function"
    for line, _, attr, target in calls:
        row = lines[f"{canonical}--L{line}"]
        found = [href for text, href in links_on_line(row) if text == attr]
        assert found, f"`self.{attr}` on line {line} of {public} is not a link"
        for href in found:
            page, anchor = resolve(where, href)
            assert anchor in page_ids(site / page / "index.html")
            chapter = embedded_at(index, target)
            if chapter:
                # Rendered by a chapter: the link goes there, not to the whole-file page.
                assert page == chapter and index.canonical(anchor) == target
            else:
                assert page == "files/module" and anchor == target


CHAIN = [
    ("parameters", "named_parameters"),
    ("named_parameters", "_named_members"),
    ("state_dict", "_save_to_state_dict"),
]


def test_calls_and_called_by_on_every_function_of_both_files(site, index, guide):
    for relpath, (page_dir, _) in SOURCES.items():
        tree = tree_of(site, page_dir)
        asides = {a.attrs["data-an-links"]: a for a in tree.find_all("aside", cls="an-links")}
        functions = [f for f in index.functions() if f.file == relpath]
        assert set(asides) >= {f.path for f in functions}
        for func in functions:
            terms = asides[func.path].find_all("dt")
            assert [t.all_text() for t in terms] == ["Calls", "Called by"]
            (calls, callers) = asides[func.path].find_all("dd")
            for dd, expected in (
                (calls, guide.calls.calls[func.path]),
                (callers, guide.calls.called_by[func.path]),
            ):
                targets = [resolve(page_dir, a.attrs["href"])[1] for a in dd.find_all("a")]
                assert targets == list(expected), func.path


def test_the_chain_of_calls_matches_the_tests_own_reading(site, index):
    module = tree_of(site, "files/module")
    asides = {a.attrs["data-an-links"]: a for a in module.find_all("aside", cls="an-links")}
    for caller, callee in CHAIN:
        own = {t for *_, t in self_method_calls(index, "Module", caller)}
        assert f"{MODULE}.Module.{callee}" in own
        calls, _ = asides[f"{MODULE}.Module.{caller}"].find_all("dd")
        assert {resolve("files/module", a.attrs["href"])[1] for a in calls.find_all("a")} == own
        callee_callers = asides[f"{MODULE}.Module.{callee}"].find_all("dd")[1]
        assert f"#{MODULE}.Module.{caller}" in {
            a.attrs["href"] for a in callee_callers.find_all("a")
        }
        # The same list beside the function where a chapter embeds it.
        chapter = tree_of(site, embedded_at(index, f"torch.nn.Module.{caller}"))
        (block,) = chapter.find_all("div", data_an_links=f"torch.nn.Module.{caller}")
        shown = [c.all_text() for c in block.find_all("dd")[0].find_all("code")]
        assert shown == [index.objects[t].short for t in own]


def test_upstream_links_carry_the_manifest_commit_the_griffe_span_and_the_tag(site, guide):
    snapshot = guide.snapshot
    manifest = json.loads((snapshot.root / "manifest.json").read_text())
    assert manifest["commit"] == snapshot.commit and len(snapshot.commit) == 40
    loaded = {
        m: griffe.load(m, search_paths=[str(snapshot.root)], try_relative_path=False)
        for m in (MODULE, CONTAINER)
    }
    tag = f"v{manifest['version'].split('+')[0]}"
    for relpath, (page_dir, module) in SOURCES.items():
        tree = tree_of(site, page_dir)
        asides = {a.attrs["data-an-links"]: a for a in tree.find_all("aside", cls="an-links")}
        for name in (
            "Module.state_dict",
            "Module.to",
            "Module._apply",
            "Sequential.forward",
            "Sequential",
        ):
            path = f"{module}.{name}"
            if path not in asides:
                continue
            obj = loaded[module][name]
            (link,) = asides[path].find_all("a", cls="an-upstream")
            assert link.attrs["href"] == (
                f"https://github.com/pytorch/pytorch/blob/{manifest['commit']}/{relpath}"
                f"#L{obj.lineno}-L{obj.endlineno}"
            )
            assert [t.all_text() for t in asides[path].find_all("span", cls="an-tag")] == [tag]


def test_line_note_links_cover_the_line_note_span(site, guide):
    commit = guide.snapshot.commit
    where = {
        "Module.to": "chapters/to-and-apply",
        "Module._save_to_state_dict": "chapters/state-dict",
    }
    module = tree_of(site, "files/module")
    for attached in guide.notes:
        if attached.obj.short not in where or not attached.line_notes:
            continue
        chapter = tree_of(site, where[attached.obj.short])
        for line_note in attached.line_notes:
            url = (
                f"https://github.com/pytorch/pytorch/blob/{commit}/{attached.obj.file}"
                f"#L{line_note.start}-L{line_note.end}"
            )
            for tree in (chapter, module):
                (aside,) = [
                    a
                    for a in tree.find_all("aside")
                    if a.attrs.get("data-an-lines") == f"{line_note.start}-{line_note.end}"
                ]
                assert url in {a.attrs.get("href") for a in aside.find_all("a")}
                assert aside.find_all("span", cls="an-tag")


def test_public_objects_link_to_the_official_docs(site):
    base = "https://docs.pytorch.org/docs/stable/generated/"
    chapter = tree_of(site, "chapters/to-and-apply")
    (block,) = chapter.find_all("div", data_an_links="torch.nn.Module.to")
    assert [a.attrs["href"] for a in block.find_all("a", cls="an-docs")] == [
        base + "torch.nn.Module.html#torch.nn.Module.to"
    ]
    container = tree_of(site, "files/container")
    asides = {a.attrs["data-an-links"]: a for a in container.find_all("aside", cls="an-links")}
    docs = asides[f"{CONTAINER}.Sequential"].find_all("a", cls="an-docs")
    assert [a.attrs["href"] for a in docs] == [base + "torch.nn.Sequential.html"]
    assert not asides[f"{CONTAINER}.Sequential._get_item_by_idx"].find_all("a", cls="an-docs")


def test_call_diagrams_link_every_box_and_draw_the_calls(probe_site, index):
    tree = tree_of(probe_site, "chapters/probe")
    figures = tree.find_all("figure", cls="an-callgraph")
    assert len(figures) == 2
    assert "annotate:callgraph" not in (probe_site / "chapters/probe/index.html").read_text()
    boxes = {}
    for figure in figures:
        for link in figure.find_all("a"):
            (title,) = link.find_all("title")
            assert "href" not in link.attrs  # Material's instant navigation cannot set it on SVG
            page, anchor = resolve("chapters/probe", link.attrs["xlink:href"])
            assert anchor in page_ids(probe_site / page / "index.html")
            boxes[title.all_text()] = (page, anchor)
    wanted = [
        "parameters",
        "named_parameters",
        "_named_members",
        "state_dict",
        "_save_to_state_dict",
    ]
    assert {f"{MODULE}.Module.{n}" for n in wanted} <= set(boxes)
    assert boxes[f"{MODULE}.Module._save_to_state_dict"][0] == "chapters/state-dict"
    # The first diagram skips `named_parameters`: it is drawn as the function on the path.
    first = figures[0]
    assert len(first.find_all("g", cls="an-cg-via")) == 1
    assert len(first.find_all("path", cls="an-cg-edge")) == 2
    second = figures[1]
    assert not second.find_all("g", cls="an-cg-via")
    assert len(second.find_all("path", cls="an-cg-edge")) == 3
    broken, _ = check_site(probe_site)
    assert broken == [], "\n".join(map(str, broken[:20]))


def test_an_unknown_function_in_a_diagram_fails_the_build_with_page_line_and_candidates(tmp_path):
    config = copy_project(tmp_path / "project")
    page = add_page(
        config,
        "chapters/bad.md",
        "---\ntitle: Bad\n---\n# Bad\n\n<!-- annotate:callgraph Module.state_dict Module.statedict -->\n",
    )
    err = failed_build(config, tmp_path / "site", full=True)
    assert f"{page}:6: `Module.statedict` in the callgraph directive is not a function" in err
    assert "did you mean `Module.state_dict`" in err
    assert "Traceback" not in err


def test_a_reference_to_a_missing_object_in_a_note_fails_the_strict_build(tmp_path):
    config = copy_project(tmp_path / "project")
    note = Path(tmp_path / "project/docs/notes/module/Module.to.md")
    note.write_text(note.read_text() + "\nSee [the missing one][torch.nn.Module.nowhere].\n")
    err = failed_build(config, tmp_path / "site")
    assert "torch.nn.Module.nowhere" in err
