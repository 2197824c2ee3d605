"""Run executed examples in a worker process, with a time limit, sessions and a disk cache.

markdown-exec runs examples inside the build process: nothing stops one that never ends,
`sys.exit` or `os._exit` end the build, and every build runs them all again. `ExampleRunner`
keeps markdown-exec's meaning (a session shares globals in page order) but runs each example
in `annotate.examples.worker`, in a temporary folder, and remembers successful outputs on disk.
"""

from __future__ import annotations

import hashlib
import importlib.metadata
import json
import os
import shutil
import tempfile
import weakref
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from annotate.errors import ExampleError
from annotate.examples.limits import Limits
from annotate.examples.process import Outcome, WorkerGone, WorkerProcess
from annotate.examples.traces import CallNode, Trace, read_trace

_CACHE_FORMAT = 4


@dataclass(frozen=True, kw_only=True)
class Example:
    """One executed example, where it stands in its page."""

    page: str
    """The page as messages name it, e.g. `docs/chapters/saving.md`."""
    code: str
    """The Python code it runs."""
    line: int | None = None
    """1-based line of its opening fence in the page, when it could be located."""
    session: str | None = None
    """Examples of one page that share a session share their globals and working folder."""
    columns: int = 0
    """Console width (`COLUMNS`) to run with; 0 leaves it unset."""

    @property
    def where(self) -> str:
        """`page:line`, or the page and the example's first line of code."""
        if self.line is not None:
            return f"{self.page}:{self.line}"
        first = next((line.strip() for line in self.code.splitlines() if line.strip()), "")
        return f"{self.page}: example `{first}`"


@dataclass(frozen=True, kw_only=True)
class ExampleResult:
    """The output of an example that ran to its end."""

    output: str
    """What it wrote to stdout and stderr."""
    torch: str
    """The torch version it ran on."""
    cached: bool
    """It came from the disk cache, not from running it now."""
    trace: Trace | None = None
    """Its calls and executed lines in the traced files, when the torch it ran on is the one
    the guide reads (the same files, by hash)."""


@dataclass(kw_only=True)
class ExampleStats:
    """How the examples of one build were served."""

    run: int = 0
    """Executed because no cached output matched."""
    cached: int = 0
    """Served from the disk cache."""
    replayed: int = 0
    """Cached examples executed again only to rebuild the session a later example needs."""
    failed: int = 0
    """Failed (raised, timed out, ended the interpreter)."""


def installed_torch_version() -> str:
    """The version of the torch the worker will import, read without importing it."""
    try:
        return importlib.metadata.version("torch")
    except importlib.metadata.PackageNotFoundError:
        return "not installed"


def example_key(
    example: Example, history: Sequence[Example], *, torch: str, fingerprint: str
) -> str:
    """What an output depends on: its code, the code before it in its session, torch and its sources."""
    material = {
        "format": _CACHE_FORMAT,
        "torch": torch,
        "fingerprint": fingerprint,
        "columns": example.columns,
        "codes": [earlier.code for earlier in history] + [example.code],
    }
    return hashlib.sha256(json.dumps(material, sort_keys=True).encode()).hexdigest()


