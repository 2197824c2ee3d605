"""MkDocs adapter: run the pipeline, point mkdocstrings at the snapshot, check every note shows."""

from __future__ import annotations

import hashlib
import json
import logging
import re
import time
from pathlib import Path
from typing import TYPE_CHECKING, Any

from jinja2 import FileSystemBytecodeCache
from markdown import Markdown
from mkdocs.config import config_options as opt
from mkdocs.config.base import Config
from mkdocs.exceptions import PluginError
from mkdocs.plugins import BasePlugin
from mkdocs.structure.files import File
from mkdocs.utils import get_relative_url

from annotate.drift.lock import LOCK_NAME
from annotate.drift.states import NoteState
from annotate.errors import AnnotateError, Problem
from annotate.examples.fences import EXECUTED_LANGUAGES, ExampleFences, bind_fences
from annotate.examples.runner import ExampleRunner
from annotate.guide import Guide, read_guide
from annotate.site.coverage import coverage_map, render_coverage
from annotate.site.diagrams import Diagram, read_directives, render_svg, svg_links_as_xlink
from annotate.site.file_page import file_anchor_ids, render_file
from annotate.site.highlight import preload
from annotate.site.links import doc_heading_ids
from annotate.site.maintenance import maintenance_page
from annotate.site.segments import COMMIT_URL
from annotate.site.views import render_payload
from annotate.source.snapshot import SOURCE_FILES

if TYPE_CHECKING:
    from mkdocs.config.defaults import MkDocsConfig
    from mkdocs.structure.files import Files
    from mkdocs.structure.pages import Page

log = logging.getLogger("mkdocs.plugins.annotate")

_SITE = Path(__file__).parent / "site"
_ASSETS = _SITE / "assets"
_SHOWN = re.compile(r'data-an-note="([^"]+)"')
FILE_PAGES = {f"files/{Path(rel).stem}.md": rel for rel in SOURCE_FILES}
"""Generated whole-file pages, by their place in the site."""
_FILE_MARKER = "<!-- annotate:file {} -->"
COVERAGE_PAGE = "coverage.md"
"""Generated coverage map, by its place in the site."""
_COVERAGE_MARKER = "<!-- annotate:coverage -->"
_COVERAGE_INTRO = (
    "Every class and function of the source files in file order, coloured by whether it has a "
    "note and whether that note still matches the code. An empty cell has no note yet: follow it to the code, then `annotate new` starts one (see CONTRIBUTING.md).\n\n"
)


def _problems(kind: str, problems: list[Problem]) -> str:
    lines = "\n".join(f"  {problem}" for problem in problems)
    return f"annotate: {len(problems)} {kind} problem(s):\n{lines}"


class AnnotateConfig(Config):
    """Options of the `annotate` plugin."""

    notes_dir = opt.Type(str, default="notes")
    """Folder of note files, relative to `docs_dir`; it is not rendered as pages of its own."""
    cache_dir = opt.Type(str, default=".cache/annotate")
    """Where the snapshot and build data live, relative to `mkdocs.yml`."""
    file_pages = opt.Type(bool, default=True)
    """Add a whole annotated page for each source file under `files/`."""
    torch_root = opt.Optional(opt.Type(str))
    """Read torch from this tree (a source checkout or unpacked wheel) instead of the installed one."""
    lock_file = opt.Type(str, default=LOCK_NAME)
    """What each note was written for, relative to `notes_dir`; written by `annotate refresh`."""
    maintenance_page = opt.Type(str, default="maintenance.md")
    """Where to generate the page listing every note that is not fresh; `""` for none."""
    example_timeout = opt.Type((int, float), default=60)
    """Seconds an executed example may run; one that runs longer is stopped and fails the build."""
    coverage_page = opt.Type(bool, default=True)
    """Add a map of which classes and functions have notes, as `coverage.md`."""


