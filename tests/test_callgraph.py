"""Call diagrams: reading the directive, choosing what to draw, laying it out (no site build)."""

from __future__ import annotations

from annotate.site.diagrams import layers, read_directives, render_svg
from tests.htmltree import parse

M = "torch.nn.modules.module.Module"


def drawn(page, index, calls, *, file):
    """The diagrams of `page`, which has no problem."""
    diagrams, problems = read_directives(page, index, calls, file=file)
    assert problems == []
    return diagrams


def test_a_directive_draws_the_listed_functions_and_the_calls_among_them(guide):
    page = "# T\n\n<!-- annotate:callgraph Module.state_dict torch.nn.Module._save_to_state_dict Module.parameters Module.named_parameters -->\n"
    (diagram,) = drawn(page, guide.index, guide.calls, file="t.md")
    assert diagram.nodes == (
        f"{M}.state_dict",
        f"{M}._save_to_state_dict",
        f"{M}.parameters",
        f"{M}.named_parameters",
    )
    assert set(diagram.edges) == {
        (f"{M}.state_dict", f"{M}._save_to_state_dict"),
        (f"{M}.parameters", f"{M}.named_parameters"),
    }
    for caller, callee in diagram.edges:
        assert callee in guide.calls.calls[caller]


def test_an_unlisted_function_on_the_path_is_drawn_as_a_via_box(guide):
    page = "<!-- annotate:callgraph Module.parameters Module._named_members -->"
    (diagram,) = drawn(page, guide.index, guide.calls, file="t.md")
    assert diagram.nodes[2:] == (f"{M}.named_parameters",)
    assert f"{M}.named_parameters" not in diagram.listed
    svg = parse(render_svg(diagram, guide.index))
    assert len(svg.find_all("g", cls="an-cg-via")) == 1
    assert [t.all_text() for t in svg.find_all("text")] == [
        "Module.parameters",
        "Module._named_members",
        "Module.named_parameters",
    ]


def test_callers_stand_in_columns_left_of_their_callees(guide):
    names = "Module.to Module._apply Module.cuda Module.cpu Module.children Module.named_children"
    (diagram,) = drawn(
        f"<!-- annotate:callgraph {names} -->", guide.index, guide.calls, file="t.md"
    )
    columns = layers(diagram)
    column = {node: i for i, col in enumerate(columns) for node in col}
    assert sorted(column) == sorted(diagram.nodes)
    assert diagram.edges
    for caller, callee in diagram.edges:
        assert column[caller] < column[callee], (caller, callee)
    svg = parse(render_svg(diagram, guide.index))
    boxes = {
        t.all_text(): float(r.attrs["x"])
        for g in svg.find_all("g")
        for t, r in zip(g.find_all("text"), g.find_all("rect"), strict=True)
    }
    assert boxes["Module.to"] < boxes["Module._apply"] < boxes["Module.children"]


def test_every_box_is_an_autoref_to_its_function(guide):
    page = "<!-- annotate:callgraph Module.state_dict Module._save_to_state_dict -->"
    (diagram,) = drawn(page, guide.index, guide.calls, file="t.md")
    svg = parse(render_svg(diagram, guide.index, number=3))
    refs = [a.attrs["identifier"] for a in svg.find_all("autoref")]
    assert refs == list(diagram.nodes)
    assert "optional" not in {k for a in svg.find_all("autoref") for k in a.attrs}
    (marker,) = svg.find_all("marker")
    assert marker.attrs["id"] == "an-arrow-3"


def test_unknown_names_are_reported_with_file_line_and_candidates(guide):
    page = "---\ntitle: x\n---\n# T\n\nText.\n\n<!-- annotate:callgraph Module.statedict\n  Module._apply Module.training -->\n"
    _, problems = read_directives(page, guide.index, guide.calls, file="docs/chapters/t.md")
    messages = [str(p) for p in problems]
    assert messages == [
        "docs/chapters/t.md:8: `Module.statedict` in the callgraph directive is not a function "
        "of module.py or container.py; did you mean `Module.state_dict`, `Module.load_state_dict`?",
        "docs/chapters/t.md:8: `Module.training` in the callgraph directive is an attribute, "
        "not a function; name functions or methods only",
    ]


def test_a_directive_inside_a_line_or_without_names_is_handled(guide):
    inline = "Write `<!-- annotate:callgraph Module.to -->` on a line of its own."
    assert read_directives(inline, guide.index, guide.calls, file="t.md") == ([], [])
    _, (problem,) = read_directives(
        "<!-- annotate:callgraph -->", guide.index, guide.calls, file="t.md"
    )
    assert "names no function" in str(problem)
