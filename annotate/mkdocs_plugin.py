"""MkDocs plugin: wires the guide into a build; the work is in `annotate.mkdocs_adapter`."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from mkdocs.exceptions import PluginError
from mkdocs.plugins import BasePlugin, event_priority

from annotate.mkdocs_adapter import caches, kept_builds, languages, pages, report, setup, site_files
from annotate.mkdocs_adapter.options import AnnotateConfig
from annotate.site import labels
from annotate.site.diagrams import svg_links_as_xlink
from annotate.site.search_view import SetAside
from annotate.site.serve_errors import show_failed_rebuilds

if TYPE_CHECKING:
    from mkdocs.config.defaults import MkDocsConfig
    from mkdocs.structure.files import Files
    from mkdocs.structure.nav import Navigation
    from mkdocs.structure.pages import Page
    from mkdocs.utils.templates import TemplateContext

    from annotate.site.build import SiteBuild

__all__ = ["AnnotateConfig", "AnnotatePlugin"]

report.quiet_other_plugins()


class AnnotatePlugin(BasePlugin[AnnotateConfig]):
    """Builds the guide from the installed torch; list it before `mkdocstrings`."""

    def __init__(self) -> None:
        self.setup: setup.GuideSetup | None = None
        """The guide read for the current configuration, shared by its languages' builds."""
        self.build: SiteBuild | None = None
        """The build under way, one per language."""
        self._urls: list[str] = []
        self._aside = SetAside()
        """What search need not parse of each page, set aside until the page is written."""
        self._kept = kept_builds.KeptBuilds()
        """What each language's builds leave for the next one, in this process and on disk."""

    def on_config(self, config: MkDocsConfig) -> MkDocsConfig:
        if self.setup is None or self.setup.config is not config:
            self.setup = setup.read(config, self.config, fence=caches.weakly(self._format_example))
        self._close()
        self._aside = SetAside()
        self.build = setup.new_build(
            self.setup,
            self.config,
            config,
            kept=self._kept.for_build(config, cache_dir=self.setup.cache_dir),
        )
        languages.translate_permalinks(config)
        return config

    def _format_example(self, *args: Any, **kwargs: Any) -> str:
        """The example fences' formatter, in whichever language is being built."""
        return self._build().examples.format(*args, **kwargs)

    def on_env(self, env: Any, *, config: MkDocsConfig, files: Files) -> Any:
        labels.install(env, languages.current(config))
        self._build().cache_theme_templates(env)
        return env

    # After mkdocs-static-i18n's (-100), which would drop generated files: it re-reads each file
    # from `docs_dir`.
    @event_priority(-110)
    def on_files(self, files: Files, *, config: MkDocsConfig) -> Files:
        build, notes_dir = self._build(), self.config.notes_dir
        build.prepare_templates(setup.mkdocstrings_templates(config))
        unchecked = site_files.unchecked(
            files,
            config,
            build,
            notes_dir=notes_dir,
            verdicts=self.setup.verdicts if self.setup else None,
        )
        report.fail("file(s) cannot be published as they are", unchecked)
        site_files.drop_notes(files, notes_dir=notes_dir)
        build.run_examples_first(site_files.example_pages(files, config))
        # Search made its index in its `on_config`, which runs before this plugin's.
        kept_builds.reuse_search_entries(config, build.kept.search_entries)
        kept_builds.reuse_object_html(config, build)
        site_files.add_generated(files, config, build)
        return files

    def on_page_markdown(
        self, markdown: str, *, page: Page, config: MkDocsConfig, files: Files
    ) -> str:
        return pages.read_markdown(self._build(), markdown, page, config)

    def on_page_content(self, html: str, *, page: Page, config: MkDocsConfig, files: Files) -> str:
        if page.canonical_url:
            self._urls.append(page.canonical_url)
        return pages.complete_html(self._build(), html, page, config, files)

    # After mkdocs-static-i18n's (50), which points the switch at this page in each language;
    # before search's (0), which parses the page.
    @event_priority(40)
    def on_page_context(
        self, context: TemplateContext, *, page: Page, config: MkDocsConfig, nav: Navigation
    ) -> TemplateContext:
        languages.point_switch_at_homes(config)
        if page.content:
            page.content = self._aside.cut(page.url, page.content)
        return context

    def on_post_page(self, output: str, *, page: Page, config: MkDocsConfig) -> str:
        return svg_links_as_xlink(self._aside.put_back(page.url, output))

    def on_post_build(self, *, config: MkDocsConfig) -> None:
        build = self._build()
        self._close()
        self._kept.finish(config, build.kept)
        languages.write_sitemap(config, self._urls)
        self._urls = []
        caches.forget_markdown_instances()
        caches.release_freed_memory()
        report.build_done(build.examples_summary())
        if build.examples.failures:
            raise PluginError(f"annotate: {build.examples.failure_report()}")
        report.fail("note(s) would be lost", build.unshown_notes())

    def on_serve(self, server: Any, *, config: MkDocsConfig, builder: Any) -> Any:
        return show_failed_rebuilds(
            server, site_dir=config.site_dir, language=languages.current(config)
        )

    def on_build_error(self, *, error: Exception) -> None:
        self._kept.failed()
        self._close()

    def on_shutdown(self) -> None:
        self._close()

    def _build(self) -> SiteBuild:
        if self.build is None:
            raise PluginError("annotate: the plugin's `on_config` did not run")
        return self.build

    def _close(self) -> None:
        if self.build is not None:
            self.build.close()
