"""One build of the site: the guide's views, examples and generated pages, and what each page did.

The MkDocs plugin hands each page to `SiteBuild` at the points of a build where MkDocs offers
it, and turns the problems it returns into build failures; nothing here knows MkDocs.
"""

from __future__ import annotations

import dataclasses
from collections import Counter
from typing import TYPE_CHECKING, Any

from markdown import Markdown

from annotate.drift.states import NoteState
from annotate.errors import ExampleError
from annotate.examples.fences import ExampleFences, collect_examples
from annotate.examples.limits import Limits
from annotate.examples.runner import ExampleResult, ExampleRunner, ExampleStats
from annotate.examples.traces import executed_lines, observed_calls
from annotate.notes.active import find_active_html
from annotate.notes.verdicts import Verdicts
from annotate.reuse import digest
from annotate.site import labels
from annotate.site.diagrams import Diagram, read_directives, render_svg
from annotate.site.file_page import file_anchor_ids
from annotate.site.highlight import preload
from annotate.site.kept import Collected, Kept
from annotate.site.links import doc_heading_ids
from annotate.site.object_html import ObjectRenders
from annotate.site.pages import CONTENT, GeneratedPage, generated_pages, page_content, unshown_notes
from annotate.site.partials import ENGLISH_PAGE
from annotate.site.template_cache import SignedBytecodeCache
from annotate.site.trace_views import count_calls, line_identifier, mark_executed, trace_view
from annotate.site.views import ObjectViews

if TYPE_CHECKING:
    from collections.abc import Callable, Hashable
    from pathlib import Path

    import jinja2

    from annotate.errors import Problem
    from annotate.guide import Guide


