"""Executed examples in Markdown: markdown-exec parses and renders the fences, a runner runs them.

`register_fences` adds the `python` and `py` fences to superfences with markdown-exec's
validator and `ExampleFences.format` of the build under way (as markdown-exec registers its
own), so every example goes through `ExampleRunner` and only the running differs from
markdown-exec.
"""

from __future__ import annotations

import copy
import logging
import re
from collections.abc import Callable, Sequence
from html import escape
from typing import Any, Protocol

from markdown import Markdown
from markdown_exec import MarkdownConverter, base_format, validator

from annotate.errors import AnnotateError, ExampleError
from annotate.examples.runner import Example, ExampleResult, ExampleStats
from annotate.examples.traces import Trace
from annotate.notes.active import find_active_html
from annotate.reuse import Reuse, digest

log = logging.getLogger("mkdocs.plugins.annotate")

EXECUTED_LANGUAGES = frozenset({"python", "py", "pycon"})
"""Fence names that run Python; no fence of mkdocs.yml may claim one (pycon is not supported)."""
_REGISTERED = ("python", "py")

_OPEN = re.compile(r"^(?P<indent>[ \t]*)(?P<fence>`{3,}|~{3,})[^`]*$")


class RunExample(Protocol):
    def __call__(self, example: Example, /, *, history: Sequence[Example]) -> ExampleResult: ...


def locate_fences(text: str) -> list[tuple[int, str]]:
    """Every fenced block in `text`: the 1-based line of its opening fence and its code."""
    found: list[tuple[int, str]] = []
    lines = text.splitlines()
    i = 0
    while i < len(lines):
        opening = _OPEN.match(lines[i])
        i += 1
        if opening is None:
            continue
        indent, fence = len(opening["indent"]), opening["fence"]
        closing = re.compile(rf"^[ \t]*{re.escape(fence[0])}{{{len(fence)},}}[ \t]*$")
        start, body = i, []
        while i < len(lines) and not closing.match(lines[i]):
            body.append(lines[i][indent:] if lines[i][:indent].strip() == "" else lines[i])
            i += 1
        found.append((start, "\n".join(body)))
        i += 1
    return found


def _same_code(a: str, b: str) -> bool:
    def norm(code: str) -> list[str]:
        return [line.rstrip() for line in code.strip("\n").splitlines()]

    return norm(a) == norm(b)


def _failure_html(reason: str) -> str:
    return (
        '<div class="admonition failure an-example-failed"><p class="admonition-title">'
        f"This example {escape(reason)}</p><p>The build log says why.</p></div>"
    )


def register_fences(
    mdx_configs: dict[str, Any],
    bound: Callable[..., str],
    /,
    *,
    markdown_exec: Sequence[str] | None = None,
) -> dict[str, Any]:
    """A copy of `mdx_configs` with the Python fences formatted by `bound`.

    A Python fence configured in mkdocs.yml would run examples some other way, as would
    markdown-exec given Python among its `languages` (`markdown_exec`): both are refused, since
    they run examples in the build process.
    """
    clash = sorted(EXECUTED_LANGUAGES & set(markdown_exec or ()))
    if clash:
        raise AnnotateError(
            f"markdown-exec would run {', '.join(clash)} fences in the build process; "
            "give it `languages: []` in mkdocs.yml"
        )
    configs = dict(mdx_configs)
    superfences = copy.copy(configs.get("pymdownx.superfences", {}))
    fences = [dict(fence) for fence in superfences.get("custom_fences", [])]
    for fence in fences:
        if fence.get("name") in EXECUTED_LANGUAGES:
            raise AnnotateError(
                f"the `{fence.get('name')}` fence in mkdocs.yml would run examples in the build "
                "process; remove it from `custom_fences`: the `annotate` plugin registers the "
                "Python fences itself"
            )
    fences += [
        {"name": name, "class": "python", "validator": validator, "format": bound}
        for name in _REGISTERED
    ]
    superfences["custom_fences"] = fences
    configs["pymdownx.superfences"] = superfences
    return configs


