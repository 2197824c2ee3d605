"""Call diagrams: `<!-- annotate:callgraph A B ... -->` in a chapter becomes an inline SVG.

The diagram shows the listed functions and the call paths among them (through at most two
functions of these files that are not listed, drawn dashed), laid out in layers from caller
to callee by grandalf's Sugiyama layout. It is drawn here at build time, in pure Python (a
package from PyPI rather than Graphviz's `dot`, so that nothing but pip is needed to build),
because the page must not load a script from the network.
"""

from __future__ import annotations

import functools
import re
from collections import deque
from collections.abc import Collection
from dataclasses import dataclass
from html import escape
from itertools import pairwise
from typing import TYPE_CHECKING, Any

from annotate.errors import Problem, did_you_mean
from annotate.site import labels

if TYPE_CHECKING:
    from pathlib import Path

    from annotate.source.index import ObjectIndex
    from annotate.source.resolve import CallGraph

DIRECTIVE = re.compile(
    r"^<!--\s*annotate:callgraph\b(?P<names>.*?)-->[ \t]*$", re.MULTILINE | re.DOTALL
)
"""One directive at the start of a line; the names may run over several lines."""
_MAX_VIA = 2
"""Unlisted functions allowed between two listed ones on a drawn path."""

_CHAR = 7.2  # width of one character of 12px monospace
_BOX_H = 26
_PAD_X = 10
_GAP_X = 56
_GAP_Y = 14
_MARGIN = 8


@dataclass(frozen=True, kw_only=True)
class Diagram:
    """The functions and calls one directive asks to draw."""

    directive: str
    """The directive as written, to find it again in the page."""
    nodes: tuple[str, ...]
    """Canonical paths: the listed functions first, then those on paths between them."""
    listed: frozenset[str]
    """The functions the directive names."""
    edges: tuple[tuple[str, str], ...]
    """Caller and callee, as the code reads."""
    seen: tuple[tuple[str, str], ...] = ()
    """Calls between two drawn functions that only the examples showed (a call through an
    object of unknown type, such as a child module's), drawn apart from the read ones."""


def read_directives(
    markdown: str,
    index: ObjectIndex,
    calls: CallGraph,
    *,
    file: Path,
    seen: Collection[tuple[str, str]] = (),
) -> tuple[list[Diagram], list[Problem]]:
    """Every callgraph directive of a page, and a problem for each function it cannot draw."""
    diagrams: list[Diagram] = []
    problems: list[Problem] = []
    for match in DIRECTIVE.finditer(markdown):
        line = markdown.count("\n", 0, match.start()) + 1
        names = match["names"].split()
        paths: list[str] = []
        if not names:
            problems.append(
                Problem(
                    file=file,
                    line=line,
                    message="the callgraph directive names no function",
                    fix="list the functions, e.g. `<!-- annotate:callgraph Module.to Module._apply -->`",
                )
            )
        for name in names:
            info = index.get(name)
            if info is not None and info.kind == "function":
                if info.path not in paths:
                    paths.append(info.path)
                continue
            if info is not None:
                article = "an" if info.kind[0] in "aeiou" else "a"
                message = (
                    f"`{name}` in the callgraph directive is {article} {info.kind}, not a function"
                )
                fix = "name functions or methods only"
            else:
                close = [c for c in index.candidates(name) if _is_function(index, c)]
                message = f"`{name}` in the callgraph directive is not a function of module.py or container.py"
                fix = did_you_mean(close, otherwise="write a path such as `Module.state_dict`")
            problems.append(Problem(file=file, line=line, message=message, fix=fix))
        if paths:
            diagrams.append(_diagram(match.group(0).strip(), paths, calls, seen))
    return diagrams, problems


def _is_function(index: ObjectIndex, path: str) -> bool:
    info = index.get(path)
    return info is not None and info.kind == "function"


