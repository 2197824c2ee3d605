"""What an example did inside the traced files: the calls it made among their functions, and the lines that ran.

Loaded by the example worker from its own folder, so it imports nothing but the standard
library. Calls form a calling-context tree: a node is a function reached along one path of
calls, so `state_dict` called on three children is one `state_dict` node counted 3 times under
its parent, and recursion shows as nesting. A call from a traced function into the example's
own code (a hook, a `forward`) is a leaf. Python 3.12 and newer record through
`sys.monitoring`, which costs nothing in code that is not traced; 3.11 through `sys.settrace`.
"""

from __future__ import annotations

import ast
import dis
import os
import sys
from collections import Counter
from types import CodeType, FrameType
from typing import Any

_YIELD = dis.opmap["YIELD_VALUE"]
MAX_NODES = 5000
"""Beyond this many distinct call paths the tree stops growing and says it was cut."""
MAX_DEPTH = 64
"""Calls nested deeper than this (a runaway recursion) are not recorded, and the tree says so."""


_REENTRIES: dict[tuple[str, int, int], dict[int, int]] = {}
"""`_reentries` of each file read, by path, modification time and size."""


def _reentries(path: str) -> dict[int, int]:
    """For each line a statement starts on, the last line from which coming back to it does not
    run it again: the end of the statement, or of a loop's header.

    Python reports a line again when it returns to it within one statement: a call whose
    arguments span several lines comes back to its first line to make the call, and a `with`
    statement's line is reported again as its block exits. Counting those would say such a line
    ran twice as often as it did; a loop's header, reached again from its body, does run again.
    """
    try:
        stat = os.stat(path)
        key = (path, stat.st_mtime_ns, stat.st_size)
        if key not in _REENTRIES:
            with open(path, encoding="utf-8") as file:
                tree = ast.parse(file.read())
            ends: dict[int, int] = {}
            for node in ast.walk(tree):
                if not isinstance(node, ast.stmt) or node.end_lineno is None:
                    continue
                end = node.end_lineno
                if isinstance(node, ast.For | ast.AsyncFor | ast.While):
                    end = node.body[0].lineno - 1  # its header: the body comes back to run it
                ends[node.lineno] = max(end, ends.get(node.lineno, 0))
            _REENTRIES[key] = ends
        return _REENTRIES[key]
    except (OSError, SyntaxError, ValueError):
        return {}  # every report counted, as the interpreter gives them


class _Node:
    __slots__ = ("children", "count", "depth", "function", "line")

    def __init__(self, function: tuple[str, str, int], line: int, depth: int) -> None:
        self.function = function
        self.line = line
        self.depth = depth
        self.count = 0
        self.children: dict[tuple[tuple[str, str, int], int], _Node] = {}

    def as_dict(self) -> dict[str, Any]:
        file, name, first = self.function
        return {
            "file": file,
            "function": name,
            "first_line": first,
            "line": self.line,
            "count": self.count,
            "children": [child.as_dict() for child in self.children.values()],
        }