class SiteBuild:
    """The state of one build; a new build makes a new one."""

    def __init__(
        self,
        guide: Guide,
        /,
        *,
        cache_dir: Path,
        example_timeout: float,
        example_limits: Limits | None = None,
        file_pages: bool = True,
        coverage_page: bool = True,
        maintenance_page: str = "",
        markdown: tuple[list[Any], dict[str, Any]] = ([], {}),
        unbound_markdown: tuple[list[Any], dict[str, Any]] = ([], {}),
        rewrite: Callable[[str], str] | None = None,
        kept: Kept | None = None,
        project: Path | None = None,
    ) -> None:
        """`markdown` holds the site's Markdown extensions and their options, which render
        notes outside mkdocstrings; `unbound_markdown` the same before the example fences were
        bound to this build; `rewrite` is what the build does to a page's text before reading
        it, if anything (`mark_absent`); `kept` what earlier builds of this language left (in this process, or on
        disk), to take again where the inputs are the same; `project` is the folder the
        build may write its caches in without following a link out of it."""
        self.guide = guide
        self.kept = kept or Kept()
        """What this build takes from the last one and keeps for the next."""
        # Lexing module.py costs most of a second: once per content, kept on disk between builds.
        preload(["\n".join(lines) for lines in guide.index.lines.values()], cache_dir / "highlight")
        self.views = ObjectViews(guide)
        """What the templates show of each object; it records the notes they showed."""
        self.runner = ExampleRunner(
            timeout=example_timeout,
            cache_dir=cache_dir / "examples",
            fingerprint=guide.snapshot.fingerprint,
            # Traced only when the torch the examples import has the files the guide reads.
            sources=dict(guide.snapshot.sha256),
            limits=example_limits,
        )
        _ = labels.gettext(guide.language)
        verdicts = Verdicts(cache_dir / "verdicts")
        self.examples = ExampleFences(
            self.runner.run,
            decorate=self._trace_html,
            stamp=_("ran on torch <code>%(version)s</code>"),
            # Judging an example's HTML (its highlighted source too) is most of rendering it.
            judge=lambda html: verdicts.judged(
                "example HTML", html, find_active_html, valid=_list_of_reasons
            ),
            reuse=self.kept.example_html,
        )
        """The formatter of the Python fences, which runs each example through `runner`."""
        self.pages: dict[str, GeneratedPage] = {
            page.uri: page
            for page in generated_pages(
                guide,
                file_pages=file_pages,
                coverage=coverage_page,
                maintenance=maintenance_page,
            )
        }
        """The pages to add to the site, by their place in it."""
        self.markdown = markdown
        """The site's Markdown extensions and their options, to render notes outside mkdocstrings."""
        self.unbound_markdown = unbound_markdown
        """The same before the example fences were bound to this build's runner."""
        self.rewrite = rewrite
        """What the build does to a page's text before reading it, if anything (`mark_absent`)."""
        self._cache_dir = cache_dir
        self._project = project
        self._converter: Markdown | None = None
        self._diagrams: dict[str, list[Diagram]] = {}
        self._primary: set[str] = set()
        self._env: jinja2.Environment | None = None
        self._prerun_stats: ExampleStats | None = None

    def _trace_html(self, result: ExampleResult) -> str:
        """The folded call tree under an example's output (nothing without a trace)."""
        if result.trace is None or not result.trace.calls or self._env is None:
            return ""
        template = self._env.get_template("annotate_trace.html.jinja")
        return template.render(
            nodes=trace_view(result.trace, language=self.guide.language),
            calls=count_calls(result.trace),
            cut=result.trace.cut,
        )

    def prepare_templates(self, env: jinja2.Environment, /) -> None:
        """Give mkdocstrings' templates `annotate_view(path)` and `NoteState`, and cache them."""
        env.globals.update(
            annotate_view=self.views, NoteState=NoteState, annotate_english_page=ENGLISH_PAGE
        )
        labels.install(env, self.guide.language)
        self._env = env
        # mkdocstrings compiles its ~80 templates anew on every build; Jinja's bytecode cache,
        # keyed by each template's source, skips that on rebuilds.
        env.bytecode_cache = SignedBytecodeCache(self._cache_dir / "templates", below=self._project)

    def cache_theme_templates(self, env: jinja2.Environment, /) -> None:
        """Keep the theme's compiled templates between builds (MkDocs makes its environment,
        and compiles Material's ~40 templates, anew on every build)."""
        env.bytecode_cache = SignedBytecodeCache(
            self._cache_dir / "theme-templates", below=self._project
        )

    def object_renders(self, state: Callable[[], Hashable], /) -> ObjectRenders:
        """mkdocstrings' rendering of this build's objects, taken back from earlier builds
        while nothing it read changed; `state` is what a render must leave as it found for
        its HTML to be kept (`ObjectRenders`)."""
        return ObjectRenders(
            self.kept.object_html,
            self.views,
            inputs=f"{self.guide.snapshot.fingerprint}\n{self.guide.language}",
            state=state,
        )

    def convert(self, text: str, /) -> str:
        """The Markdown `text` as the site renders notes outside mkdocstrings (the file pages):
        with the site's extensions and their options."""
        if self._converter is None:
            extensions, configs = self.markdown
            self._converter = Markdown(extensions=extensions, extension_configs=configs)
        return self._converter.reset().convert(text)

    def run_examples_first(self, pages: list[tuple[Path, str]], /) -> None:
        """Run every example of `pages` (file, and its name in messages) before any page renders.

        Chapters then show, in their call lists and diagrams, the calls all the guide's examples
        made, whatever page they are on. The results go to the runner's cache, so rendering
        serves them from there; an example that fails here is left to fail where it renders.
        """
        extensions, configs = self.unbound_markdown
        traces = []
        for path, shown_as in pages:
            text = path.read_text(encoding="utf-8")

            def collect(text: str = text, shown_as: str = shown_as) -> list[Collected]:
                return collect_examples(
                    text,
                    page=shown_as,
                    extensions=extensions,
                    extension_configs=configs,
                    rewrite=self.rewrite,
                )

            # Found by converting the page: the same text, rewritten the same way, finds the same.
            rewritten = self.guide.snapshot.fingerprint if self.rewrite else ""
            found = self.kept.examples_found.get(digest(shown_as, text, rewritten), collect)
            broken: set[str | None] = set()
            for example, history in found:
                if example.session in broken:
                    continue
                try:
                    result = self.runner.run(example, history=history)
                except ExampleError:
                    broken.add(example.session)
                    continue
                if result.trace is not None:
                    traces.append(result.trace)
        self.views.learn(set(observed_calls(traces)))
        self._prerun_stats = dataclasses.replace(self.runner.stats)

    def read_page(self, uri: str, source: str, /, *, shown_as: str, file: Path) -> list[Problem]:
        """Start the page `uri` whose Markdown is `source` (front matter included); its problems.

        `shown_as` names the page in example failures; `file` in the problems.
        """
        self.examples.start_page(shown_as, source)
        diagrams, problems = read_directives(
            source, self.guide.index, self.guide.calls, file=file, seen=self.views.seen
        )
        self._diagrams[uri] = diagrams
        return problems

    def page_html(
        self,
        uri: str,
        html: str,
        /,
        *,
        url_of: Callable[[str], str | None],
        register_anchor: Callable[[str, str, bool], None] | None,
        english_page: str = "",
    ) -> str:
        """The rendered page `uri` completed: diagrams drawn, generated content filled in.

        `url_of(uri)` is the page at `uri` relative to this one;
        `register_anchor(identifier, anchor, primary)` tells autorefs where an object is shown;
        `english_page` is this page in English, relative to it, where a translation links.
        """
        html = self._completed(uri, html, url_of=url_of, register_anchor=register_anchor)
        return html.replace(ENGLISH_PAGE, english_page)

    def _completed(
        self,
        uri: str,
        html: str,
        /,
        *,
        url_of: Callable[[str], str | None],
        register_anchor: Callable[[str, str, bool], None] | None,
    ) -> str:
        """`page_html` but for the links to the English page."""
        for number, diagram in enumerate(self._diagrams.get(uri, [])):
            html = html.replace(
                diagram.directive,
                render_svg(diagram, self.guide.index, number=number, language=self.guide.language),
                1,
            )
        for heading in doc_heading_ids(html):
            # A chapter showing an object is where links to its canonical path should go.
            canonical = self.guide.index.canonical(heading)
            if (
                register_anchor
                and canonical
                and canonical != heading
                and canonical not in self._primary
            ):
                self._primary.add(canonical)
                register_anchor(canonical, heading, True)
        page = self.pages.get(uri)
        if page is None:
            return mark_executed(
                html,
                executed_lines(self.examples.page_traces),
                self.guide.index,
                language=self.guide.language,
            )
        page_urls = {
            other.source_file: url
            for other in self.pages.values()
            if other.source_file not in ("", page.source_file)
            and (url := url_of(other.uri)) is not None
        }
        content = page_content(
            page,
            self.guide,
            markdown=self.convert,
            page_urls=page_urls,
            shown=self.views.shown,
            in_chapters=self.views.rendered,
        )
        if register_anchor and page.source_file:
            # Secondary: a chapter that renders the object with mkdocstrings stays the main target.
            for identifier, anchor in file_anchor_ids(self.guide, page.source_file).items():
                register_anchor(identifier, anchor, False)
            # Each line, for the call edges of example traces.
            for number in range(1, len(self.guide.index.lines[page.source_file]) + 1):
                register_anchor(line_identifier(page.source_file, number), f"L{number}", True)
        if page.source_file:
            # The file pages come after the chapters: every example of the site has run.
            ran = executed_lines(self.examples.all_traces).get(page.source_file, Counter())
            content = mark_executed(
                content,
                {page.source_file: ran},
                self.guide.index,
                whole_file=page.source_file,
                language=self.guide.language,
            )
        return html.replace(CONTENT, content)

    def unshown_notes(self) -> list[Problem]:
        """Every note no page showed."""
        return unshown_notes(self.guide, self.views.shown)

    def examples_summary(self) -> str:
        """How the examples were served, e.g. "14 examples: 0 run, 14 from cache", and, where
        they ran without a sandbox, why."""
        # What ran, and what came from the cache, is told by the first pass when there was one.
        summary = self.examples.summary(self._prerun_stats or self.runner.stats)
        return "; ".join(filter(None, [summary, self.runner.unsandboxed]))

    def close(self) -> None:
        """Stop the example worker."""
        self.runner.close()


def _list_of_reasons(kept: Any) -> bool:
    """Whether a kept verdict has the form `find_active_html` gives: a list of reasons."""
    return isinstance(kept, list) and all(isinstance(reason, str) for reason in kept)
