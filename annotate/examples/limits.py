"""What an example may use: memory, output, files it can write, processes that outlive it.

The worker runs inside bubblewrap where it works: every file system read-only but the
runner's own temporary folder (which is also its `TMPDIR`), and a process namespace of its own, so
nothing an example starts (a `setsid` child included) outlives the worker. Where bubblewrap
is missing or not allowed (a container without user namespaces), the worker runs as before,
and the runner says so. Memory and file size are capped with resource limits in the worker
either way, and the worker ends every process an example left behind before the next one.
"""

from __future__ import annotations

import contextlib
import functools
import os
import shutil
import signal
import subprocess
from dataclasses import dataclass
from pathlib import Path

MB = 1 << 20


@dataclass(frozen=True, kw_only=True)
class Limits:
    """The limits of one runner's examples."""

    memory_mb: int = 4096
    """Address space of the worker, torch included (`RLIMIT_AS`)."""
    output_mb: float = 1
    """What one example may print; more fails it (a page is not the place for it)."""
    file_mb: int = 256
    """Largest file an example (or its output) may write (`RLIMIT_FSIZE`)."""
    sandbox: str = "auto"
    """`auto`: bubblewrap where it works; `required`: fail where it does not; `off`."""

    def environment(self) -> dict[str, str]:
        """What the worker reads to set its own resource limits."""
        return {
            "ANNOTATE_EXAMPLE_MEMORY": str(self.memory_mb * MB),
            "ANNOTATE_EXAMPLE_FILE_SIZE": str(self.file_mb * MB),
        }


@functools.cache
def bubblewrap() -> str | None:
    """The `bwrap` command if it is installed and can make a sandbox here, else `None`."""
    command = shutil.which("bwrap")
    if command is None:
        return None
    try:
        probe = subprocess.run(
            [*_sandbox(command, Path("/tmp")), "true"], capture_output=True, timeout=30
        )
    except (OSError, subprocess.TimeoutExpired):
        return None
    return command if probe.returncode == 0 else None


def _sandbox(command: str, writable: Path) -> list[str]:
    return [
        command,
        "--ro-bind", "/", "/",
        "--dev-bind", "/dev", "/dev",
        "--proc", "/proc",
        "--bind", str(writable), str(writable),
        "--unshare-pid",
        "--die-with-parent",
    ]  # fmt: skip


def sandboxed(argv: list[str], writable: Path, limits: Limits) -> tuple[list[str], str]:
    """`argv` inside the sandbox where it can be had, and a note when it runs without one."""
    if limits.sandbox == "off":
        return argv, "examples run without a sandbox (example_sandbox: off)"
    command = bubblewrap()
    if command is None:
        why = (
            "bubblewrap (`bwrap`) is not installed"
            if shutil.which("bwrap") is None
            else "bubblewrap cannot make a sandbox here"
        )
        return argv, (
            f"examples run without a sandbox: {why}, so an example could write outside its "
            "temporary folder (Debian: apt-get install bubblewrap)"
        )
    return [*_sandbox(command, writable), *argv], ""


def descendants(pid: int) -> list[int]:
    """Every process below `pid`, children first, read from `/proc` (Linux); `[]` elsewhere."""
    found: list[int] = []
    stack = [pid]
    while stack:
        current = stack.pop()
        try:
            tasks = os.listdir(f"/proc/{current}/task")
        except OSError:
            continue
        for task in tasks:
            try:
                with open(f"/proc/{current}/task/{task}/children") as children:
                    kids = [int(k) for k in children.read().split()]
            except (OSError, ValueError):
                continue
            found += kids
            stack += kids
    return found


def end_all(pids: list[int]) -> None:
    """SIGKILL each of `pids`; one already gone is no error."""
    for pid in pids:
        with contextlib.suppress(ProcessLookupError, PermissionError):
            os.kill(pid, signal.SIGKILL)
