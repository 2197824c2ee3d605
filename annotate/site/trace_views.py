"""What the reader sees of an example's trace: the calls it made through the two files, as a tree."""

from __future__ import annotations

from dataclasses import dataclass

from annotate.examples.traces import CallNode, Trace, object_path


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


def trace_view(trace: Trace) -> tuple[TraceNodeView, ...]:
    """The call tree of `trace`, each node with its links."""

    def view(node: CallNode, parent: CallNode | None) -> TraceNodeView:
        path = None if node.is_hook else object_path(node)
        key = f"{node.file}:{node.function}"
        return TraceNodeView(
            label=node.function if not node.is_hook else f"{node.function} (the example's own)",
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

    return tuple(view(root, None) for root in trace.calls)


def count_calls(trace: Trace) -> int:
    """Every call the trace recorded."""
    return sum(node.count for root in trace.calls for _, node in root.walk())
