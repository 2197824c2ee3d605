"""Examples on the built guide show the calls they made through the two files, linked into the guide."""

from __future__ import annotations

import re

from tests.htmltree import parse

LOADER = "torch.nn.Module._load_from_state_dict"


def traces(site, chapter):
    tree = parse((site / f"chapters/{chapter}/index.html").read_text(encoding="utf-8"))
    return tree.find_all("details", cls="an-trace")


def test_every_example_of_every_chapter_shows_its_trace_in_both_languages(site):
    # Every chapter example calls into module.py or container.py, so each has a trace; one
    # dropped (a cache entry read without it, a trace refused as malformed) fails here.
    for prefix in ("", "zh/"):
        for chapter in sorted(p.name for p in (site / prefix / "chapters").iterdir()):
            page = site / prefix / f"chapters/{chapter}/index.html"
            examples = page.read_text(encoding="utf-8").count('class="an-example"')
            folds = parse(page.read_text(encoding="utf-8")).find_all("details", cls="an-trace")
            assert examples and len(folds) == examples, f"{prefix}{chapter}"


def test_a_strict_load_reaches_the_loader_of_every_module_and_links_to_it(site):
    found = []
    for trace in traces(site, "state-dict"):
        for item in trace.find_all("li"):
            links = item.children and [n for n in item.children if n.tag == "a"]
            if not links or "load_state_dict" not in links[0].all_text():
                continue
            below = [
                a for a in item.find_all("a") if a.attrs.get("href", "").endswith("#" + LOADER)
            ]
            if below:
                found.append(item)
    # The nested `load` of load_state_dict (a call static reading cannot see) is in the tree.
    assert found, "no trace shows load_state_dict reaching _load_from_state_dict"
    lines = [
        a
        for a in found[0].find_all("a")
        if re.search(r"files/module/#L\d+$", a.attrs.get("href", ""))
    ]
    assert lines and all(a.all_text().startswith("line ") for a in lines)


def test_the_load_chapter_marks_the_branch_its_examples_took_and_not_the_other(
    site, installed_torch
):
    source = (installed_torch / "nn/modules/module.py").read_text(encoding="utf-8").splitlines()
    start = next(
        i for i, line in enumerate(source, 1) if line.startswith("    def _load_from_state_dict(")
    )

    def line_of(text: str) -> int:
        return next(i for i in range(start, len(source) + 1) if source[i - 1].strip() == text)

    html = (site / "chapters/state-dict/index.html").read_text(encoding="utf-8")
    marks = {
        int(n): int(count or 0)
        for count, n in re.findall(
            r'<span class="an-line(?: an-ran" data-an-ran="(\d+)")?[^>]*'
            r'id="torch\.nn\.modules\.module\.Module\._load_from_state_dict--L(\d+)"',
            html,
        )
    }
    copied = line_of("param.copy_(input_param)")
    swapped = line_of("torch.utils.swap_tensors(param, new_input_param)")
    # The chapter's loads copy into the parameters; none runs with swap_tensors switched on.
    assert marks[copied] > 0 and marks[swapped] == 0
    # The test of a branch runs at least as often as the branch it leads to.
    assert marks[line_of("if use_swap_tensors:")] >= marks[copied]


def test_call_lists_and_diagrams_learn_the_calls_the_examples_made(site):
    html = (site / "chapters/state-dict/index.html").read_text(encoding="utf-8")
    tree = parse(html)
    # load_state_dict's own links: the run-time call to the loader, which reading cannot see.
    (links,) = [
        d
        for d in tree.find_all("div", cls="an-links")
        if d.attrs.get("data-an-links", "").endswith("load_state_dict")
        and not d.attrs["data-an-links"].endswith("_load_from_state_dict")
    ]
    seen = [dd for dd in links.find_all("dd", cls="an-seen")]
    assert seen and any(
        a.attrs.get("href", "").endswith("#" + LOADER) for a in seen[0].find_all("a")
    )
    # A diagram that draws both draws that call, apart from the read ones.
    diagrams = [
        f
        for f in tree.find_all("figure", cls="an-callgraph")
        if {"Module.load_state_dict", "Module._load_from_state_dict"}
        <= {t.all_text() for t in f.find_all("text")}
    ]
    assert diagrams and all(d.find_all("path", cls="an-cg-seen") for d in diagrams)


def test_a_chapter_says_once_what_the_bars_beside_its_lines_mean(site):
    for prefix in ("", "zh/"):
        for chapter in sorted(p.name for p in (site / prefix / "chapters").iterdir()):
            html = (site / prefix / f"chapters/{chapter}/index.html").read_text(encoding="utf-8")
            first_mark = html.find('class="an-line an-ran"')
            if first_mark < 0:
                continue
            assert html.count('class="an-ran-legend"') == 1, f"{prefix}{chapter}"
            assert html.index('class="an-ran-legend"') < first_mark, f"{prefix}{chapter}"


def test_calls_the_tree_cannot_tell_apart_are_one_node_with_their_counts_added():
    from annotate.examples.traces import CallNode
    from annotate.site.trace_views import merged_calls

    module = "torch/nn/modules/module.py"

    def call(function, line, count, *children, first=10):
        return CallNode(
            file=module,
            function=function,
            first_line=first,
            line=line,
            count=count,
            children=children,
        )

    # Two layers built on lines 3 and 4 of an example: Module.__init__ reached twice, each
    # time calling __setattr__ from its line 500.
    roots = (
        call("Module.__init__", 3, 1, call("Module.__setattr__", 500, 5, first=20)),
        call("Module.__init__", 4, 1, call("Module.__setattr__", 500, 3, first=20)),
        call("Module.state_dict", 5, 1, first=30),
    )
    (init, state_dict) = merged_calls(roots, by_line=False)
    assert (init.function, init.count) == ("Module.__init__", 2)
    assert [(c.function, c.line, c.count) for c in init.children] == [
        ("Module.__setattr__", 500, 8)
    ]
    assert state_dict == roots[2]
    # Below the roots, calls from different lines stay apart: the tree shows their lines.
    apart = merged_calls((call("f", 1, 1), call("f", 2, 1)))
    assert [(c.line, c.count) for c in apart] == [(1, 1), (2, 1)]