class ExampleFences:
    """The fence formatter of one build: each example of the current page goes through `run`."""

    def __init__(
        self,
        run: RunExample,
        *,
        decorate: Callable[[ExampleResult], str] | None = None,
        stamp: str = "ran on torch <code>%(version)s</code>",
        render: bool = True,
        judge: Callable[[str], Sequence[str]] = find_active_html,
        reuse: Reuse[tuple[str, str, int]] | None = None,
    ) -> None:
        """`render=False` only runs each example (through `run`), rendering nothing; `judge`
        tells why an example's HTML is not inert (`find_active_html`, or its kept verdict);
        `reuse` keeps each example's HTML from one build to the next, by what it is made of."""
        self._run = run
        self._reuse = reuse
        self._judge = judge
        self._render = render
        self._decorate = decorate
        """HTML to show under an example's output (its trace), from its result."""
        self._stamp = stamp
        """The line under an example, HTML with the torch version it ran on as `%(version)s`."""
        self.failures: list[ExampleError] = []
        """Every example that failed, in the order they ran."""
        self.skipped = 0
        """Examples not run because an earlier one of their session failed."""
        self.page_traces: list[Trace] = []
        """The traces of the current page's examples, in page order."""
        self.all_traces: list[Trace] = []
        """The traces of every example rendered so far in this build."""
        self._page = ""
        self._located: list[tuple[int, str]] = []
        self._history: dict[str, list[Example]] = {}
        self._broken: set[str] = set()

    def start_page(self, page: str, text: str) -> None:
        """Examples rendered from now on belong to `page`, whose source is `text`."""
        self._page = page
        self.page_traces = []
        self._located = locate_fences(text)
        self._history = {}
        self._broken = set()

    def _line_of(self, code: str) -> int | None:
        for index, (line, located) in enumerate(self._located):
            if _same_code(located, code):
                del self._located[index]
                return line
        return None

    def example(self, source: str, options: dict[str, Any]) -> Example:
        """The example a fence with `source` and validated `options` stands for on this page."""
        return Example(
            page=self._page,
            code=source,
            line=self._line_of(source),
            session=options.get("session") or None,
            columns=int(options.get("width") or 0),
        )

    def format(
        self,
        source: str,
        language: str,
        css_class: str,
        options: dict[str, Any],
        md: Markdown,
        classes: list[str] | None = None,
        id_value: str = "",
        attrs: dict[str, Any] | None = None,
        **kwargs: Any,
    ) -> str:
        """Run the example and render it as markdown-exec would, stamped with the torch version."""
        options = dict(options)
        example = self.example(source, options)
        # The build's own working folder and environment stay untouched: the worker applies them.
        workdir = options.pop("workdir", None)
        options.pop("width", None)
        if workdir:
            return self._fail(
                ExampleError(
                    example.where,
                    "sets `workdir`, which is not supported",
                    "examples run in a temporary folder; remove the option",
                ),
                example.session,
            )
        if example.session in self._broken:
            self.skipped += 1
            return _failure_html("was not run: an earlier example of its session failed")
        history = self._history.setdefault(example.session, []) if example.session else []
        try:
            # base_format calls `run` once, whatever the options: running first changes nothing.
            result = self._run(example, history=tuple(history))
            html, under = self._rendered(source, options, md, result) if self._render else ("", "")
        except ExampleError as error:
            return self._fail(error, example.session)
        except Exception as error:  # superfences would swallow it and show the fence unrun
            return self._fail(
                ExampleError(
                    example.where, "could not be rendered", f"{type(error).__name__}: {error}"
                ),
                example.session,
            )
        if active := self._judge(html):
            return self._fail(
                ExampleError(
                    example.where,
                    f"puts active content in the page through its output ({active[0]})",
                    "print the value in another form; the output is shown as text only",
                ),
                example.session,
            )
        if example.session:
            history.append(example)
        if not html:
            return html
        if result.trace is not None:
            self.page_traces.append(result.trace)
            self.all_traces.append(result.trace)
        version = escape(result.torch)
        return (
            f'<div class="an-example" data-an-torch="{version}">{html}{under}'
            f'<p class="an-example-stamp">{self._stamp % {"version": version}}</p></div>'
        )

    def _rendered(
        self, source: str, options: dict[str, Any], md: Markdown, result: ExampleResult
    ) -> tuple[str, str]:
        """The example's HTML as markdown-exec renders it, and the trace to show under it."""

        def render() -> tuple[str, str, int]:
            before = MarkdownConverter.counter
            html = str(
                base_format(
                    language="python",
                    run=lambda *_, **__: result.output,
                    code=source,
                    md=md,
                    **options,
                )
            )
            under = self._decorate(result) if html and self._decorate else ""
            return html, under, MarkdownConverter.counter - before

        if self._reuse is None:
            html, under, _ = render()
            return html, under
        key = digest(
            source, repr(sorted(options.items())), result.output, result.torch, repr(result.trace)
        )
        before = MarkdownConverter.counter
        html, under, converts = self._reuse.get(key, render, keep=_reusable)
        if MarkdownConverter.counter == before:
            # Taken back: markdown-exec numbers the ids of later outputs by its conversions.
            MarkdownConverter.counter += converts
        return html, under

    def summary(self, stats: ExampleStats) -> str:
        """One line on how the examples were served, e.g. "14 examples: 0 run, 14 from cache"."""
        total = stats.run + stats.cached + len(self.failures) + self.skipped
        if not total:
            return ""
        text = f"{total} examples: {stats.run} run, {stats.cached} from cache"
        if stats.replayed:
            text += f", {stats.replayed} replayed to rebuild a session"
        if self.failures or self.skipped:
            text += f", {len(self.failures)} failed, {self.skipped} skipped after a failure"
        return text

    def failure_report(self) -> str:
        """Every failed example with its reason, one a line."""
        lines = "\n".join(f"  {error.where}: the example {error.reason}" for error in self.failures)
        return f"{len(self.failures)} example(s) failed:\n{lines}"

    def _fail(self, error: ExampleError, session: str | None) -> str:
        self.failures.append(error)
        log.error("annotate: %s", error)
        if session:
            self._broken.add(session)
        return _failure_html(error.reason)


