"""MkDocs adapter: wires the library into a build and turns its problems into build failures."""

from __future__ import annotations

import functools
import logging
import weakref
from pathlib import Path
from typing import TYPE_CHECKING, Any

from mkdocs.config import config_options as opt
from mkdocs.config.base import Config
from mkdocs.exceptions import PluginError
from mkdocs.plugins import BasePlugin, event_priority
from mkdocs.structure.files import File
from mkdocs.utils import get_relative_url

from annotate.drift.lock import LOCK_NAME
from annotate.drift.states import NoteState
from annotate.errors import AnnotateError, Problem
from annotate.examples.fences import register_fences
from annotate.examples.limits import Limits
from annotate.guide import read_guide
from annotate.notes.published import unchecked_files
from annotate.notes.read import translated_stem
from annotate.site import labels, theme
from annotate.site.absent import absent_objects, mark_absent
from annotate.site.build import SiteBuild
from annotate.site.diagrams import svg_links_as_xlink
from annotate.site.history_views import releases_up_to
from annotate.site.languages import counterpart, sitemap
from annotate.site.maintenance import orphan_places
from annotate.site.serve_errors import show_failed_rebuilds

if TYPE_CHECKING:
    from collections.abc import Callable

    from mkdocs.config.defaults import MkDocsConfig
    from mkdocs.structure.files import Files
    from mkdocs.structure.nav import Navigation
    from mkdocs.structure.pages import Page
    from mkdocs.utils.templates import TemplateContext

    from annotate.guide import Guide

log = logging.getLogger("mkdocs.plugins.annotate")
# jieba, which Material's search uses to cut Chinese into words, reports its start-up at INFO.
logging.getLogger("jieba").setLevel(logging.WARNING)


def _not_instant_warning(record: logging.LogRecord) -> bool:
    # mkdocs-static-i18n warns that instant navigation keeps a stale language switch;
    # `assets/language.js` finds the other language's page from the address instead.
    return "not compatible with theme.features = navigation.instant" not in record.getMessage()


logging.getLogger("mkdocs.plugins.mkdocs_static_i18n.reconfigure").addFilter(_not_instant_warning)


def _failure(what: str, problems: list[Problem]) -> PluginError:
    lines = "\n".join(f"  {problem}" for problem in problems)
    return PluginError(f"annotate: {len(problems)} {what}:\n{lines}")


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
    example_memory_mb = opt.Type(int, default=4096)
    """Address space the example worker may use, torch included; past it allocations fail."""
    example_output_mb = opt.Type((int, float), default=1)
    """What one example may print; more fails the build."""
    orphans = opt.Choice(("fail", "list"), default="fail")
    """`fail`: an orphaned note fails the build. `list`: it is left out, and listed on every
    page's banner and on the maintenance page, to preview an upgrade in one pass
    (`ANNOTATE_ORPHANS=list mkdocs serve` with this repository's `mkdocs.yml`) or build the
    guide of an older torch; a function a chapter embeds that this torch lacks is shown absent."""
    example_sandbox = opt.Choice(("auto", "required", "off"), default="auto")
    """Run examples in bubblewrap (read-only files but their own folder, their own processes):
    `auto` where it works, `required` fails the build where it does not."""


