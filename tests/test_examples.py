"""Every executed example of the site, run as a test through the build's own runner.

The pages are read with the site's Markdown extensions and fence options, so the examples, their
order and their sessions are those a build runs; a failing example fails here as in the build.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from mkdocs.config import load_config

from annotate.errors import ExampleError
from annotate.examples.fences import collect_examples
from annotate.examples.runner import Example, ExampleRunner
from tests.conftest import ROOT

CONFIG = load_config(str(ROOT / "mkdocs.yml"))
DOCS = Path(CONFIG.docs_dir)


def _collect() -> list[tuple[Example, tuple[Example, ...]]]:
    found = []
    for path in sorted(DOCS.rglob("*.md")):
        found += collect_examples(
            path.read_text(encoding="utf-8"),
            page=path.relative_to(ROOT).as_posix(),
            extensions=CONFIG.markdown_extensions,
            extension_configs=CONFIG.mdx_configs,
        )
    return found


EXAMPLES = _collect()


@pytest.fixture(scope="module")
def runner():
    runner = ExampleRunner(timeout=CONFIG.plugins["annotate"].config.example_timeout)
    yield runner
    runner.close()


@pytest.mark.parametrize(
    ("example", "history"), EXAMPLES, ids=[example.where for example, _ in EXAMPLES]
)
def test_example(runner: ExampleRunner, example: Example, history: tuple[Example, ...]):
    try:
        runner.run(example, history=history)
        return
    except ExampleError as caught:
        error = caught
    if error.where != example.where:
        pytest.skip(f"an earlier example of its session fails: {error.where}")
    pytest.fail(str(error), pytrace=False)


def test_the_first_pass_finds_the_examples_rendering_runs():
    """The first pass only runs each example; rendering the page runs the very same ones."""
    from markdown import Markdown

    from annotate.examples.fences import ExampleFences, register_fences
    from annotate.examples.runner import ExampleResult

    pages = [p for p in sorted(DOCS.rglob("*.md")) if "```py" in p.read_text(encoding="utf-8")]
    assert len(pages) >= 8
    for path in pages:
        rendered: list[tuple[Example, tuple[Example, ...]]] = []

        def record(example, /, *, history, found=rendered):
            found.append((example, tuple(history)))
            return ExampleResult(output="out", torch="0", cached=True)

        fences = ExampleFences(record)
        md = Markdown(
            extensions=list(CONFIG.markdown_extensions),
            extension_configs=register_fences(dict(CONFIG.mdx_configs), fences.format),
        )
        page = path.relative_to(ROOT).as_posix()
        text = path.read_text(encoding="utf-8")
        fences.start_page(page, text)
        md.convert(text)
        first_pass = collect_examples(
            path.read_text(encoding="utf-8"),
            page=page,
            extensions=CONFIG.markdown_extensions,
            extension_configs=CONFIG.mdx_configs,
        )
        assert rendered, page
        assert first_pass == rendered, page
