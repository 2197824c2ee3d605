"""Call diagrams: reading the directive, choosing what to draw, laying it out (no site build)."""

from __future__ import annotations

import random

import pytest

from annotate.site.diagrams import layers, read_directives, render_svg
from tests.conftest import ROOT
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


def _points(d: str, steps: int = 24) -> list[tuple[float, float]]:
    """Points along an SVG path of M, H and C commands (those the diagrams draw)."""
    tokens = d.replace(",", " ").split()
    points: list[tuple[float, float]] = []
    x = y = 0.0
    i = 0
    while i < len(tokens):
        command = tokens[i][0]
        numbers = [tokens[i][1:], *tokens[i + 1 : i + 6]]
        if command == "M":
            x, y = float(numbers[0]), float(numbers[1])
            i += 2
        elif command == "H":
            target = float(numbers[0])
            points += [(x + (target - x) * k / steps, y) for k in range(steps + 1)]
            x = target
            i += 1
        elif command == "C":
            x1, y1, x2, y2, x3, y3 = map(float, numbers)
            for k in range(steps + 1):
                t = k / steps
                u = 1 - t
                points.append(
                    (
                        u**3 * x + 3 * u * u * t * x1 + 3 * u * t * t * x2 + t**3 * x3,
                        u**3 * y + 3 * u * u * t * y1 + 3 * u * t * t * y2 + t**3 * y3,
                    )
                )
            x, y = x3, y3
            i += 6
        else:
            raise AssertionError(f"unexpected path command {command} in {d}")
    return points


def test_every_chapter_diagram_is_layered_with_no_call_through_a_box(guide):
    drawn_any = 0
    for chapter in sorted((ROOT / "docs" / "chapters").glob("*.md")):
        diagrams, problems = read_directives(
            chapter.read_text(encoding="utf-8"), guide.index, guide.calls, file=chapter
        )
        assert problems == []
        for diagram in diagrams:
            svg = parse(render_svg(diagram, guide.index))
            boxes = [
                tuple(float(r.attrs[k]) for k in ("x", "y", "width", "height"))
                for r in svg.find_all("rect")
            ]
            # No two boxes overlap.
            for i, (ax, ay, aw, ah) in enumerate(boxes):
                for bx, by, bw, bh in boxes[i + 1 :]:
                    assert ax + aw <= bx or bx + bw <= ax or ay + ah <= by or by + bh <= ay
            paths = [p for p in svg.find_all("path") if "an-cg-head" not in p.classes]
            assert len(paths) == len([e for e in (*diagram.edges, *diagram.seen) if e[0] != e[1]])
            for path in paths:
                for px, py in _points(path.attrs["d"]):
                    for x, y, w, h in boxes:
                        inside = x + 1 < px < x + w - 1 and y + 1 < py < y + h - 1
                        assert not inside, f"{chapter.name}: a call runs through a box at {px, py}"
            drawn_any += len(paths)
    assert drawn_any > 50


def test_a_diagram_is_laid_out_the_same_every_time(guide):
    """The layout depends on the calls alone, not on where its objects happen to lie in memory."""
    chapter = ROOT / "docs" / "chapters" / "containers.md"
    text = chapter.read_text(encoding="utf-8")
    (static, *_), _ = read_directives(text, guide.index, guide.calls, file=chapter)
    # Calls seen at run time as well, as examples add them: some of them close cycles.
    seen = {(b, a) for a, b in static.edges}
    (diagram, *_), _ = read_directives(text, guide.index, guide.calls, file=chapter, seen=seen)
    assert diagram.seen
    from grandalf import graphs, layouts

    drawings = set()
    for seed in range(4):
        # Hashes as object addresses give them, differently in every process: grandalf keeps
        # vertices and edges in sets.
        rng, hashes = random.Random(seed), {}

        def address(self, rng=rng, hashes=hashes):
            return hashes.setdefault(id(self), rng.getrandbits(48))

        with pytest.MonkeyPatch.context() as patch:
            for kind in (graphs.Vertex, graphs.Edge, layouts.DummyVertex):
                patch.setattr(kind, "__hash__", address)
            drawings.add(render_svg(diagram, guide.index))
    assert len(drawings) == 1
