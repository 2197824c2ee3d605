"""The typed form of what the example worker's tracer recorded (`annotate.examples.tracer`).

A trace reaches the build as JSON, from the worker or from the disk cache; `read_trace` turns it
into frozen values and refuses anything of another shape, so a damaged cache entry is a miss,
never a wrong page.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from annotate.source.snapshot import MODULES

HOOK_FILE = ""
"""The `file` of a node that is the example's own code (a hook, a forward) called from the files."""


@dataclass(frozen=True, kw_only=True)
class CallNode:
    """A function reached along one path of calls, and how often."""

    file: str
    """`torch/nn/modules/module.py`, or `HOOK_FILE` for the example's own function."""
    function: str
    """Its qualified name, e.g. `Module.state_dict` or `Module.load_state_dict.<locals>.load`."""
    first_line: int
    """The line its code starts on (its `def`)."""
    line: int
    """The line of the caller it was called from (in the example's page for a root)."""
    count: int
    children: tuple[CallNode, ...] = ()

    @property
    def is_hook(self) -> bool:
        return self.file == HOOK_FILE

    def walk(self) -> Iterator[tuple[CallNode | None, CallNode]]:
        """(parent, node) for this node and everything under it; the parent of this one is `None`."""
        stack: list[tuple[CallNode | None, CallNode]] = [(None, self)]
        while stack:
            parent, node = stack.pop()
            yield parent, node
            stack.extend((node, child) for child in reversed(node.children))


@dataclass(frozen=True, kw_only=True)
class Trace:
    """The calls one example made into the traced files, and the lines of them that ran."""

    calls: tuple[CallNode, ...] = ()
    lines: dict[str, dict[int, int]] = field(default_factory=dict)
    """File to line number to how many times it ran."""
    cut: bool = False
    """The call tree reached its size limit and is incomplete."""

    def edges(self) -> Counter[tuple[str, str, str, int]]:
        """(file, caller, callee, call line) → calls, over every pair of traced functions."""
        counts: Counter[tuple[str, str, str, int]] = Counter()
        for root in self.calls:
            for parent, node in root.walk():
                if parent is not None and not node.is_hook and node.file == parent.file:
                    counts[(node.file, parent.function, node.function, node.line)] += node.count
        return counts


def _node(data: Any, depth: int = 0) -> CallNode:
    if depth > 500 or not isinstance(data, dict):
        raise ValueError("call node")
    values = [data["file"], data["function"], data["first_line"], data["line"], data["count"]]
    if not (isinstance(values[0], str) and isinstance(values[1], str)):
        raise ValueError("call node names")
    if not all(type(v) is int and v >= 0 for v in values[2:]):
        raise ValueError("call node numbers")
    children = data["children"]
    if not isinstance(children, list):
        raise ValueError("call node children")
    return CallNode(
        file=values[0],
        function=values[1],
        first_line=values[2],
        line=values[3],
        count=values[4],
        children=tuple(_node(child, depth + 1) for child in children),
    )


def read_trace(data: Any) -> Trace:
    """The trace in `data` (the tracer's JSON); `ValueError` if it is not of that shape."""
    try:
        if not isinstance(data, dict) or not isinstance(data["calls"], list):
            raise ValueError("trace")
        lines: dict[str, dict[int, int]] = {}
        for file, counts in data["lines"].items():
            if not isinstance(file, str) or not isinstance(counts, dict):
                raise ValueError("trace lines")
            lines[file] = {int(n): c for n, c in counts.items()}
            if not all(type(c) is int and c > 0 for c in lines[file].values()):
                raise ValueError("trace line counts")
        cut = data["cut"]
        if not isinstance(cut, bool):
            raise ValueError("trace cut")
        return Trace(calls=tuple(_node(node) for node in data["calls"]), lines=lines, cut=cut)
    except (KeyError, TypeError, AttributeError, RecursionError) as error:
        raise ValueError(f"trace: {error}") from None


MODULE_OF = {relpath: module for module, relpath in MODULES.items()}
"""The module each traced file defines, to turn a qualified name into a griffe path."""


def object_path(node: CallNode) -> str | None:
    """The griffe path of the class or function `node` ran in; a nested function counts as the
    function it is defined in (griffe, like the guide, knows no nested functions)."""
    module = MODULE_OF.get(node.file)
    if module is None:
        return None
    return f"{module}.{node.function.split('.<locals>.', 1)[0]}"


def observed_calls(traces: list[Trace]) -> Counter[tuple[str, str]]:
    """(caller, callee) griffe paths → calls seen at run time, over `traces`; a nested
    function's calls count as its enclosing function's, and calls within one function are left out."""
    counts: Counter[tuple[str, str]] = Counter()
    for trace in traces:
        for root in trace.calls:
            for parent, node in root.walk():
                if parent is None or node.is_hook:
                    continue
                caller, callee = object_path(parent), object_path(node)
                if caller and callee and caller != callee:
                    counts[(caller, callee)] += node.count
    return counts


def executed_lines(traces: list[Trace]) -> dict[str, Counter[int]]:
    """File → line → times it ran, over `traces`."""
    lines: dict[str, Counter[int]] = {}
    for trace in traces:
        for file, counts in trace.lines.items():
            lines.setdefault(file, Counter()).update(counts)
    return lines