def _diagram(
    directive: str, listed: list[str], calls: CallGraph, seen: Collection[tuple[str, str]] = ()
) -> Diagram:
    wanted = set(listed)
    nodes = list(listed)
    edges: list[tuple[str, str]] = []
    for start in listed:
        # Breadth first, so each listed function is reached by a shortest path.
        parent: dict[str, str] = {start: ""}
        queue = deque([(start, 0)])
        while queue:
            here, depth = queue.popleft()
            for callee in calls.calls.get(here, ()):
                if callee in parent:
                    continue
                parent[callee] = here
                if callee in wanted:
                    path = [callee]
                    while path[-1] != start:
                        path.append(parent[path[-1]])
                    path.reverse()
                    for a, b in pairwise(path):
                        if (a, b) not in edges:
                            edges.append((a, b))
                        if b not in nodes:
                            nodes.append(b)
                elif depth < _MAX_VIA:
                    queue.append((callee, depth + 1))
    drawn = set(nodes)
    observed = tuple(
        (a, b) for a, b in sorted(seen) if a in drawn and b in drawn and (a, b) not in edges
    )
    return Diagram(
        directive=directive,
        nodes=tuple(nodes),
        listed=frozenset(listed),
        edges=tuple(edges),
        seen=observed,
    )


@dataclass(kw_only=True)
class _Box:
    """What grandalf reads of a vertex (its size) and writes (its centre)."""

    w: float
    h: float
    xy: tuple[float, float] = (0.0, 0.0)


class _Route:
    """What grandalf writes of an edge: the centres it passes, end to end."""

    points: list[tuple[float, float]]

    def __init__(self) -> None:
        self.points = []

    def setpath(self, points: list[tuple[float, float]]) -> None:
        self.points = list(points)


@dataclass(frozen=True, kw_only=True)
class Layout:
    """Where a diagram's boxes and edges stand, left to right from caller to callee."""

    boxes: dict[str, tuple[float, float, float]]
    """Each node's left, top and width (every box is `_BOX_H` tall)."""
    paths: dict[tuple[str, str], str]
    """Each drawn call's SVG path, from the caller's box to the callee's."""
    width: float
    height: float


@functools.cache
def _numbered() -> tuple[Any, Any]:
    """grandalf's vertex and edge, hashed by their number in the diagram.

    grandalf keeps both in sets, whose order would follow the objects' addresses: the same
    diagram came out laid out differently from one build to the next.
    """
    from grandalf.graphs import Edge, Vertex

    class NumberedVertex(Vertex):
        def __init__(self, data: str, number: int) -> None:
            super().__init__(data)
            self.number = number

        def __hash__(self) -> int:
            return self.number

    class NumberedEdge(Edge):
        def __init__(self, x: Any, y: Any, number: int) -> None:
            super().__init__(x, y)
            self.number = number

        def __hash__(self) -> int:
            return self.number

    return NumberedVertex, NumberedEdge


