"""Examples are contained: memory, output, files outside their folder, processes they leave."""

from __future__ import annotations

import subprocess
import time
import uuid

import pytest

from annotate.errors import ExampleError
from annotate.examples.limits import Limits, bubblewrap
from annotate.examples.runner import Example, ExampleRunner
from tests.conftest import ROOT

SANDBOXES = ["auto", "off"]


def _runner(sandbox: str, **limits) -> ExampleRunner:
    if sandbox == "auto" and bubblewrap() is None:
        pytest.skip("bubblewrap cannot make a sandbox on this machine")
    return ExampleRunner(timeout=60, limits=Limits(sandbox=sandbox, **limits))


def _error(runner: ExampleRunner, code: str) -> str:
    with pytest.raises(ExampleError) as caught:
        runner.run(Example(page="p.md", code=code, line=1))
    return str(caught.value)


def _alive(marker: str) -> list[str]:
    found = subprocess.run(["pgrep", "-f", marker], capture_output=True, text=True)
    return found.stdout.split()


@pytest.mark.parametrize("sandbox", SANDBOXES)
def test_a_huge_allocation_fails_the_example_not_the_machine(sandbox):
    runner = _runner(sandbox, memory_mb=3072)
    try:
        message = _error(
            runner, "import torch\nx = torch.empty(20 << 30, dtype=torch.uint8)\nx.fill_(1)"
        )
        assert "can't allocate memory" in message and "p.md:1" in message
        # The worker survives and runs the next example.
        assert runner.run(Example(page="p.md", code="print(2 + 2)", line=1)).output == "4\n"
    finally:
        runner.close()


@pytest.mark.parametrize("sandbox", SANDBOXES)
def test_output_past_the_limit_fails_with_the_limit_named(sandbox):
    runner = _runner(sandbox, output_mb=0.5)
    try:
        message = _error(runner, "print('x' * 600_000)")
        assert "printed more than the output limit of 0.5 MB" in message
        assert len(message) < 10_000  # the page and the message are not flooded either
        assert (
            runner.run(Example(page="p.md", code="print('x' * 1000)", line=1)).output.count("x")
            == 1000
        )
    finally:
        runner.close()


@pytest.mark.parametrize("sandbox", SANDBOXES)
def test_processes_an_example_leaves_behind_end_with_it(sandbox):
    marker = f"sleep {1000 + uuid.uuid4().int % 1000}.5"
    runner = _runner(sandbox)
    try:
        code = (
            "import os, subprocess\n"
            f"subprocess.Popen(['setsid', 'sh', '-c', '{marker}'])\n"
            f"subprocess.Popen(['sh', '-c', '{marker}'])\n"
            "import time\ntime.sleep(0.5)\n"
        )
        runner.run(Example(page="p.md", code=code, line=1))
        deadline = time.monotonic() + 10
        while _alive(marker) and time.monotonic() < deadline:
            time.sleep(0.1)
        assert _alive(marker) == []
    finally:
        runner.close()


def test_the_sandbox_keeps_the_repository_read_only_and_the_example_folder_writable():
    runner = _runner("auto")
    target = ROOT / f"written-by-an-example-{uuid.uuid4().hex}"
    try:
        message = _error(runner, f"open({str(target)!r}, 'w').write('x')")
        assert "Read-only file system" in message and not target.exists()
        out = runner.run(
            Example(
                page="p.md",
                code="open('here.txt', 'w').write('x'); print(open('here.txt').read())",
                line=1,
            )
        )
        assert out.output == "x\n" and runner.unsandboxed == ""
    finally:
        runner.close()
        target.unlink(missing_ok=True)


def test_without_a_sandbox_the_runner_says_so_and_required_refuses():
    runner = ExampleRunner(timeout=60, limits=Limits(sandbox="off"))
    try:
        runner.run(Example(page="p.md", code="pass", line=1))
        assert "without a sandbox" in runner.unsandboxed
    finally:
        runner.close()
    if bubblewrap() is None:
        message = _error(ExampleRunner(timeout=60, limits=Limits(sandbox="required")), "pass")
        assert "example_sandbox is `required`" in message
