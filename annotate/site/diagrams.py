"""Call diagrams: `<!-- annotate:callgraph A B ... -->` in a chapter becomes an inline SVG.

The diagram shows the listed functions and the call paths among them (through at most two
functions of these files that are not listed, drawn dashed), laid out in layers from caller
to callee. It is drawn here at build time, in pure Python, because the page must not load a
script from the network and a layered layout of a dozen boxes does not need Graphviz.
"""

from __future__ import annotations

import re
from collections import deque
from collections.abc import Collection
from dataclasses import dataclass
from html import escape
from itertools import pairwise
from typing import TYPE_CHECKING

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


def layers(diagram: Diagram) -> list[list[str]]:
    """Nodes in columns, callers left of callees, ordered to keep crossings few."""
    order = {n: i for i, n in enumerate(diagram.nodes)}
    forward = _acyclic(diagram)
    depth = dict.fromkeys(diagram.nodes, 0)
    for _ in diagram.nodes:  # longest path; the edges are acyclic, so this settles
        for a, b in forward:
            depth[b] = max(depth[b], depth[a] + 1)
    columns: list[list[str]] = [[] for _ in range(max(depth.values()) + 1)]
    for node in diagram.nodes:
        columns[depth[node]].append(node)
    for sweep in range(4):
        backward = sweep % 2 == 1
        sequence = range(len(columns) - 2, -1, -1) if backward else range(1, len(columns))
        for i in sequence:
            neighbour = columns[i + 1] if backward else columns[i - 1]
            place = {n: k for k, n in enumerate(neighbour)}

            def centre(
                node: str, place: dict[str, int] = place, backward: bool = backward
            ) -> float:
                linked = [
                    place[b if backward else a]
                    for a, b in forward
                    if (a == node if backward else b == node) and (b if backward else a) in place
                ]
                return sum(linked) / len(linked) if linked else order[node] / len(order)

            columns[i].sort(key=lambda n: (centre(n), order[n]))
    return columns


def _acyclic(diagram: Diagram) -> list[tuple[str, str]]:
    """The edges with those that close a cycle left out (they are drawn, not layered)."""
    state: dict[str, int] = {}
    kept: list[tuple[str, str]] = []
    out: dict[str, list[str]] = {}
    for a, b in (*diagram.edges, *diagram.seen):
        out.setdefault(a, []).append(b)

    def visit(node: str) -> None:
        state[node] = 1
        for nxt in out.get(node, []):
            if state.get(nxt) == 1:
                continue
            kept.append((node, nxt))
            if nxt not in state:
                visit(nxt)
        state[node] = 2

    for node in diagram.nodes:
        if node not in state:
            visit(node)
    return kept


def render_svg(
    diagram: Diagram, index: ObjectIndex, *, number: int = 0, language: str = "en"
) -> str:
    """The diagram as inline SVG, labelled in `language`; each box is an autorefs element, so it
    links to its function."""
    _ = labels.gettext(language)
    columns = layers(diagram)
    label = {n: index.objects[n].short for n in diagram.nodes}
    width = {n: len(label[n]) * _CHAR + 2 * _PAD_X for n in diagram.nodes}
    col_w = [max(width[n] for n in col) for col in columns]
    height = max(len(col) for col in columns) * (_BOX_H + _GAP_Y) - _GAP_Y
    pos: dict[str, tuple[float, float]] = {}
    x: float = _MARGIN
    for col, w in zip(columns, col_w, strict=True):
        col_h = len(col) * (_BOX_H + _GAP_Y) - _GAP_Y
        y = _MARGIN + (height - col_h) / 2
        for node in col:
            pos[node] = (x + (w - width[node]) / 2, y)
            y += _BOX_H + _GAP_Y
        x += w + _GAP_X
    total_w = x - _GAP_X + _MARGIN
    total_h = height + 2 * _MARGIN
    marker = f"an-arrow-{number}"
    parts = [
        f'<svg class="an-callgraph-svg" xmlns="http://www.w3.org/2000/svg" role="img" '
        f'viewBox="0 0 {total_w:.0f} {total_h:.0f}" width="{total_w:.0f}" '
        f'aria-label="{escape(_("Call graph of %(names)s", names=", ".join(label[n] for n in diagram.nodes)))}">',
        f'<defs><marker id="{marker}" viewBox="0 0 8 8" refX="8" refY="4" markerWidth="7" '
        f'markerHeight="7" orient="auto"><path class="an-cg-head" d="M0,0 L8,4 L0,8 z"/></marker></defs>',
    ]
    for (a, b), kind in [(e, "an-cg-edge") for e in diagram.edges] + [
        (e, "an-cg-seen") for e in diagram.seen
    ]:
        ax, ay = pos[a][0] + width[a], pos[a][1] + _BOX_H / 2
        bx, by = pos[b][0], pos[b][1] + _BOX_H / 2
        if bx > ax:
            bend = (bx - ax) / 2
            d = f"M{ax:.1f},{ay:.1f} C{ax + bend:.1f},{ay:.1f} {bx - bend:.1f},{by:.1f} {bx:.1f},{by:.1f}"
        else:  # a call back to an earlier column: loop under the boxes
            low = max(ay, by) + _BOX_H
            d = f"M{ax:.1f},{ay:.1f} C{ax + 40:.1f},{low:.1f} {bx - 40:.1f},{low:.1f} {bx:.1f},{by:.1f}"
        title = f"<title>{_('seen at run time')}</title>" if kind == "an-cg-seen" else ""
        parts.append(f'<path class="{kind}" d="{d}" marker-end="url(#{marker})">{title}</path>')
    for node in diagram.nodes:
        nx, ny = pos[node]
        kind = "an-cg-node" if node in diagram.listed else "an-cg-node an-cg-via"
        parts.append(
            f'<autoref identifier="{node}"><g class="{kind}">'
            f"<title>{escape(node)}</title>"
            f'<rect x="{nx:.1f}" y="{ny:.1f}" width="{width[node]:.1f}" height="{_BOX_H}" rx="4"/>'
            f'<text x="{nx + width[node] / 2:.1f}" y="{ny + _BOX_H / 2:.1f}" '
            f'text-anchor="middle" dominant-baseline="central">{escape(label[node])}</text>'
            "</g></autoref>"
        )
    parts.append("</svg>")
    # Out of search: box labels would otherwise open every result's preview.
    legend = (
        '<figcaption class="an-cg-legend">'
        + _("Dotted arrows: calls the examples made that reading the code cannot resolve.")
        + "</figcaption>"
        if diagram.seen
        else ""
    )
    return f'<figure class="an-callgraph" data-search-exclude>{"".join(parts)}{legend}</figure>'


_SVG = re.compile(r'<svg class="an-callgraph-svg".*?</svg>', re.S)
_SVG_HREF = re.compile(r'(<a\b[^>]*?)\shref="')


def svg_links_as_xlink(html: str) -> str:
    """Turn the links autorefs wrote into the diagrams into `xlink:href` links.

    An SVG `<a>` has a read-only `href` property; Material's instant navigation assigns to the
    `href` of every `[href]` element and would throw on these, while `xlink:href` is not matched
    by `[href]` and still navigates.
    """
    return _SVG.sub(lambda svg: _SVG_HREF.sub(r'\1 xlink:href="', svg[0]), html)