class AnnotatePlugin(BasePlugin[AnnotateConfig]):
    """Builds the guide from the installed torch; list it before `mkdocstrings`."""

    def __init__(self) -> None:
        self.build: SiteBuild | None = None
        self.guide: Guide | None = None
        self._configured: MkDocsConfig | None = None
        self._cache = Path()
        self._unbound_markdown: tuple[list[Any], dict[str, Any]] = ([], {})
        self._urls: list[str] = []
        self._rewrite: Callable[[str], str] | None = None
        self._orphans: list[str] = []

    def on_config(self, config: MkDocsConfig) -> MkDocsConfig:
        # mkdocs-static-i18n builds each further language again with the same configuration:
        # the guide is read, and the configuration changed, once per configuration.
        language = _language(config)
        if self._configured is not config:
            self._read(config)
        assert self.guide is not None
        self._close()
        self.build = SiteBuild(
            self.guide.in_language(language),
            cache_dir=self._cache,
            example_timeout=self.config.example_timeout,
            example_limits=Limits(
                memory_mb=self.config.example_memory_mb,
                output_mb=self.config.example_output_mb,
                sandbox=self.config.example_sandbox,
            ),
            file_pages=self.config.file_pages,
            coverage_page=self.config.coverage_page,
            maintenance_page=self.config.maintenance_page,
        )
        self.build.unbound_markdown = self._unbound_markdown
        self.build.markdown = (config.markdown_extensions, config.mdx_configs)
        self.build.rewrite = self._rewrite
        maintenance = self.config.maintenance_page
        config.extra["annotate_build"] = theme.build_info(
            self.guide.snapshot,
            language,
            orphans=self._orphans,
            maintenance=_generated(config, maintenance, "", language).url if maintenance else "",
        )
        return config

    def _read(self, config: MkDocsConfig) -> None:
        """Read the guide, and set up the configuration for it."""
        self._cache = Path(config.config_file_path).parent / self.config.cache_dir
        notes_dir = Path(config.docs_dir) / self.config.notes_dir
        try:
            guide, problems = read_guide(
                notes_dir,
                snapshot_dir=self._cache / "snapshot",
                torch_root=self.config.torch_root,
                lock_file=notes_dir / self.config.lock_file,
                allow_orphaned=self.config.orphans == "list",
            )
        except AnnotateError as error:
            raise PluginError(f"annotate: {error}") from None
        problems += [p for lang in _all_languages(config) for p in labels.catalog_problems(lang)]
        if problems:
            raise _failure("note problem(s)", problems)
        version, commit = guide.snapshot.version, guide.snapshot.commit[:12] or "commit unknown"
        log.info(
            "annotate: torch %s (%s), %d notes, %d translations",
            version,
            commit,
            len(guide.notes),
            len(guide.translations),
        )
        drifted = [f"{n}: {s}" for n, s in sorted(guide.states.items()) if s != NoteState.FRESH]
        if drifted:
            log.info(
                "annotate: %d note(s) not fresh (%s); `annotate check` tells why",
                len(drifted),
                ", ".join(drifted),
            )
        mkdocstrings = config.plugins.get("mkdocstrings")
        if mkdocstrings is None:
            raise PluginError(
                "annotate: add the `mkdocstrings` plugin after `annotate` in mkdocs.yml"
            )
        if mkdocstrings.config.custom_templates is None:
            mkdocstrings.config.custom_templates = str(theme.TEMPLATES_DIR)
        mkdocstrings.config.handlers.setdefault("python", {})["paths"] = [str(guide.snapshot.root)]
        markdown_exec = config.plugins.get("markdown-exec")
        try:
            releases_up_to(guide.snapshot.release)  # a damaged release record stops here
        except AnnotateError as error:
            raise PluginError(f"annotate: {error}") from None
        self._unbound_markdown = (config.markdown_extensions, dict(config.mdx_configs))
        if self.config.orphans == "list":
            # Another torch than the chapters were written for: what it lacks is shown absent.
            self._rewrite = functools.partial(
                mark_absent, index=guide.index, version=guide.snapshot.version
            )
        try:
            config.mdx_configs = register_fences(
                config.mdx_configs,
                _weakly(self._format_example),
                markdown_exec=markdown_exec.config.languages if markdown_exec else None,
            )
        except AnnotateError as error:
            raise PluginError(f"annotate: {error}") from None
        assets = theme.assets()
        config.extra_css.extend(f"assets/{p.name}" for p in assets if p.suffix == ".css")
        config.extra_javascript.extend(f"assets/{p.name}" for p in assets if p.suffix == ".js")
        self._orphans = orphan_places(guide) if self.config.orphans == "list" else []
        if self._orphans:
            log.info(
                "annotate: orphans: list, %d orphaned note(s) and line note(s) left out: %s",
                len(self._orphans),
                ", ".join(self._orphans),
            )
        # In front of the theme's own templates, behind a project's `custom_dir`.
        config.theme.dirs.insert(1 if config.theme.custom_dir else 0, str(theme.THEME_DIR))
        self.guide = guide
        self._configured = config

    def _format_example(self, *args: Any, **kwargs: Any) -> str:
        """The example fences' formatter, in whichever language is being built."""
        assert self.build is not None
        return self.build.examples.format(*args, **kwargs)

    def on_env(self, env: Any, *, config: MkDocsConfig, files: Files) -> Any:
        labels.install(env, _language(config))
        return env

    # After mkdocs-static-i18n's (-100), which would drop generated files: it re-reads each file
    # from `docs_dir`.
    @event_priority(-110)
    def on_files(self, files: Files, *, config: MkDocsConfig) -> Files:
        assert self.build is not None
        handlers: Any = config.plugins["mkdocstrings"].handlers  # type: ignore[attr-defined]
        self.build.prepare_templates(handlers.get_handler("python").env)
        notes_prefix = self.config.notes_dir.strip("/") + "/"
        docs = Path(config.docs_dir)
        pages = (
            _nav_pages(config.nav)
            if config.nav
            else [f.src_uri for f in files.documentation_pages()]
        )
        unchecked = unchecked_files(
            docs,
            pages=pages,
            notes_dir=docs / notes_prefix,
            generated=self.build.pages,
            languages=_all_languages(config),
        )
        if unchecked:
            raise _failure("file(s) cannot be published as they are", unchecked)
        for file in [f for f in files if f.src_uri.startswith(notes_prefix)]:
            files.remove(file)  # notes are shown with their objects, not as pages of their own
        self.build.run_examples_first(
            [
                (Path(f.abs_src_path), _shown_as(f.abs_src_path, config))
                for f in files.documentation_pages()
                if f.abs_src_path
            ]
        )
        for asset in theme.assets():
            files.append(File.generated(config, f"assets/{asset.name}", abs_src_path=str(asset)))
        language = _language(config)
        for page in self.build.pages.values():
            files.append(_generated(config, page.uri, page.markdown, language))
        return files

    def on_page_markdown(
        self, markdown: str, *, page: Page, config: MkDocsConfig, files: Files
    ) -> str:
        assert self.build is not None
        path = Path(page.file.abs_src_path or Path(config.docs_dir, page.file.src_path))
        source = page.file.content_string
        if self.build.rewrite is not None:
            if absent := absent_objects(source, self.build.guide.index):
                log.info(
                    "annotate: %s: not in this torch: %s", page.file.src_uri, ", ".join(absent)
                )
            markdown, source = self.build.rewrite(markdown), self.build.rewrite(source)
        # With its front matter, so that line numbers match.
        problems = self.build.read_page(
            _base_uri(page.file.src_uri),
            source,
            shown_as=_shown_as(path, config),
            file=Path(page.file.abs_src_path or page.file.src_uri),
        )
        if problems:
            raise _failure("page problem(s)", problems)
        return markdown

    def on_page_content(self, html: str, *, page: Page, config: MkDocsConfig, files: Files) -> str:
        assert self.build is not None
        autorefs: Any = config.plugins.get("autorefs")

        def url_of(uri: str) -> str | None:
            file = files.get_file_from_path(uri)
            return get_relative_url(file.url, page.url) if file is not None else None

        def register(identifier: str, anchor: str, primary: bool) -> None:
            autorefs.register_anchor(page, identifier, anchor, primary=primary)

        if page.canonical_url:
            self._urls.append(page.canonical_url)
        return self.build.page_html(
            _base_uri(page.file.src_uri),
            html,
            url_of=url_of,
            register_anchor=register if autorefs else None,
            english_page=get_relative_url(
                counterpart(
                    page.url,
                    "en",
                    default=_default_language(config),
                    languages=_languages(config),
                )
                or ".",
                page.url,
            ),
        )

    def on_page_context(
        self, context: TemplateContext, *, page: Page, config: MkDocsConfig, nav: Navigation
    ) -> TemplateContext:
        # After mkdocs-static-i18n's (50), which points the switch at this page in each language
        # (and leaves a generated page the switch of the page before it). Material's instant
        # navigation takes each link for a language's home, beside its sitemap, and finds the
        # same page there itself; `assets/language.js` keeps the place on the page.
        languages, default = _languages(config), _default_language(config)
        # mkdocs-static-i18n sets it as an attribute, which templates read before the item.
        for alternate in getattr(config.extra, "alternate", None) or []:
            if alternate.get("lang") in languages:
                lang = alternate["lang"]
                alternate["link"] = "./" if lang == default else f"{lang}/"
        return context

    def on_post_page(self, output: str, *, page: Page, config: MkDocsConfig) -> str:
        return svg_links_as_xlink(output)

    def on_post_build(self, *, config: MkDocsConfig) -> None:
        assert self.build is not None
        self._close()
        language = _language(config)
        if language != _default_language(config):
            folder = Path(config.site_dir) / language
            folder.mkdir(parents=True, exist_ok=True)
            (folder / "sitemap.xml").write_text(sitemap(self._urls), encoding="utf-8")
        self._urls = []
        _forget_markdown_instances()
        if summary := self.build.examples_summary():
            log.info("annotate: %s", summary)
        if self.build.examples.failures:
            raise PluginError(f"annotate: {self.build.examples.failure_report()}")
        if missing := self.build.unshown_notes():
            raise _failure("note(s) would be lost", missing)

    def on_serve(self, server: Any, *, config: MkDocsConfig, builder: Any) -> Any:
        return show_failed_rebuilds(server, site_dir=config.site_dir, language=_language(config))

    def on_build_error(self, *, error: Exception) -> None:
        self._close()

    def on_shutdown(self) -> None:
        self._close()

    def _close(self) -> None:
        if self.build is not None:
            self.build.close()


