"""The process that runs executed examples: imports torch once, then runs one example per request.

It is started as a script by `annotate.examples.process` and speaks JSON lines over copies of
its stdin and stdout; it imports nothing from `annotate`, so it runs wherever torch imports.
Requests: `{"code", "filename", "offset", "session", "fresh", "cwd", "output", "columns"}`.
Replies: `{"ok": true}` or `{"ok": false, "reason": "raised KeyError: 'x'", "error": "<the
example's own traceback>"}`.
The example's stdout and stderr (Python and C level alike) go to the file named by `output`.
"""

from __future__ import annotations

import ast
import contextlib
import faulthandler
import json
import linecache
import os
import random
import sys
import traceback
from types import ModuleType, TracebackType
from typing import Any, TextIO


def _format_error(error: BaseException, filename: str) -> str:
    """The example's part of the traceback: frames from its first own frame on, without a header."""
    if isinstance(error, SyntaxError) and error.filename == filename:
        return "".join(traceback.format_exception_only(type(error), error)).rstrip()
    tb: TracebackType | None = error.__traceback__
    while tb is not None and tb.tb_frame.f_code.co_filename != filename:
        tb = tb.tb_next
    lines = traceback.format_exception(type(error), error, tb)
    if lines and lines[0].startswith("Traceback"):
        lines = lines[1:]
    return "".join(lines).rstrip()


def _describe(error: BaseException) -> str:
    """The failure in a few words: "raised KeyError: 'x'", "called sys.exit(3)"."""
    if isinstance(error, SystemExit):
        return "called sys.exit()" if error.code is None else f"called sys.exit({error.code!r})"
    text = error.msg if isinstance(error, SyntaxError) else str(error)
    first = text.strip().splitlines()[0] if text.strip() else ""
    return f"raised {type(error).__name__}: {first}" if first else f"raised {type(error).__name__}"


class Worker:
    """Sessions of globals, each a module named `__main__` so that pickle finds example classes."""

    def __init__(self) -> None:
        self.sessions: dict[str, ModuleType] = {}
        self.sources: dict[str, list[str]] = {}
        self.devnull = os.open(os.devnull, os.O_RDWR)
        self.main = sys.modules["__main__"]

    def _module(self, session: str | None, *, fresh: bool) -> ModuleType:
        module = None if (fresh or session is None) else self.sessions.get(session)
        if module is None:
            module = ModuleType("__main__")
            # A fresh session starts from the same random state wherever and whenever it runs.
            random.seed(0)
            sys.modules["torch"].manual_seed(0)
            if session is not None:
                self.sessions[session] = module
        return module

    def _remember_source(self, filename: str, offset: int, code: str) -> None:
        # Tracebacks then quote the page's own lines, at the page's line numbers.
        lines = self.sources.setdefault(filename, [])
        code_lines = code.splitlines(keepends=True)
        lines.extend([""] * (offset + len(code_lines) - len(lines)))
        lines[offset : offset + len(code_lines)] = code_lines
        linecache.cache[filename] = (sum(map(len, lines)), None, lines, filename)

    def run(self, request: dict[str, Any]) -> dict[str, Any]:
        code, filename, offset = request["code"], request["filename"], request["offset"]
        module = self._module(request["session"], fresh=request["fresh"])
        self._remember_source(filename, offset, code)
        output = os.open(request["output"], os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        os.dup2(output, 1)
        os.dup2(output, 2)
        os.close(output)
        os.chdir(request["cwd"])
        if request["columns"]:
            os.environ["COLUMNS"] = str(request["columns"])
        sys.modules["__main__"] = module
        try:
            tree = ast.parse(code, filename=filename)
            ast.increment_lineno(tree, offset)
            # `dont_inherit`: this file's `from __future__` imports must not apply to the example.
            exec(compile(tree, filename, "exec", dont_inherit=True), module.__dict__)
        except SyntaxError as error:
            if error.filename == filename and error.lineno is not None:
                error.lineno += offset
            return {
                "ok": False,
                "reason": _describe(error),
                "error": _format_error(error, filename),
            }
        except BaseException as error:  # the example's own failure, SystemExit included
            return {
                "ok": False,
                "reason": _describe(error),
                "error": _format_error(error, filename),
            }
        finally:
            sys.modules["__main__"] = self.main
            os.environ.pop("COLUMNS", None)
            for stream in (sys.stdout, sys.stderr):
                with contextlib.suppress(OSError, ValueError):
                    stream.flush()
            os.dup2(self.devnull, 1)
            os.dup2(self.devnull, 2)
        return {"ok": True}


def _reply(replies: TextIO, message: dict[str, Any]) -> None:
    replies.write(json.dumps(message) + "\n")
    replies.flush()


def main() -> None:
    # The protocol moves to private descriptors so that nothing an example prints or reads
    # (`print`, C-level writes, `input()`) can reach it.
    requests = os.fdopen(os.dup(0), "r", encoding="utf-8")
    replies = os.fdopen(os.dup(1), "w", encoding="utf-8")
    worker = Worker()
    for fd in (0, 1):
        os.dup2(worker.devnull, fd)
    faulthandler.enable()  # a crash in C code leaves its Python stack in the example's output
    try:
        import torch
    except BaseException as error:
        _reply(replies, {"ready": False, "error": f"{type(error).__name__}: {error}"})
        return
    _reply(replies, {"ready": True, "torch": torch.__version__})
    for line in requests:
        _reply(replies, worker.run(json.loads(line)))


if __name__ == "__main__":
    # Run as a script: its own folder must not shadow modules that examples import.
    del sys.path[0]
    main()
