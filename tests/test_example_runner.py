"""The example runner on its own: a real worker process with the installed torch, no site build."""

from __future__ import annotations

import os
import tempfile
import time
from pathlib import Path

import pytest
import torch
from markdown import Markdown
from markdown_exec import formatter as markdown_exec_formatter
from markdown_exec import validator

from annotate.errors import AnnotateError, ExampleError
from annotate.examples.fences import (
    ExampleFences,
    collect_examples,
    locate_fences,
    register_fences,
)
from annotate.examples.runner import Example, ExampleRunner
from tests.conftest import ROOT


@pytest.fixture(scope="module")
def runner():
    runner = ExampleRunner(timeout=2)
    yield runner
    runner.close()


def example(code: str, *, line: int | None = 10, session: str | None = None, page="docs/p.md"):
    return Example(page=page, code=code, line=line, session=session)


def test_output_of_python_and_c_level_writes_is_captured_in_order(runner):
    result = runner.run(
        example(
            "import os, sys\n"
            "print('one')\n"
            "os.write(1, b'two\\n')\n"
            "print('three', file=sys.stderr)\n"
            "os.write(2, b'four\\n')\n"
            "print('{\"ok\": false}')\n"
        )
    )
    assert result.output == 'one\ntwo\nthree\nfour\n{"ok": false}\n'
    assert result.torch == torch.__version__
    assert not result.cached


def test_a_session_shares_globals_in_order_and_only_on_its_page(runner):
    first = example("x = 41", session="s", line=3)
    second = example("x += 1\nprint(x)", session="s", line=8)
    assert runner.run(first).output == ""
    assert runner.run(second, history=[first]).output == "42\n"
    elsewhere = example("print(x)", session="s", page="docs/other.md")
    with pytest.raises(ExampleError, match="NameError: name 'x' is not defined"):
        runner.run(elsewhere)
    alone = example("print(x)")
    with pytest.raises(ExampleError, match="NameError"):
        runner.run(alone)


def test_classes_defined_in_an_example_pickle_through_torch_save(runner):
    code = (
        "import torch\n"
        "class Net(torch.nn.Module):\n"
        "    def __init__(self):\n"
        "        super().__init__()\n"
        "        self.fc = torch.nn.Linear(2, 1)\n"
        "torch.save(Net(), 'net.pt')\n"
        "print(type(torch.load('net.pt', weights_only=False)).__name__)\n"
    )
    assert runner.run(example(code)).output == "Net\n"


def test_files_land_in_a_temporary_folder_that_is_removed_on_close():
    runner = ExampleRunner(timeout=30)
    try:
        output = runner.run(
            example("import os\nopen('written.txt', 'w').write('x')\nprint(os.getcwd())")
        ).output
        folder = Path(output.strip())
        assert (folder / "written.txt").is_file()
        assert folder.is_relative_to(Path(tempfile.gettempdir()).resolve())
        assert not folder.is_relative_to(ROOT)
        assert not list(ROOT.rglob("written.txt"))
    finally:
        runner.close()
    assert not folder.exists()


def test_a_raising_example_names_its_page_line_and_its_own_frames_only(runner):
    code = "def f():\n    raise ValueError('boom')\n\nf()\n"
    with pytest.raises(ExampleError) as caught:
        runner.run(example(code, line=20))
    error = caught.value
    assert error.where == "docs/p.md:20"
    assert error.reason == "raised ValueError: boom"
    # Page lines: the fence opens on 20, so code line 4 is page line 24.
    assert 'File "docs/p.md", line 24, in <module>' in error.details
    assert 'File "docs/p.md", line 22, in f' in error.details
    assert "raise ValueError('boom')" in error.details
    assert "Traceback" not in str(error)
    assert "worker.py" not in str(error)


def test_a_failing_assert_is_reported_with_its_message(runner):
    with pytest.raises(ExampleError) as caught:
        runner.run(example("x = 1\nassert x == 2, 'x should be 2'\n"))
    assert caught.value.reason == "raised AssertionError: x should be 2"
    assert "assert x == 2" in caught.value.details


def test_an_example_without_a_line_is_named_by_its_first_line(runner):
    with pytest.raises(ExampleError) as caught:
        runner.run(example("\nimport math\nmath.sqrt(-1)\n", line=None))
    assert str(caught.value).startswith("docs/p.md: example `import math`: the example raised")


@pytest.mark.parametrize(
    ("code", "reason"),
    [
        ("import sys\nsys.exit(3)", "called sys.exit(3)"),
        ("import os\nos._exit(1)", "ended its interpreter with exit code 1 (os._exit, or a crash)"),
        (
            "import os, signal\nos.kill(os.getpid(), signal.SIGKILL)",
            "killed its interpreter with SIGKILL",
        ),
        ("while True: pass", "timed out after 2 s"),
        ("import time\ntime.sleep(3600)", "timed out after 2 s"),
    ],
)
def test_an_example_that_leaves_or_hangs_fails_and_the_next_one_runs(runner, code, reason):
    with pytest.raises(ExampleError) as caught:
        runner.run(example(code))
    assert caught.value.reason == reason
    assert runner.run(example("print('still here')")).output == "still here\n"