def _nav_pages(nav: list[Any]) -> list[str]:
    """The Markdown files `nav:` names, at any depth."""
    found: list[str] = []
    for item in nav:
        values = item.values() if isinstance(item, dict) else [item]
        for value in values:
            if isinstance(value, list):
                found += _nav_pages(value)
            elif isinstance(value, str) and not value.startswith(("http:", "https:", "/")):
                found.append(value)
    return found


def _shown_as(path: str | Path, config: MkDocsConfig) -> str:
    """How messages name a page: its path from the project folder."""
    path, base = Path(path), Path(config.config_file_path).parent
    return (path.relative_to(base) if path.is_relative_to(base) else path).as_posix()


def _weakly(method: Callable[..., str]) -> Callable[..., str]:
    """`method`, called through a weak reference.

    Libraries keep configurations of past builds in caches of their own (mkdocstrings keeps
    each build's Jinja environment, with its Markdown options); through the fence formatter,
    those would keep this plugin's whole build alive under `mkdocs serve`.
    """
    ref = weakref.WeakMethod(method)

    def call(*args: Any, **kwargs: Any) -> str:
        bound = ref()
        if bound is None:
            raise PluginError("annotate: an example fence outlived its build")
        return bound(*args, **kwargs)

    return call


def _forget_markdown_instances() -> None:
    """Empty two caches keyed by objects of one build, which would keep every build alive.

    markdown-exec caches every Markdown instance it has seen, without bound; mkdocstrings-python
    caches template look-ups by Jinja environment. Under `mkdocs serve` they kept about 40 MB a
    rebuild; each only saves a look-up on a live object.
    """
    import importlib

    for module, name in (
        ("markdown_exec._internal.rendering", "_register_headings_processors"),
        ("mkdocstrings_handlers.python._internal.rendering", "_test_existing_template"),
    ):
        try:
            cached = getattr(importlib.import_module(module), name, None)
        except ImportError:
            continue
        clear = getattr(cached, "cache_clear", None)
        if callable(clear):
            clear()


