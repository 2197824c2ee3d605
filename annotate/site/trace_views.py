"""What the reader sees of an example's trace: the calls it made through the two files, as a tree."""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING

from annotate.examples.traces import CallNode, Trace, object_path
from annotate.site import labels, partials

if TYPE_CHECKING:
    from collections.abc import Iterable

    from annotate.source.index import ObjectIndex

# The source templates give every line `<span class="an-line" id="PATH--L12">` (a chapter) or
# `id="L12"` (a file page); a mark is one more class and a count on that span. Done on the
# finished page because the examples below an embedded function run after it is rendered.
_LINE = re.compile(r'<span class="an-line" id="(?:(?P<path>[\w.]+)--)?L(?P<n>\d+)"')


@dataclass(frozen=True, kw_only=True)
class TraceNodeView:
    """One function reached along one path of calls."""

    label: str
    """`Module.state_dict`, `Module.load_state_dict.<locals>.load`, or a hook's own name."""
    identifier: str | None
    """The griffe path to link to (autorefs finds its chapter, else its file page); `None`
    for the example's own code (a hook)."""
    count: int
    line: int
    """The line of the caller the call was made from."""
    line_identifier: str | None
    """An autorefs identifier of that line on the file page (`torch/nn/modules/module.py:L12`),
    or `None` when the caller is the example itself."""
    recursive: bool
    """It calls, at some depth, the same function again."""
    children: tuple[TraceNodeView, ...] = ()


def line_identifier(relpath: str, line: int) -> str:
    """The autorefs identifier of `line` of a file page."""
    return f"{relpath}:L{line}"


def trace_view(trace: Trace, /, *, language: str = "en") -> tuple[TraceNodeView, ...]:
    """The call tree of `trace`, each node with its links, labelled in `language`."""
    _ = labels.gettext(language)

    def view(node: CallNode, parent: CallNode | None) -> TraceNodeView:
        path = None if node.is_hook else object_path(node)
        key = f"{node.file}:{node.function}"
        return TraceNodeView(
            label=node.function
            if not node.is_hook
            else _("%(function)s (the example's own)", function=node.function),
            identifier=path,
            count=node.count,
            line=node.line,
            line_identifier=line_identifier(parent.file, node.line) if parent else None,
            recursive=any(
                below is not node and f"{below.file}:{below.function}" == key
                for _, below in node.walk()
            ),
            children=tuple(view(child, node) for child in node.children),
        )

    return tuple(view(root, None) for root in merged_calls(trace.calls, by_line=False))


def merged_calls(nodes: Iterable[CallNode], /, *, by_line: bool = True) -> tuple[CallNode, ...]:
    """`nodes` with the calls of one function (from one line, when `by_line`) made one node, in
    the order they first came, their counts added and their own calls merged alike.

    The tracer keeps the calls the example made from different lines of its code apart, but the
    tree does not show the example's lines: two `Module.__init__` roots would read as one twice.
    """
    groups: dict[tuple[str, str, int, int], list[CallNode]] = {}
    for node in nodes:
        key = (node.file, node.function, node.first_line, node.line if by_line else 0)
        groups.setdefault(key, []).append(node)
    return tuple(
        same[0]
        if len(same) == 1
        else replace(
            same[0],
            count=sum(node.count for node in same),
            children=merged_calls(child for node in same for child in node.children),
        )
        for same in groups.values()
    )


def count_calls(trace: Trace) -> int:
    """Every call the trace recorded."""
    return sum(node.count for root in trace.calls for _, node in root.walk())


def mark_executed(
    html: str,
    ran: dict[str, Counter[int]],
    index: ObjectIndex,
    *,
    whole_file: str = "",
    language: str = "en",
) -> str:
    """`html` with each source line the examples ran marked `an-ran`, with how often (said in
    `language`)."""
    if not any(ran.values()):
        return html
    _ = labels.gettext(language)

    def mark(match: re.Match[str]) -> str:
        path = match["path"]
        file = whole_file if path is None else getattr(index.get(path), "file", "")
        count = ran.get(file, Counter()).get(int(match["n"]), 0) if file else 0
        if not count:
            return match[0]
        title = (
            _("the examples ran this line once")
            if count == 1
            else _("the examples ran this line %(count)s times", count=count)
        )
        return (
            f'<span class="an-line an-ran" data-an-ran="{count}" '
            f'title="{title}" id="{(path + "--") if path else ""}L{match["n"]}"'
        )

    marked = _LINE.sub(mark, html)
    first = marked.find('<span class="an-line an-ran"')
    if whole_file or first < 0:
        return marked  # a file page says it once, in its own header
    # A chapter says what the bars mean once, above the first listing that has one.
    listing = marked.rfind('<div class="an-source"', 0, first)
    legend = partials.render("annotate_ran_legend.html.jinja", language=language, whole_file=False)
    return marked[:listing] + legend + marked[listing:] if listing >= 0 else marked