def _layer_out(diagram: Diagram, width: dict[str, float]) -> Layout:
    """Sugiyama's layered layout (grandalf): ranks from caller to callee, crossings reduced by
    ordering within ranks, and a dummy vertex in every rank a long call crosses, so that a
    call runs between boxes, never through one. Grandalf lays ranks top to bottom: each box
    goes in turned (its height across the rank), and the result is turned back."""
    from grandalf.graphs import Graph
    from grandalf.layouts import SugiyamaLayout

    vertex_type, edge_type = _numbered()
    vertex = {n: vertex_type(n, number) for number, n in enumerate(diagram.nodes)}
    for node, v in vertex.items():
        v.view = _Box(w=_BOX_H, h=width[node])
    calls = [(a, b) for a, b in (*diagram.edges, *diagram.seen) if a != b]
    edges = {(a, b): edge_type(vertex[a], vertex[b], number) for number, (a, b) in enumerate(calls)}
    for edge in edges.values():
        edge.view = _Route()
    graph = Graph(list(vertex.values()), list(edges.values()))
    boxes: dict[str, tuple[float, float, float]] = {}
    paths: dict[tuple[str, str], str] = {}
    singles: list[str] = []
    top = float(_MARGIN)
    right = 0.0
    for part in graph.C:
        members = [v.data for v in part.sV]
        if len(members) == 1:
            singles.append(members[0])
            continue
        sugiyama = SugiyamaLayout(part)
        sugiyama.xspace, sugiyama.yspace = _GAP_Y, _GAP_X
        sugiyama.init_all()
        sugiyama.draw(4)
        # Turned back: grandalf's y is our x (the rank), its x our y.
        centre = {n: (vertex[n].view.xy[1], vertex[n].view.xy[0]) for n in members}
        rank = {n: sugiyama.grx[vertex[n]].rank for n in members}
        column: dict[int, tuple[float, float]] = {}
        for n in members:
            x = centre[n][0]
            low, high = column.get(rank[n], (x, x))
            column[rank[n]] = (min(low, x - width[n] / 2), max(high, x + width[n] / 2))
        left = min(low for low, _ in column.values())
        upper = min(y for _, y in centre.values()) - _BOX_H / 2
        dx, dy = _MARGIN - left, top - upper
        for n in members:
            x, y = centre[n]
            boxes[n] = (x - width[n] / 2 + dx, y - _BOX_H / 2 + dy, width[n])
        bounds = {r: (low + dx, high + dx) for r, (low, high) in column.items()}
        for (a, b), edge in edges.items():
            if vertex[a] not in part.sV:
                continue
            points = [(y + dx, x + dy) for x, y in edge.view.points]
            paths[a, b] = _route(points, boxes[a], boxes[b], bounds)
        bottom = max(y + _BOX_H for _, y, _ in (boxes[n] for n in members))
        right = max(right, max(high for _, high in bounds.values()))
        top = bottom + 2 * _GAP_Y
    # Functions that call none of the others and are called by none: in rows below.
    row = max(right, 480.0)
    x = float(_MARGIN)
    for node in singles:
        if x > _MARGIN and x + width[node] > row:
            x, top = float(_MARGIN), top + _BOX_H + _GAP_Y
        boxes[node] = (x, top, width[node])
        right = max(right, x + width[node])
        x += width[node] + _GAP_Y
    if singles:
        top += _BOX_H + 2 * _GAP_Y
    return Layout(
        boxes=boxes, paths=paths, width=right + _MARGIN, height=top - 2 * _GAP_Y + _MARGIN
    )


def _route(
    points: list[tuple[float, float]],
    start: tuple[float, float, float],
    end: tuple[float, float, float],
    columns: dict[int, tuple[float, float]],
) -> str:
    """A call through grandalf's centres, as an SVG path that leaves and enters each column
    level (through the rank a dummy vertex holds free) and bends only between columns."""
    spans = sorted(columns.values())

    def span(x: float) -> tuple[float, float]:
        return min(
            spans, key=lambda s: 0 if s[0] - 1 <= x <= s[1] + 1 else abs(x - (s[0] + s[1]) / 2)
        )

    forward = points[-1][0] > points[0][0]
    sy = points[0][1]
    x0 = start[0] + start[2] if forward else start[0]
    d = [f"M{x0:.1f},{sy:.1f}"]
    for (px, py), (qx, qy) in pairwise(points):
        p_lo, p_hi = span(px)
        q_lo, q_hi = span(qx)
        out, into = (p_hi, q_lo) if forward else (p_lo, q_hi)
        d.append(f"H{out:.1f}")
        bend = (into - out) / 2
        d.append(f"C{out + bend:.1f},{py:.1f} {into - bend:.1f},{qy:.1f} {into:.1f},{qy:.1f}")
    x1 = end[0] if forward else end[0] + end[2]
    d.append(f"H{x1:.1f}")
    return " ".join(d)


def layers(diagram: Diagram) -> list[list[str]]:
    """Nodes in columns, callers left of callees, each column top to bottom."""
    width = {n: len(n) * _CHAR for n in diagram.nodes}
    placed = _layer_out(diagram, width).boxes
    lefts = sorted({round(x + w / 2) for x, _, w in placed.values()})
    columns: dict[int, list[str]] = {}
    for node in sorted(diagram.nodes, key=lambda n: placed[n][1]):
        x, _, w = placed[node]
        columns.setdefault(lefts.index(round(x + w / 2)), []).append(node)
    return [columns[i] for i in sorted(columns)]