def test_a_timeout_also_stops_what_the_example_started(runner):
    # Found by its command line: inside the sandbox, the pid an example sees is not the host's.
    marker = f"sleep {600 + os.getpid() % 300}.25"
    code = (
        "import subprocess\n"
        f"child = subprocess.Popen(['sh', '-c', {marker!r}])\n"
        "print(child.pid, flush=True)\n"
        "while True: pass\n"
    )
    with pytest.raises(ExampleError, match="timed out") as caught:
        runner.run(example(code))
    assert caught.value.details.split("output before it failed:\n")[1].split()[0].isdigit()
    deadline = time.monotonic() + 10
    while alive(marker) and time.monotonic() < deadline:
        time.sleep(0.1)
    assert not alive(marker)


def alive(marker: str) -> bool:
    """Some process's command line holds `marker` (the search itself excluded)."""
    return any(
        marker in cmdline.read_bytes().replace(b"\0", b" ").decode(errors="replace")
        for cmdline in Path("/proc").glob("[0-9]*/cmdline")
        if _readable(cmdline) and str(os.getpid()) != cmdline.parent.name
    )


def _readable(path: Path) -> bool:
    try:
        path.read_bytes()
        return True
    except OSError:
        return False


def test_input_reads_end_of_file_instead_of_waiting(runner):
    code = "try:\n    input()\nexcept EOFError:\n    print('eof')\n"
    assert runner.run(example(code)).output == "eof\n"


def test_the_cache_serves_unchanged_examples_and_replays_a_session_for_a_changed_one(tmp_path):
    first = example("import torch\nw = torch.arange(3)", session="s", line=1)
    second = example("print(w * 2)", session="s", line=5)
    third = example("print(w.sum())", session="s", line=9)
    runner = ExampleRunner(timeout=30, cache_dir=tmp_path, fingerprint="abc")
    try:
        runner.run(first)
        runner.run(second, history=[first])
        runner.run(third, history=[first, second])
    finally:
        runner.close()
    assert (runner.stats.run, runner.stats.cached) == (3, 0)

    changed = example("print(w * 3)", session="s", line=5)
    again = ExampleRunner(timeout=30, cache_dir=tmp_path, fingerprint="abc")
    try:
        assert again.run(first).cached
        assert again.run(changed, history=[first]).output == "tensor([0, 3, 6])\n"
        assert again.run(third, history=[first, changed]).output == "tensor(3)\n"
    finally:
        again.close()
    assert (again.stats.run, again.stats.cached, again.stats.replayed) == (2, 1, 1)

    other_sources = ExampleRunner(timeout=30, cache_dir=tmp_path, fingerprint="changed")
    other_torch = ExampleRunner(
        timeout=30, cache_dir=tmp_path, fingerprint="abc", torch_version="9"
    )
    for fresh in (other_sources, other_torch):
        try:
            assert not fresh.run(first).cached
        finally:
            fresh.close()


def test_a_session_run_twice_starts_from_the_same_random_state(runner):
    code = "import torch\nprint(torch.rand(1).item())"
    one = runner.run(example(code, session="r1"))
    two = runner.run(example(code, session="r2"))
    assert one.output == two.output


def render(text: str, fences: ExampleFences) -> str:
    md = Markdown(
        extensions=["pymdownx.superfences"],
        extension_configs={
            "pymdownx.superfences": {
                "custom_fences": [
                    {
                        "name": "python",
                        "class": "python",
                        "validator": validator,
                        "format": fences.format,
                    }
                ]
            }
        },
    )
    fences.start_page("docs/page.md", text)
    return md.convert(text)


PAGE = """\
# A page

```python exec="on" source="above" result="text" session="s"
x = 2
print(x)
```

Text.

```python exec="on" result="text" session="s"
print(x + 1)
```

```python
not run = at all
```
"""


def test_the_fence_shows_source_output_and_the_torch_stamp(runner):
    fences = ExampleFences(runner.run)
    html = render(PAGE, fences)
    assert fences.failures == []
    assert html.count(f"ran on torch <code>{torch.__version__}</code>") == 2
    assert html.count('class="an-example"') == 2
    assert "3\n" in html and "x</span>" in html
    assert '<span class="n">at</span> <span class="nb">all</span>' in html  # shown, not run


