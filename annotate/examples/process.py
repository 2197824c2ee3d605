"""The build's side of the example worker: start it, hand it one example at a time, stop it.

The worker is a separate process so that an example that loops, sleeps, calls `os._exit` or
crashes costs one worker, never the build; it imports torch once for all the examples.
"""

from __future__ import annotations

import contextlib
import json
import os
import selectors
import signal
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

WORKER_SCRIPT = Path(__file__).with_name("worker.py")


@dataclass(frozen=True, kw_only=True)
class Outcome:
    """What became of one example in the worker."""

    ok: bool
    """It ran to its end without raising."""
    output: str
    """Everything it wrote to stdout and stderr, in order."""
    reason: str = ""
    """Why it failed, in a few words: "raised KeyError: 'x'", "timed out after 2 s"."""
    error: str = ""
    """The example's own traceback, or what the dying interpreter printed."""


class WorkerGone(Exception):
    """The worker ended or did not answer in time; `reason` says which."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


class WorkerProcess:
    """One worker process; after a timeout or a death it is gone and a new one must be made."""

    def __init__(
        self, root: Path, /, *, python: str = sys.executable, startup_timeout: float = 300
    ) -> None:
        self.root = root
        self.torch_version = ""
        self._proc: subprocess.Popen[bytes] | None = None
        self._buffer = b""
        log = root / "worker-stderr.txt"
        env = {**os.environ, "PYTHONHASHSEED": "0"}  # sets print in the same order on every run
        with log.open("wb") as stderr:
            self._proc = subprocess.Popen(
                [python, "-u", str(WORKER_SCRIPT)],
                stdin=subprocess.PIPE,
                stdout=subprocess.PIPE,
                stderr=stderr,
                cwd=root,
                env=env,
                start_new_session=True,  # its own process group: a kill also ends what it started
            )
        try:
            hello = self._receive(startup_timeout)
        except WorkerGone as gone:
            tail = log.read_text(encoding="utf-8", errors="replace").strip()[-2000:]
            raise WorkerGone(f"the example worker could not start: {gone.reason}\n{tail}") from None
        if not hello.get("ready"):
            self.kill()
            raise WorkerGone(f"the example worker could not import torch: {hello.get('error')}")
        self.torch_version = str(hello["torch"])

    @property
    def alive(self) -> bool:
        return self._proc is not None and self._proc.poll() is None

    def run(
        self,
        code: str,
        /,
        *,
        filename: str,
        offset: int,
        session: str | None,
        fresh: bool,
        cwd: Path,
        columns: int,
        timeout: float,
    ) -> Outcome:
        """Run `code`; a timeout or a death kills the worker and is reported as the outcome."""
        output_file = self.root / "output.txt"
        request = {
            "code": code,
            "filename": filename,
            "offset": offset,
            "session": session,
            "fresh": fresh,
            "cwd": str(cwd),
            "output": str(output_file),
            "columns": columns,
        }
        output_file.unlink(missing_ok=True)
        try:
            self._send(request)
            reply = self._receive(timeout)
        except WorkerGone as gone:
            self.kill()
            return Outcome(ok=False, output=_read(output_file), reason=gone.reason)
        output = _read(output_file)
        if reply.get("ok"):
            return Outcome(ok=True, output=output)
        return Outcome(
            ok=False,
            output=output,
            reason=str(reply.get("reason", "failed")),
            error=str(reply.get("error", "")),
        )

    def _send(self, message: dict[str, Any]) -> None:
        assert self._proc is not None and self._proc.stdin is not None
        try:
            self._proc.stdin.write(json.dumps(message).encode() + b"\n")
            self._proc.stdin.flush()
        except OSError:
            raise WorkerGone(self._death()) from None

    def _receive(self, timeout: float) -> dict[str, Any]:
        assert self._proc is not None and self._proc.stdout is not None
        fd = self._proc.stdout.fileno()
        deadline = time.monotonic() + timeout
        with selectors.DefaultSelector() as selector:
            selector.register(fd, selectors.EVENT_READ)
            while b"\n" not in self._buffer:
                left = deadline - time.monotonic()
                if left <= 0 or not selector.select(left):
                    raise WorkerGone(f"timed out after {timeout:g} s")
                chunk = os.read(fd, 65536)
                if not chunk:
                    raise WorkerGone(self._death())
                self._buffer += chunk
        line, _, self._buffer = self._buffer.partition(b"\n")
        return json.loads(line)

    def _death(self) -> str:
        assert self._proc is not None
        try:
            code = self._proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            return "closed its interpreter's output and stopped answering"
        if code < 0:
            return f"killed its interpreter with {signal.Signals(-code).name}"
        return f"ended its interpreter with exit code {code} (os._exit, or a crash)"

    def kill(self) -> None:
        """Stop the worker and everything it started, at once."""
        proc, self._proc = self._proc, None
        if proc is None:
            return
        with contextlib.suppress(ProcessLookupError, PermissionError):
            os.killpg(proc.pid, signal.SIGKILL)
        proc.wait()
        for stream in (proc.stdin, proc.stdout):
            if stream is not None:
                stream.close()

    def close(self, *, grace: float = 5.0) -> None:
        """Let the worker finish on end of input; kill it if it does not within `grace` seconds."""
        proc = self._proc
        if proc is None:
            return
        if proc.stdin is not None:
            with contextlib.suppress(OSError):
                proc.stdin.close()
        with contextlib.suppress(subprocess.TimeoutExpired):
            proc.wait(timeout=grace)
        self.kill()


def _read(path: Path) -> str:
    try:
        return path.read_text(encoding="utf-8", errors="replace")
    except FileNotFoundError:
        return ""