def _language(config: MkDocsConfig) -> str:
    """The language being built: mkdocs-static-i18n's current one, else English."""
    i18n = config.plugins.get("i18n")
    current = getattr(i18n, "current_language", None) or getattr(i18n, "default_language", None)
    return str(current or "en")


def _all_languages(config: MkDocsConfig) -> list[str]:
    """Every language mkdocs-static-i18n knows, built or not."""
    return [str(lang) for lang in getattr(config.plugins.get("i18n"), "all_languages", [])]


def _default_language(config: MkDocsConfig) -> str:
    """The language at the site's root: mkdocs-static-i18n's default one, else English."""
    return str(getattr(config.plugins.get("i18n"), "default_language", None) or "en")


def _languages(config: MkDocsConfig) -> list[str]:
    """Every language mkdocs-static-i18n builds (none without it)."""
    i18n = config.plugins.get("i18n")
    return [str(lang) for lang in getattr(i18n, "build_languages", [])]


def _generated(config: MkDocsConfig, uri: str, markdown: str, language: str) -> File:
    """The generated page `uri` in `language`, where mkdocs-static-i18n puts that language's
    pages (`zh/files/module/`); the navigation finds it as `files/module.zh.md`."""
    if language == _default_language(config):
        return File.generated(config, uri, content=markdown)
    file = File.generated(config, f"{uri.removesuffix('.md')}.{language}.md", content=markdown)
    english = File.generated(config, uri, content="")
    file.dest_uri = f"{language}/{english.dest_uri}"
    return file


def _base_uri(src_uri: str) -> str:
    """`chapters/x.md` of `chapters/x.zh.md`: a page by the name of its English original."""
    return f"{translated_stem(src_uri)}.md" if src_uri.endswith(".md") else src_uri
