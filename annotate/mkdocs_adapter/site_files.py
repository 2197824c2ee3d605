"""The files of a site: which pages the navigation names, how messages name a page, and where
the guide's generated pages and assets go among MkDocs' files."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

from mkdocs.config import load_config
from mkdocs.exceptions import Abort, ConfigurationError
from mkdocs.structure.files import File, get_files

from annotate.errors import AnnotateError
from annotate.mkdocs_adapter import languages
from annotate.mkdocs_adapter.options import AnnotateConfig
from annotate.notes.published import unchecked_files
from annotate.notes.read import translated_stem
from annotate.site import theme

if TYPE_CHECKING:
    from mkdocs.config.defaults import MkDocsConfig
    from mkdocs.structure.files import Files

    from annotate.errors import Problem
    from annotate.notes.verdicts import Verdicts
    from annotate.site.build import SiteBuild

_NOTES_DIR = AnnotateConfig().notes_dir
"""The notes folder, under `docs_dir`, of a configuration that does not name one."""


def nav_pages(nav: list[Any], /) -> list[str]:
    """The Markdown files `nav:` names, at any depth."""
    found: list[str] = []
    for item in nav:
        values = item.values() if isinstance(item, dict) else [item]
        for value in values:
            if isinstance(value, list):
                found += nav_pages(value)
            elif isinstance(value, str) and not value.startswith(("http:", "https:", "/")):
                found.append(value)
    return found


def shown_as(path: str | Path, config: MkDocsConfig, /) -> str:
    """How messages name a page: its path from the project folder."""
    path, base = Path(path), Path(config.config_file_path).parent
    return (path.relative_to(base) if path.is_relative_to(base) else path).as_posix()


def base_uri(src_uri: str, /) -> str:
    """`chapters/x.md` of `chapters/x.zh.md`: a page by the name of its English original."""
    return f"{translated_stem(src_uri)}.md" if src_uri.endswith(".md") else src_uri


def generated_file(config: MkDocsConfig, uri: str, markdown: str, /, *, language: str) -> File:
    """The generated page `uri` in `language`, where mkdocs-static-i18n puts that language's
    pages (`zh/files/module/`); the navigation finds it as `files/module.zh.md`."""
    if language == languages.default(config):
        return File.generated(config, uri, content=markdown)
    file = File.generated(config, f"{uri.removesuffix('.md')}.{language}.md", content=markdown)
    english = File.generated(config, uri, content="")
    file.dest_uri = f"{language}/{english.dest_uri}"
    return file


def unchecked(
    files: Files,
    config: MkDocsConfig,
    build: SiteBuild,
    /,
    *,
    notes_dir: str,
    verdicts: Verdicts | None = None,
) -> list[Problem]:
    """A problem for every file the site would publish without the guide checking it; an
    unchanged page is not judged again where `verdicts` kept what it was judged to hold."""
    docs = Path(config.docs_dir)
    pages = (
        nav_pages(config.nav) if config.nav else [f.src_uri for f in files.documentation_pages()]
    )
    return unchecked_files(
        docs,
        pages=pages,
        notes_dir=docs / notes_dir.strip("/"),
        generated=build.pages,
        languages=languages.known(config),
        verdicts=verdicts,
    )


def project_problems(config_file: Path, /) -> list[Problem]:
    """What a build of `config_file` would refuse to publish, found without building: every
    file under its `docs_dir` that is no note and no page the navigation names, and the active
    content of each page it names (chapters, the home page) and of their translations."""
    try:
        config = load_config(str(config_file))
    except (Abort, ConfigurationError, OSError) as error:
        raise AnnotateError(f"cannot read {config_file}: {error}") from error
    annotate = config.plugins.get("annotate")
    notes_dir = str(getattr(getattr(annotate, "config", None), "notes_dir", _NOTES_DIR))
    docs = Path(config.docs_dir)
    pages = (
        nav_pages(config.nav)
        if config.nav
        else [f.src_uri for f in get_files(config).documentation_pages()]
    )
    return unchecked_files(
        docs, pages=pages, notes_dir=docs / notes_dir.strip("/"), languages=languages.known(config)
    )


def drop_notes(files: Files, /, *, notes_dir: str) -> None:
    """Take the note files out: notes are shown with their objects, not as pages of their own."""
    prefix = notes_dir.strip("/") + "/"
    for file in [f for f in files if f.src_uri.startswith(prefix)]:
        files.remove(file)


def example_pages(files: Files, config: MkDocsConfig, /) -> list[tuple[Path, str]]:
    """Every page that may hold examples: its file, and its name in messages."""
    return [
        (Path(f.abs_src_path), shown_as(f.abs_src_path, config))
        for f in files.documentation_pages()
        if f.abs_src_path
    ]


def add_generated(files: Files, config: MkDocsConfig, build: SiteBuild, /) -> None:
    """Add the theme's assets and the build's generated pages, in the language being built."""
    for asset in theme.assets():
        files.append(File.generated(config, f"assets/{asset.name}", abs_src_path=str(asset)))
    language = languages.current(config)
    for page in build.pages.values():
        files.append(generated_file(config, page.uri, page.markdown, language=language))
