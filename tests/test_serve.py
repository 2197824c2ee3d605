"""`mkdocs serve` while a note is invalid: every page says why at once, and comes back when mended."""

from __future__ import annotations

import os
import queue
import shutil
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request

from tests.conftest import ENGLISH_ONLY, ROOT, copy_project

NOTE = "docs/notes/module/Module.cuda.md"


class Server:
    """`mkdocs serve` of `project` on a free port of 127.0.0.1; it stops itself after 15 minutes."""

    def __init__(self, project):
        with socket.socket() as probe:
            probe.bind(("127.0.0.1", 0))
            self.port = probe.getsockname()[1]
        self.address = f"127.0.0.1:{self.port}"
        self.process = subprocess.Popen(
            ["timeout", "900", sys.executable, "-m", "mkdocs", "serve", "-a", self.address],
            cwd=project,
            stderr=subprocess.STDOUT,
            stdout=subprocess.PIPE,
            text=True,
            env={**os.environ, "NO_MKDOCS_2_WARNING": "1", **ENGLISH_ONLY},
        )
        self.log: list[str] = []
        self.lines: queue.Queue[str] = queue.Queue()
        self.reader = threading.Thread(target=self._read, daemon=True)
        self.reader.start()

    def _read(self):
        assert self.process.stdout is not None
        for line in self.process.stdout:
            self.log.append(line)
            self.lines.put(line)

    def wait_for(self, text, timeout=600):
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            try:
                line = self.lines.get(timeout=1)
            except queue.Empty:
                assert self.process.poll() is None, "".join(self.log)
                continue
            if text in line:
                return
        raise AssertionError(f"no {text!r} in:\n" + "".join(self.log))

    def get(self, path, timeout=600):
        url = f"http://127.0.0.1:{self.port}{path}"
        try:
            with urllib.request.urlopen(url, timeout=timeout) as response:
                return response.status, response.read().decode("utf-8")
        except urllib.error.HTTPError as error:
            return error.code, error.read().decode("utf-8")

    def stop(self):
        self.process.terminate()
        try:
            self.process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait(timeout=30)
        self.reader.join(timeout=30)
        assert self.process.stdout is not None
        self.process.stdout.close()


def test_an_invalid_note_shows_its_error_on_every_page_then_the_page_comes_back(tmp_path):
    config = copy_project(tmp_path / "project")
    if (ROOT / ".cache/annotate").is_dir():  # checked against its checksums, as always
        shutil.copytree(ROOT / ".cache/annotate", config.parent / ".cache/annotate")
    note = config.parent / NOTE
    text = note.read_text(encoding="utf-8")
    server = Server(config.parent)
    try:
        server.wait_for("Serving on")
        status, page = server.get("/chapters/to-and-apply/")
        assert status == 200 and "torch.nn.Module.cuda" in page
        note.write_text(text.replace("\n---\n", "\ncolour: red\n---\n", 1), encoding="utf-8")
        server.wait_for("Detected file changes")
        server.wait_for("Building documentation")
        # Served before the request would time out: MkDocs alone holds it until a build passes.
        for path, code in (("/chapters/to-and-apply/", 200), ("/files/module/", 200), ("/x/", 404)):
            status, page = server.get(path, timeout=300)
            assert status == code
            assert f"{note}:3: unknown field `colour`" in page, path
            assert "The site could not be rebuilt" in page
            # A page reloads by itself once the note is mended (a missing page stays missing).
            assert ("livereload" in page) == (code == 200)
        note.write_text(text, encoding="utf-8")
        server.wait_for("Detected file changes")
        server.wait_for("Building documentation")
        status, page = server.get("/chapters/to-and-apply/", timeout=300)
        assert status == 200 and "torch.nn.Module.cuda" in page
        assert "could not be rebuilt" not in page
    finally:
        server.stop()
    log = "".join(server.log)
    assert f"{note}:3: unknown field `colour`" in log
    assert "every page shows why until a rebuild passes" in log
    assert "Traceback" not in log
