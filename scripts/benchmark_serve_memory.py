#!/usr/bin/env python3
"""Memory of `mkdocs serve` over many rebuilds: edit one note N times, read the server's RSS.

Runs in a copy of the project in a temporary folder (the repository and its cache are never
touched), on a free port of 127.0.0.1, and prints the resident memory after the first build and
after every tenth rebuild, with the growth against the first.

    python scripts/benchmark_serve_memory.py [--rebuilds 30]
"""

from __future__ import annotations

import argparse
import contextlib
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
NOTE = "docs/notes/module/Module.cuda.md"


def rss_mb(pid: int, *, with_children: bool = True) -> float:
    """Resident memory of `pid` and its children (the example worker), in MB."""
    total = 0
    for p in [pid, *(children(pid) if with_children else [])]:
        try:
            for line in Path(f"/proc/{p}/status").read_text().splitlines():
                if line.startswith("VmRSS:"):
                    total += int(line.split()[1])
        except OSError:
            pass
    return total / 1024


def children(pid: int) -> list[int]:
    found = []
    for task in Path(f"/proc/{pid}/task").glob("*"):
        with contextlib.suppress(OSError):
            found += [int(c) for c in (task / "children").read_text().split()]
    return found


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rebuilds", type=int, default=30)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="bench-serve-") as tmp:
        project = Path(tmp)
        shutil.copytree(ROOT / "docs", project / "docs")
        shutil.copy(ROOT / "mkdocs.yml", project / "mkdocs.yml")
        with socket.socket() as probe:
            probe.bind(("127.0.0.1", 0))
            port = probe.getsockname()[1]
        server = subprocess.Popen(
            [sys.executable, "-m", "mkdocs", "serve", "-a", f"127.0.0.1:{port}"],
            cwd=project,
            stderr=subprocess.PIPE,
            text=True,
            env={**os.environ, "NO_MKDOCS_2_WARNING": "1", "PYTHONPATH": str(ROOT)},
        )
        done = threading.Semaphore(0)

        def read() -> None:
            assert server.stderr is not None
            for line in server.stderr:
                if "Documentation built in" in line:
                    done.release()

        threading.Thread(target=read, daemon=True).start()
        try:
            done.acquire(timeout=600)
            first = rss_mb(server.pid)
            print(f"after the first build: {first:7.1f} MB")
            note = project / NOTE
            text = note.read_text(encoding="utf-8")
            for number in range(1, args.rebuilds + 1):
                time.sleep(1.2)  # past the watcher's debounce
                note.write_text(text + f"\n<!-- edit {number} -->\n", encoding="utf-8")
                if not done.acquire(timeout=600):
                    sys.exit("a rebuild never finished")
                if number % 10 == 0 or number == args.rebuilds:
                    now = rss_mb(server.pid)
                    alone = rss_mb(server.pid, with_children=False)
                    print(
                        f"after {number:3d} rebuilds:  {now:7.1f} MB  ({now / first:.2f}x the "
                        f"first; the server alone {alone:.1f} MB)"
                    )
        finally:
            server.terminate()
            server.wait(timeout=30)


if __name__ == "__main__":
    main()