def render_svg(
    diagram: Diagram, index: ObjectIndex, *, number: int = 0, language: str = "en"
) -> str:
    """The diagram as inline SVG, labelled in `language`; each box is an autorefs element, so it
    links to its function."""
    _ = labels.gettext(language)
    label = {n: index.objects[n].short for n in diagram.nodes}
    width = {n: len(label[n]) * _CHAR + 2 * _PAD_X for n in diagram.nodes}
    layout = _layer_out(diagram, width)
    total_w, total_h = layout.width, layout.height
    marker = f"an-arrow-{number}"
    parts = [
        f'<svg class="an-callgraph-svg" xmlns="http://www.w3.org/2000/svg" role="img" '
        f'viewBox="0 0 {total_w:.0f} {total_h:.0f}" width="{total_w:.0f}" height="{total_h:.0f}" '
        f'aria-label="{escape(_("Call graph of %(names)s", names=", ".join(label[n] for n in diagram.nodes)))}">',
        f'<defs><marker id="{marker}" viewBox="0 0 8 8" refX="8" refY="4" markerWidth="7" '
        f'markerHeight="7" orient="auto"><path class="an-cg-head" d="M0,0 L8,4 L0,8 z"/></marker></defs>',
    ]
    for edge, kind in [(e, "an-cg-edge") for e in diagram.edges] + [
        (e, "an-cg-seen") for e in diagram.seen
    ]:
        if edge not in layout.paths:
            continue  # a function calling itself: its own chapter says so
        title = f"<title>{_('seen at run time')}</title>" if kind == "an-cg-seen" else ""
        parts.append(
            f'<path class="{kind}" d="{layout.paths[edge]}" marker-end="url(#{marker})">{title}</path>'
        )
    for node in diagram.nodes:
        nx, ny, w = layout.boxes[node]
        kind = "an-cg-node" if node in diagram.listed else "an-cg-node an-cg-via"
        parts.append(
            f'<autoref identifier="{node}"><g class="{kind}">'
            f"<title>{escape(node)}</title>"
            f'<rect x="{nx:.1f}" y="{ny:.1f}" width="{w:.1f}" height="{_BOX_H}" rx="4"/>'
            f'<text x="{nx + w / 2:.1f}" y="{ny + _BOX_H / 2:.1f}" '
            f'text-anchor="middle" dominant-baseline="central">{escape(label[node])}</text>'
            "</g></autoref>"
        )
    parts.append("</svg>")
    # What each kind of line and box means; a kind the diagram does not draw is not listed.
    legend = [
        '<span class="an-cg-key an-cg-key-edge" aria-hidden="true"></span> '
        + _("calls read from the code, caller to callee")
    ]
    if any(n not in diagram.listed for n in diagram.nodes):
        legend.append(
            '<span class="an-cg-key an-cg-key-via" aria-hidden="true"></span> '
            + _("dashed box: a function not listed, on the way between two that are")
        )
    if diagram.seen:
        legend.append(
            '<span class="an-cg-key an-cg-key-seen" aria-hidden="true"></span> '
            + _("Dotted arrows: calls the examples made that reading the code cannot resolve.")
        )
    caption = f'<figcaption class="an-cg-legend">{" · ".join(legend)}</figcaption>'
    # Out of search: box labels would otherwise open every result's preview.
    drawing = f'<div class="an-cg-scroll">{"".join(parts)}</div>'
    return f'<figure class="an-callgraph" data-search-exclude>{drawing}{caption}</figure>'


_SVG = re.compile(r'<svg class="an-callgraph-svg".*?</svg>', re.S)
_SVG_HREF = re.compile(r'(<a\b[^>]*?)\shref="')


def svg_links_as_xlink(html: str) -> str:
    """Turn the links autorefs wrote into the diagrams into `xlink:href` links.

    An SVG `<a>` has a read-only `href` property; Material's instant navigation assigns to the
    `href` of every `[href]` element and would throw on these, while `xlink:href` is not matched
    by `[href]` and still navigates.
    """
    return _SVG.sub(lambda svg: _SVG_HREF.sub(r'\1 xlink:href="', svg[0]), html)