class AnnotatePlugin(BasePlugin[AnnotateConfig]):
    """Builds the guide from the installed torch; list it before `mkdocstrings`."""

    def __init__(self) -> None:
        self.guide: Guide | None = None
        self.shown: set[str] = set()
        self.examples: ExampleFences | None = None
        self.runner: ExampleRunner | None = None
        self.diagrams: dict[str, list[Diagram]] = {}
        self.primary: set[str] = set()

    def on_config(self, config: MkDocsConfig) -> MkDocsConfig:
        base = Path(config.config_file_path).parent
        cache = base / self.config.cache_dir
        notes_dir = Path(config.docs_dir) / self.config.notes_dir
        try:
            self.guide, problems = read_guide(
                notes_dir,
                snapshot_dir=cache / "snapshot",
                torch_root=self.config.torch_root,
                lock_file=notes_dir / self.config.lock_file,
            )
        except AnnotateError as error:
            raise PluginError(f"annotate: {error}") from None
        if problems:
            raise PluginError(_problems("note", problems))
        snapshot = self.guide.snapshot
        log.info(
            "annotate: torch %s (%s), %d notes",
            snapshot.version,
            snapshot.commit[:12] or "commit unknown",
            len(self.guide.notes),
        )
        drifted = {name: s for name, s in self.guide.states.items() if s != NoteState.FRESH}
        if drifted:
            log.info(
                "annotate: %d note(s) not fresh (%s); `annotate check` tells why",
                len(drifted),
                ", ".join(f"{name}: {state}" for name, state in sorted(drifted.items())),
            )
        # Named by its content: a build never reads another build's payload (serve and build, or
        # two builds sharing the cache folder).
        # Lexing module.py costs most of a second: once per content, kept on disk between builds.
        preload(
            ["\n".join(lines) for lines in self.guide.index.lines.values()], cache / "highlight"
        )
        text = json.dumps(render_payload(self.guide))
        payload = cache / f"payload-{hashlib.sha256(text.encode()).hexdigest()[:16]}.json"
        if not payload.exists():
            payload.write_text(text, encoding="utf-8")
        for old in cache.glob("payload-*.json"):  # an hour outlives any build still reading one
            if old != payload and time.time() - old.stat().st_mtime > 3600:
                old.unlink(missing_ok=True)
        self._configure_mkdocstrings(config, snapshot_root=snapshot.root, payload=payload)
        self._configure_examples(config, cache=cache / "examples")
        config.extra_css.extend(f"assets/{css.name}" for css in sorted(_ASSETS.glob("*.css")))
        config.extra_javascript.extend(f"assets/{js.name}" for js in sorted(_ASSETS.glob("*.js")))
        config.extra["annotate_build"] = {
            "version": snapshot.version,
            "commit": snapshot.commit,
            "commit_url": COMMIT_URL.format(commit=snapshot.commit) if snapshot.commit else "",
            "files": [Path(rel).name for rel in SOURCE_FILES],
        }
        # In front of the theme's own templates, behind a project's `custom_dir`.
        config.theme.dirs.insert(1 if config.theme.custom_dir else 0, str(_SITE / "theme"))
        self.shown = set()
        self.diagrams = {}
        self.primary = set()
        return config

    def _configure_mkdocstrings(
        self, config: MkDocsConfig, *, snapshot_root: Path, payload: Path
    ) -> None:
        plugin = config.plugins.get("mkdocstrings")
        if plugin is None:
            raise PluginError(
                "annotate: add the `mkdocstrings` plugin after `annotate` in mkdocs.yml"
            )
        if plugin.config.custom_templates is None:
            plugin.config.custom_templates = str(_SITE / "templates")
        python: dict[str, Any] = plugin.config.handlers.setdefault("python", {})
        python["paths"] = [str(snapshot_root)]
        options: dict[str, Any] = python.setdefault("options", {})
        extensions = [
            ext
            for ext in options.get("extensions", [])
            if "annotate.site.griffe_extension" not in str(ext)
        ]
        extensions.append(
            {"annotate.site.griffe_extension:NotesExtension": {"payload": str(payload)}}
        )
        options["extensions"] = extensions

    def _configure_examples(self, config: MkDocsConfig, *, cache: Path) -> None:
        markdown_exec = config.plugins.get("markdown-exec")
        if markdown_exec is not None:
            clash = sorted(EXECUTED_LANGUAGES & set(markdown_exec.config.languages))
            if clash:
                raise PluginError(
                    f"annotate: markdown-exec would run {', '.join(clash)} fences in the build "
                    "process; give it `languages: []` in mkdocs.yml"
                )
        self._close_examples()
        assert self.guide is not None
        self.runner = ExampleRunner(
            timeout=self.config.example_timeout,
            cache_dir=cache,
            fingerprint=self.guide.snapshot.fingerprint,
        )
        self.examples = ExampleFences(self.runner.run)
        try:
            config.mdx_configs = bind_fences(config.mdx_configs, self.examples.format)
        except AnnotateError as error:
            raise PluginError(f"annotate: {error}") from None

    def _close_examples(self) -> None:
        if self.runner is not None:
            self.runner.close()

    def on_files(self, files: Files, *, config: MkDocsConfig) -> Files:
        self._cache_templates(config)
        notes_prefix = self.config.notes_dir.strip("/") + "/"
        for file in [f for f in files if f.src_uri.startswith(notes_prefix)]:
            files.remove(file)  # notes are shown with their objects, not as pages of their own
        for asset in sorted(_ASSETS.iterdir()):
            files.append(File.generated(config, f"assets/{asset.name}", abs_src_path=str(asset)))
        for uri, relpath in FILE_PAGES.items() if self.config.file_pages else ():
            # Left out of search: thousands of code lines would drown the prose and the objects.
            content = (
                "---\nsearch:\n  exclude: true\n---\n\n"
                f"# `{Path(relpath).name}`\n\n{_FILE_MARKER.format(relpath)}\n"
            )
            files.append(File.generated(config, uri, content=content))
        if self.config.maintenance_page and self.guide is not None:
            content = maintenance_page(self.guide)
            files.append(File.generated(config, self.config.maintenance_page, content=content))
        if self.config.coverage_page:
            content = f"# Coverage map\n\n{_COVERAGE_INTRO}{_COVERAGE_MARKER}\n"
            files.append(File.generated(config, COVERAGE_PAGE, content=content))
        return files

    def on_page_markdown(
        self, markdown: str, *, page: Page, config: MkDocsConfig, files: Files
    ) -> str:
        if self.examples is not None:
            base = Path(config.config_file_path).parent
            path = Path(page.file.abs_src_path or Path(config.docs_dir, page.file.src_path))
            shown = path.relative_to(base) if path.is_relative_to(base) else path
            self.examples.start_page(shown.as_posix(), page.file.content_string)
        if self.guide is None:
            return markdown
        source = page.file.content_string  # with its front matter, so that line numbers match
        diagrams, problems = read_directives(
            source,
            self.guide.index,
            self.guide.calls,
            file=Path(page.file.abs_src_path or page.file.src_uri),
        )
        if problems:
            raise PluginError(_problems("page", problems))
        self.diagrams[page.file.src_uri] = diagrams
        return markdown

    def _cache_templates(self, config: MkDocsConfig) -> None:
        # mkdocstrings compiles its ~80 templates anew on every build (most of a second);
        # Jinja's own bytecode cache, keyed by each template's source, skips that on rebuilds.
        plugin = config.plugins.get("mkdocstrings")
        handlers = getattr(plugin, "handlers", None)
        if handlers is None:
            return
        folder = Path(config.config_file_path).parent / self.config.cache_dir / "templates"
        folder.mkdir(parents=True, exist_ok=True)
        env = handlers.get_handler("python").env
        env.bytecode_cache = FileSystemBytecodeCache(str(folder))
        env.globals["NoteState"] = NoteState

    def on_page_content(self, html: str, *, page: Page, config: MkDocsConfig, files: Files) -> str:
        if self.guide is None:
            return html
        autorefs = config.plugins.get("autorefs")
        for number, diagram in enumerate(self.diagrams.get(page.file.src_uri, [])):
            html = html.replace(
                diagram.directive, render_svg(diagram, self.guide.index, number=number), 1
            )
        if autorefs is not None:
            # A chapter showing an object is where links to its canonical path should go.
            for heading in doc_heading_ids(html):
                canonical = self.guide.index.canonical(heading)
                if canonical and canonical != heading and canonical not in self.primary:
                    self.primary.add(canonical)
                    autorefs.register_anchor(page, canonical, heading, primary=True)
        if page.file.src_uri == COVERAGE_PAGE:
            # Autorefs resolves each cell to the chapter showing the object, else its whole-file line.
            cells = render_coverage(
                coverage_map(self.guide),
                link=lambda cell, inner: (
                    f'<autoref identifier="{cell.identifier}" optional class="an-cov-link">'
                    f"{inner}</autoref>"
                ),
            )
            return html.replace(_COVERAGE_MARKER, cells)
        relpath = FILE_PAGES.get(page.file.src_uri)
        if relpath is None:
            return html
        md = Markdown(extensions=config.markdown_extensions, extension_configs=config.mdx_configs)

        def to_html(text: str) -> str:
            return md.reset().convert(text)

        page_urls = {
            other: get_relative_url(file.url, page.url)
            for uri, other in FILE_PAGES.items()
            if other != relpath and (file := files.get_file_from_path(uri)) is not None
        }
        listing = render_file(self.guide, relpath, markdown=to_html, page_urls=page_urls)
        if autorefs is not None:
            # Secondary: a chapter that renders the object with mkdocstrings stays the main target.
            for identifier, anchor in file_anchor_ids(self.guide, relpath).items():
                autorefs.register_anchor(page, identifier, anchor, primary=False)
        return html.replace(_FILE_MARKER.format(relpath), listing)

    def on_post_page(self, output: str, *, page: Page, config: MkDocsConfig) -> str:
        self.shown.update(_SHOWN.findall(output))
        return svg_links_as_xlink(output)

    def on_post_build(self, *, config: MkDocsConfig) -> None:
        self._close_examples()
        if self.runner is not None and self.examples is not None:
            summary = self.examples.summary(self.runner.stats)
            if summary:
                log.info("annotate: %s", summary)
            if self.examples.failures:
                raise PluginError(f"annotate: {self.examples.failure_report()}")
        assert self.guide is not None
        missing = [n for n in self.guide.notes if n.note.name not in self.shown]
        if missing:
            lines = "\n".join(
                f"  {n.note.file}:{n.note.target_line}: the note on `{n.obj.short}` is on no page; "
                f"add `::: {n.obj.path}` to a chapter"
                for n in missing
            )
            raise PluginError(f"annotate: {len(missing)} note(s) would be lost:\n{lines}")

    def on_build_error(self, *, error: Exception) -> None:
        self._close_examples()

    def on_shutdown(self) -> None:
        self._close_examples()