def test_a_failing_fence_shows_no_traceback_and_skips_the_rest_of_its_session(runner):
    fences = ExampleFences(runner.run)
    html = render(PAGE.replace("x = 2", "x = 1 / 0"), fences)
    (error,) = fences.failures
    assert error.where == "docs/page.md:3"
    assert error.reason == "raised ZeroDivisionError: division by zero"
    assert fences.skipped == 1
    assert "This example raised ZeroDivisionError" in html
    assert "Traceback" not in html and "File " not in html


def test_workdir_is_refused(runner):
    fences = ExampleFences(runner.run)
    render('```python exec="on" workdir="/"\nprint(1)\n```\n', fences)
    (error,) = fences.failures
    assert error.reason == "sets `workdir`, which is not supported"


def test_locate_fences_finds_indented_and_tilde_fences():
    text = (
        'a\n\n!!! note\n    ```python exec="on"\n    x = 1\n\n    y = 2\n    ```\n~~~~py\nz\n~~~~\n'
    )
    assert locate_fences(text) == [(4, "x = 1\n\ny = 2"), (9, "z")]


def test_collect_examples_finds_each_example_with_its_session_history(tmp_path):
    page = tmp_path / "page.md"
    page.write_text("---\ntitle: T\n---\n" + PAGE, encoding="utf-8")
    found = collect_examples(
        page.read_text(encoding="utf-8"),
        page="docs/page.md",
        extensions=["pymdownx.superfences"],
        extension_configs={},  # the Python fences are registered by `collect_examples` itself
    )
    assert [(e.line, e.session, len(h)) for e, h in found] == [(6, "s", 0), (13, "s", 1)]
    assert found[1][1][0] == found[0][0]


def test_python_fences_formatted_by_markdown_exec_are_refused():
    configs = {
        "pymdownx.superfences": {
            "custom_fences": [{"name": "python", "format": markdown_exec_formatter}]
        }
    }
    with pytest.raises(AnnotateError, match=r"remove it from `custom_fences`"):
        register_fences(configs, lambda *a, **k: "")


def test_markdown_exec_running_python_itself_is_refused():
    with pytest.raises(AnnotateError, match=r"give it `languages: \[\]`"):
        register_fences({}, lambda *a, **k: "", markdown_exec=["python", "sh"])
    configs = register_fences({}, lambda *a, **k: "", markdown_exec=["sh"])
    fences = configs["pymdownx.superfences"]["custom_fences"]
    assert [(f["name"], f["validator"]) for f in fences] == [
        ("python", validator),
        ("py", validator),
    ]


@pytest.mark.parametrize(
    "printed",
    [
        "'`' * 8 + '\\n<img src=x onerror=alert(1)>'",  # closes markdown-exec's fence
        "'`' * 8 + '\\n\\n<script>alert(1)</script>\\n'",
        "'~' * 3 + '\\n' + '`' * 8 + '\\n[x](javascript:alert(1))'",
    ],
)
def test_an_output_that_would_put_active_content_in_the_page_fails(runner, printed):
    fences = ExampleFences(runner.run)
    html = render(f'```python exec="on" result="text"\nprint({printed})\n```\n', fences)
    (error,) = fences.failures
    assert error.reason.startswith("puts active content in the page through its output")
    assert "<img" not in html and "<script" not in html and 'href="javascript' not in html


@pytest.mark.parametrize("source", ["above", "tabbed-left", "tabbed-right", "console"])
def test_an_output_of_backticks_and_markup_shown_as_text_is_fine(runner, source):
    from mkdocs.config import load_config

    from tests.conftest import ROOT

    site = load_config(str(ROOT / "mkdocs.yml"))  # tabs and all, as the site renders
    fences = ExampleFences(runner.run)
    md = Markdown(
        extensions=list(site.markdown_extensions),
        extension_configs=register_fences(dict(site.mdx_configs), fences.format),
    )
    text = f'```python exec="on" source="{source}" result="text"\nprint("`" * 3 + " <b onclick=x>")\n```\n'
    fences.start_page("docs/page.md", text)
    html = md.convert(text)
    assert fences.failures == []
    assert "&lt;b onclick=x&gt;" in html
    assert ("tabbed-set" in html) == source.startswith("tabbed")


def test_an_examples_html_taken_back_from_the_last_build_is_the_html_it_renders(runner):
    from markdown_exec import MarkdownConverter

    from annotate.reuse import Reuse

    kept: Reuse[tuple[str, str, int]] = Reuse()
    builds = []
    for _ in range(2):
        fences = ExampleFences(runner.run, reuse=kept)
        fences.start_page("docs/page.md", PAGE)
        before = MarkdownConverter.counter
        html = render(PAGE, fences)
        # markdown-exec numbers later outputs' ids by its conversions: a page taken back must
        # leave its count where rendering it would.
        builds.append((html, MarkdownConverter.counter - before, kept.stats.reused))
        kept.end_build()
    (first, converted, taken), (again, converted_again, taken_again) = builds
    assert again == first and converted_again == converted > 0
    assert (taken, taken_again) == (0, 2)
