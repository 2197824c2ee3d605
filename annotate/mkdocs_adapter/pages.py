"""A page of MkDocs handed to the build: its Markdown read, its HTML completed."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

from mkdocs.utils import get_relative_url

from annotate.mkdocs_adapter import languages, report, site_files
from annotate.site.absent import absent_objects
from annotate.site.languages import counterpart

if TYPE_CHECKING:
    from mkdocs.config.defaults import MkDocsConfig
    from mkdocs.structure.files import Files
    from mkdocs.structure.pages import Page

    from annotate.site.build import SiteBuild


def read_markdown(build: SiteBuild, markdown: str, page: Page, config: MkDocsConfig, /) -> str:
    """Start `page` in the build, failing on its problems; its Markdown as the build rewrote it."""
    path = Path(page.file.abs_src_path or Path(config.docs_dir, page.file.src_path))
    source = page.file.content_string
    if build.rewrite is not None:
        if absent := absent_objects(source, build.guide.index):
            report.log.info(
                "annotate: %s: not in this torch: %s", page.file.src_uri, ", ".join(absent)
            )
        markdown, source = build.rewrite(markdown), build.rewrite(source)
    # With its front matter, so that line numbers match.
    problems = build.read_page(
        site_files.base_uri(page.file.src_uri),
        source,
        shown_as=site_files.shown_as(path, config),
        file=Path(page.file.abs_src_path or page.file.src_uri),
    )
    report.fail("page problem(s)", problems)
    return markdown


def complete_html(
    build: SiteBuild, html: str, page: Page, config: MkDocsConfig, files: Files, /
) -> str:
    """`page`'s rendered HTML completed by the build: links within the site relative to the
    page, the objects it shows registered with autorefs, its English page named."""
    autorefs: Any = config.plugins.get("autorefs")

    def url_of(uri: str) -> str | None:
        file = files.get_file_from_path(uri)
        return get_relative_url(file.url, page.url) if file is not None else None

    def register(identifier: str, anchor: str, primary: bool) -> None:
        autorefs.register_anchor(page, identifier, anchor, primary=primary)

    english = counterpart(
        page.url, "en", default=languages.default(config), languages=languages.built(config)
    )
    return build.page_html(
        site_files.base_uri(page.file.src_uri),
        html,
        url_of=url_of,
        register_anchor=register if autorefs else None,
        english_page=get_relative_url(english or ".", page.url),
    )