class Tracer:
    """Records calls into `files` (absolute path → name to report), made from `example` or among them."""

    def __init__(self, files: dict[str, str], example: str) -> None:
        self.files = files
        self.example = example
        self.root = _Node(("", "", 0), 0, 0)
        self.lines: dict[str, Counter[int]] = {name: Counter() for name in files.values()}
        self.nodes = 0
        self.cut = False
        self._frames: dict[int, tuple[FrameType, _Node | None]] = {}
        """id(frame) of each live (or suspended generator) traced frame → it and its node; the
        frame is held so that its id is not reused while it is here. A frame below the depth
        limit has no node: it is known, so a generator resumed there costs one look-up."""
        self._monitoring = sys.version_info >= (3, 12)
        self._reentries = {path: _reentries(path) for path in files}
        self._last_line: dict[int, int] = {}
        """id(frame) of each traced frame → the line it last reported."""

    def _ran(self, frame: FrameType, path: str, number: int) -> None:
        """Count line `number` of `path`, run in `frame`, unless the frame only came back to it
        from within the same statement (`_reentries`)."""
        previous = self._last_line.get(id(frame))
        self._last_line[id(frame)] = number
        end = self._reentries[path].get(number)
        if previous is not None and end is not None and number < previous <= end:
            return
        self.lines[self.files[path]][number] += 1

    # What a call is, whichever way it was observed.

    def _key(self, code: CodeType) -> tuple[str, str, int]:
        return (self.files[code.co_filename], code.co_qualname, code.co_firstlineno)

    def _parent(self, frame: FrameType) -> tuple[_Node | None, int] | None:
        """The node of the nearest traced (or example) frame below `frame`, and its current line.

        The node is `None` when that frame is itself past the depth limit."""
        caller = frame.f_back
        while caller is not None:
            held = self._frames.get(id(caller))
            if held is not None:
                return held[1], caller.f_lineno or 0
            if caller.f_code.co_filename == self.example:
                return self.root, caller.f_lineno or 0
            caller = caller.f_back
        return None

    def _enter(self, frame: FrameType) -> None:
        held = self._frames.get(id(frame))
        if held is not None and held[0] is frame:
            return  # a generator resumed: one call, however many times it yields
        code = frame.f_code
        traced = code.co_filename in self.files
        if not traced and code.co_filename != self.example:
            return
        found = self._parent(frame)
        if found is None:
            return
        parent, line = found
        if parent is None:  # below a call already past the depth limit
            if traced:
                self._frames[id(frame)] = (frame, None)
            return
        if not traced:
            if parent is self.root:
                return  # the example calling its own functions: not a call into the files
            key = ("", code.co_qualname, code.co_firstlineno)
        else:
            key = self._key(code)
        node = parent.children.get((key, line))
        if node is None:
            if self.nodes >= MAX_NODES or parent.depth >= MAX_DEPTH:
                self.cut = True
                if traced:
                    self._frames[id(frame)] = (frame, None)
                return
            node = parent.children[(key, line)] = _Node(key, line, parent.depth + 1)
            self.nodes += 1
        node.count += 1
        if traced:
            self._frames[id(frame)] = (frame, node)

    def _leave(self, frame: FrameType) -> None:
        self._frames.pop(id(frame), None)
        self._last_line.pop(id(frame), None)

    # Python 3.11: sys.settrace.

    def _global(self, frame: FrameType, event: str, arg: object) -> Any:
        if event != "call":
            return None
        self._enter(frame)
        held = self._frames.get(id(frame))
        if held is not None and held[1] is not None:
            return self._local
        return None

    def _local(self, frame: FrameType, event: str, arg: object) -> Any:
        if event == "line":
            self._ran(frame, frame.f_code.co_filename, frame.f_lineno)
        elif event == "return" and frame.f_code.co_code[frame.f_lasti] != _YIELD:
            self._leave(frame)  # a yield also reports "return"; the generator is only suspended
        return self._local

    # Python 3.12 and newer: sys.monitoring.

    def _start_monitoring(self) -> None:
        monitoring = sys.monitoring  # type: ignore[attr-defined]  # 3.12+
        tool = monitoring.PROFILER_ID
        monitoring.use_tool_id(tool, "annotate-trace")
        events = monitoring.events
        disable = monitoring.DISABLE

        def start(code: CodeType, offset: int) -> Any:
            if code.co_filename not in self.files and code.co_filename != self.example:
                return disable  # never asked again for this code object
            self._enter(sys._getframe(1))
            return None

        def leave(code: CodeType, offset: int, value: object) -> Any:
            if code.co_filename not in self.files:
                return disable
            self._leave(sys._getframe(1))
            return None

        def line(code: CodeType, number: int) -> Any:
            if code.co_filename not in self.files:
                return disable
            self._ran(sys._getframe(1), code.co_filename, number)
            return None

        monitoring.register_callback(tool, events.PY_START, start)
        monitoring.register_callback(tool, events.PY_RESUME, None)
        monitoring.register_callback(tool, events.PY_RETURN, leave)
        # Unwinding cannot be disabled per code object, so it only ever leaves.
        monitoring.register_callback(
            tool, events.PY_UNWIND, lambda code, offset, exc: self._leave(sys._getframe(1))
        )
        monitoring.register_callback(tool, events.LINE, line)
        monitoring.set_events(
            tool, events.PY_START | events.PY_RETURN | events.PY_UNWIND | events.LINE
        )

    def _stop_monitoring(self) -> None:
        monitoring = sys.monitoring  # type: ignore[attr-defined]
        monitoring.set_events(monitoring.PROFILER_ID, 0)
        monitoring.free_tool_id(monitoring.PROFILER_ID)

    def __enter__(self) -> Tracer:
        if self._monitoring:
            self._start_monitoring()
        else:
            sys.settrace(self._global)
        return self

    def __exit__(self, *exc: object) -> None:
        if self._monitoring:
            self._stop_monitoring()
        else:
            sys.settrace(None)
        self._frames.clear()
        self._last_line.clear()

    def result(self) -> dict[str, Any]:
        """The calls (a list of root nodes) and, per file, each executed line's count."""
        return {
            "calls": [child.as_dict() for child in self.root.children.values()],
            "lines": {
                name: {str(n): c for n, c in sorted(counts.items())}
                for name, counts in self.lines.items()
                if counts
            },
            "cut": self.cut,
        }