class ExampleCache:
    """Outputs of examples that succeeded, one JSON file per key."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder

    def get(self, key: str) -> ExampleResult | None:
        """The cached result for `key`; a missing, damaged or forged entry is a miss."""
        try:
            data = json.loads((self.folder / f"{key}.json").read_text(encoding="utf-8"))
            body = data["body"]
            if data["key"] != key or data["sha256"] != _checksum(body):
                return None
            trace = None if body["trace"] is None else read_trace(body["trace"])
            if not isinstance(body["output"], str) or not isinstance(body["torch"], str):
                return None
            return ExampleResult(
                output=body["output"], torch=body["torch"], cached=True, trace=trace
            )
        except (OSError, ValueError, KeyError, TypeError):
            return None

    def put(self, key: str, result: ExampleResult) -> None:
        self.folder.mkdir(parents=True, exist_ok=True)
        trace = None if result.trace is None else trace_json(result.trace)
        body = {"output": result.output, "torch": result.torch, "trace": trace}
        entry = {"key": key, "sha256": _checksum(body), "body": body}
        # Written whole under another name, then renamed: a reader never sees half an entry.
        staging = self.folder / f"{key}.{os.getpid()}.tmp"
        staging.write_text(json.dumps(entry), encoding="utf-8")
        staging.replace(self.folder / f"{key}.json")


def _checksum(body: Any) -> str:
    return hashlib.sha256(json.dumps(body, sort_keys=True).encode()).hexdigest()


class ExampleRunner:
    """Runs examples in one worker at a time; call `close` when done (it is also done at exit)."""

    def __init__(
        self,
        *,
        timeout: float = 60,
        cache_dir: Path | None = None,
        fingerprint: str = "",
        torch_version: str | None = None,
        sources: dict[str, str] | None = None,
        limits: Limits | None = None,
    ) -> None:
        self.timeout = timeout
        self.limits = limits or Limits()
        self.unsandboxed = ""
        """Why the examples ran without a sandbox, once a worker started that way."""
        self.sources = sources
        """sha256 of each file the guide reads; examples are traced when the worker's torch has
        the same files (`None`: not traced)."""
        self.cache = ExampleCache(cache_dir) if cache_dir is not None else None
        self.fingerprint = fingerprint
        self.torch_version = torch_version or installed_torch_version()
        self.stats = ExampleStats()
        self.root = Path(tempfile.mkdtemp(prefix="annotate-examples-"))
        self._worker: WorkerProcess | None = None
        self._live: dict[tuple[str, str], list[str]] = {}
        """Per (page, session), the codes the current worker has run in it, in order."""
        self._folders: dict[tuple[str, str], Path] = {}
        self._made = 0
        self._finalizer = weakref.finalize(self, _cleanup, None, self.root)

    def run(self, example: Example, /, *, history: Sequence[Example] = ()) -> ExampleResult:
        """The output of `example` after the earlier examples of its session, `history`.

        Raises `ExampleError` if it (or an earlier example it needs again) fails.
        """
        key = example_key(example, history, torch=self.torch_version, fingerprint=self.fingerprint)
        if self.cache is not None and (hit := self.cache.get(key)) is not None:
            self.stats.cached += 1
            return hit
        worker = self._ensure_worker(example)
        session = (example.page, example.session) if example.session else None
        done = self._live.get(session, []) if session else []
        wanted = [earlier.code for earlier in history]
        if session is not None and done != wanted[: len(done)]:
            done = []
            self._live.pop(session, None)
        for earlier in history[len(done) :]:
            outcome = self._execute(worker, earlier)
            if not outcome.ok:
                raise _failure(earlier, outcome, f"while replayed for {example.where}")
            self.stats.replayed += 1
        outcome = self._execute(worker, example)
        if not outcome.ok:
            raise _failure(example, outcome)
        trace = None
        if outcome.trace is not None:
            try:
                trace = read_trace(outcome.trace)
            except ValueError:
                trace = None  # the worker's tracer answered in another shape: no trace, same output
        result = ExampleResult(
            output=outcome.output, torch=worker.torch_version, cached=False, trace=trace
        )
        self.stats.run += 1
        if self.cache is not None:
            self.cache.put(key, result)
        return result

    def _ensure_worker(self, example: Example) -> WorkerProcess:
        if self._worker is None or not self._worker.alive:
            self._live.clear()
            try:
                self._worker = WorkerProcess(self.root, limits=self.limits)
                self.unsandboxed = self._worker.unsandboxed
            except WorkerGone as gone:
                self.stats.failed += 1
                raise ExampleError(example.where, "could not run", gone.reason) from None
            self._finalizer.detach()
            self._finalizer = weakref.finalize(self, _cleanup, self._worker, self.root)
        return self._worker

    def _execute(self, worker: WorkerProcess, example: Example) -> Outcome:
        session = (example.page, example.session) if example.session else None
        fresh = session is None or session not in self._live
        if fresh:
            self._made += 1
            folder = self.root / f"work-{self._made}"
            folder.mkdir()
            if session is not None:
                old = self._folders.pop(session, None)
                if old is not None:
                    shutil.rmtree(old, ignore_errors=True)
                self._folders[session] = folder
        else:
            assert session is not None
            folder = self._folders[session]
        outcome = worker.run(
            example.code,
            filename=example.page if example.line is not None else f"<example in {example.page}>",
            offset=example.line or 0,
            session="\0".join(session) if session else None,
            fresh=fresh,
            cwd=folder,
            columns=example.columns,
            timeout=self.timeout,
            trace=self.sources is not None and worker.sha256 == self.sources,
        )
        if session is not None:
            if outcome.ok:
                self._live.setdefault(session, []).append(example.code)
            else:
                self._live.pop(session, None)
        if not outcome.ok:
            self.stats.failed += 1
        return outcome

    def close(self) -> None:
        """Stop the worker and remove the temporary folders."""
        worker, self._worker = self._worker, None
        if worker is not None:
            worker.close()
        self._live.clear()
        self._folders.clear()
        self._finalizer()


def trace_json(trace: Trace) -> dict[str, Any]:
    """The tracer's JSON form of `trace`, as `read_trace` reads it."""

    def node(n: CallNode) -> dict[str, Any]:
        return {
            "file": n.file,
            "function": n.function,
            "first_line": n.first_line,
            "line": n.line,
            "count": n.count,
            "children": [node(c) for c in n.children],
        }

    return {
        "calls": [node(n) for n in trace.calls],
        "lines": {f: {str(k): v for k, v in c.items()} for f, c in trace.lines.items()},
        "cut": trace.cut,
    }


def _failure(example: Example, outcome: Outcome, context: str = "") -> ExampleError:
    reason = f"{outcome.reason} {context}".strip()
    details = outcome.error
    if outcome.output.strip():
        shown = outcome.output.rstrip()[-3000:]
        details = f"{details}\noutput before it failed:\n{shown}".strip("\n")
    return ExampleError(example.where, reason, details)


def _cleanup(worker: WorkerProcess | None, root: Path) -> None:
    if worker is not None:
        worker.kill()
    shutil.rmtree(root, ignore_errors=True)