def _reusable(rendered: tuple[str, str, int]) -> bool:
    """Whether an example's HTML stands for itself: not where markdown-exec handed headings of
    its output to the page's contents, or numbered an id (or a link to one) by how many
    conversions came before it in the build."""
    return _HEADING_OR_NUMBERED_ID.search(rendered[0]) is None


_HEADING_OR_NUMBERED_ID = re.compile(r"<h[1-6][\s>]|exec-\d+--", re.IGNORECASE)


def collect_examples(
    text: str,
    /,
    *,
    page: str,
    extensions: Sequence[Any],
    extension_configs: dict[str, Any],
    rewrite: Callable[[str], str] | None = None,
) -> list[tuple[Example, tuple[Example, ...]]]:
    """Every executed example of the Markdown `text`, with the earlier ones of its session.

    The page is converted with the site's own extensions, so the examples found, their order and
    their sessions are exactly those a build runs; `rewrite` is what the build does to its text
    first, if anything.
    """
    found: list[tuple[Example, tuple[Example, ...]]] = []

    def record(example: Example, /, *, history: Sequence[Example]) -> ExampleResult:
        found.append((example, tuple(history)))
        return ExampleResult(output="", torch="", cached=True)

    fences = ExampleFences(record, render=False)
    md = Markdown(
        extensions=list(extensions),
        extension_configs=register_fences(extension_configs, fences.format),
    )
    if rewrite is not None:
        text = rewrite(text)
    fences.start_page(page, text)
    md.convert(text)
    return found
