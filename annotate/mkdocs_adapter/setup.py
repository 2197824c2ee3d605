"""The guide read once per configuration, the configuration set up for it, and a build per language.

mkdocs-static-i18n builds each further language again with the same configuration: `read_guide`
runs once for it, `new_build` once per language.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from mkdocs.exceptions import PluginError

from annotate.examples.fences import register_fences
from annotate.guide import read_guide
from annotate.mkdocs_adapter import languages, report, site_files
from annotate.notes.verdicts import Verdicts
from annotate.site import labels, theme
from annotate.site.absent import mark_absent
from annotate.site.build import SiteBuild
from annotate.site.history_views import releases_up_to
from annotate.site.kept import Kept
from annotate.site.maintenance import orphan_places

if TYPE_CHECKING:
    from collections.abc import Callable

    from mkdocs.config.defaults import MkDocsConfig

    from annotate.guide import Guide
    from annotate.mkdocs_adapter.options import AnnotateConfig


@dataclass(frozen=True, kw_only=True)
class GuideSetup:
    """The guide as read for one configuration, and what every build of it shares."""

    config: MkDocsConfig
    """The configuration it was read for."""
    guide: Guide
    cache_dir: Path
    """Where the snapshot and build data live."""
    unbound_markdown: tuple[list[Any], dict[str, Any]]
    """The site's Markdown extensions and options before the example fences were bound."""
    rewrite: Callable[[str], str] | None = None
    """What a build does to a page's text before reading it (`mark_absent`), if anything."""
    orphans: list[str] = field(default_factory=list)
    """The places of the notes left out (`orphans: list`)."""
    verdicts: Verdicts | None = None
    """What the pages' texts were judged to hold, kept between builds (`notes.verdicts`)."""


def read(
    config: MkDocsConfig, options: AnnotateConfig, /, *, fence: Callable[..., str]
) -> GuideSetup:
    """Read the guide, fail on its problems, and set up `config` for it.

    mkdocstrings gets the templates and the snapshot's path; the Python fences are formatted by
    `fence`; the theme gets the guide's assets and template overrides.
    """
    cache_dir = Path(config.config_file_path).parent / options.cache_dir
    notes_dir = Path(config.docs_dir) / options.notes_dir
    listing = options.orphans == "list"
    with report.library_errors():
        guide, problems = read_guide(
            notes_dir,
            snapshot_dir=cache_dir / "snapshot",
            torch_root=options.torch_root,
            lock_file=notes_dir / options.lock_file,
            allow_orphaned=listing,
        )
    problems += [p for lang in languages.known(config) for p in labels.catalog_problems(lang)]
    report.fail("note problem(s)", problems)
    orphans = orphan_places(guide) if listing else []
    report.guide_read(guide, orphans=orphans)
    mkdocstrings = config.plugins.get("mkdocstrings")
    if mkdocstrings is None:
        raise PluginError("annotate: add the `mkdocstrings` plugin after `annotate` in mkdocs.yml")
    if mkdocstrings.config.custom_templates is None:
        mkdocstrings.config.custom_templates = str(theme.TEMPLATES_DIR)
    mkdocstrings.config.handlers.setdefault("python", {})["paths"] = [str(guide.snapshot.root)]
    markdown_exec = config.plugins.get("markdown-exec")
    # Copies: the plugins after this one (mkdocstrings, autorefs) add their extensions to the
    # lists themselves, and the first pass over the examples has no use for them.
    unbound = (list(config.markdown_extensions), dict(config.mdx_configs))
    with report.library_errors():
        releases_up_to(guide.snapshot.release)  # a damaged release record stops here
        config.mdx_configs = register_fences(
            config.mdx_configs,
            fence,
            markdown_exec=markdown_exec.config.languages if markdown_exec else None,
        )
    assets = theme.assets()
    config.extra_css.extend(f"assets/{p.name}" for p in assets if p.suffix == ".css")
    config.extra_javascript.extend(f"assets/{p.name}" for p in assets if p.suffix == ".js")
    # In front of the theme's own templates, behind a project's `custom_dir`.
    config.theme.dirs.insert(1 if config.theme.custom_dir else 0, str(theme.THEME_DIR))
    return GuideSetup(
        config=config,
        guide=guide,
        cache_dir=cache_dir,
        unbound_markdown=unbound,
        # Another torch than the chapters were written for: what it lacks is shown absent.
        rewrite=functools.partial(mark_absent, index=guide.index, version=guide.snapshot.version)
        if listing
        else None,
        orphans=orphans,
        verdicts=Verdicts(cache_dir / "verdicts"),
    )


def new_build(
    setup: GuideSetup,
    options: AnnotateConfig,
    config: MkDocsConfig,
    /,
    *,
    kept: Kept | None = None,
) -> SiteBuild:
    """The build of the language `config` is being built in, and the version banner told of it;
    `kept` is what the language's earlier builds left, in this process or on disk."""
    language = languages.current(config)
    build = SiteBuild(
        setup.guide.in_language(language),
        cache_dir=setup.cache_dir,
        example_timeout=options.example_timeout,
        example_limits=options.limits,
        file_pages=options.file_pages,
        coverage_page=options.coverage_page,
        maintenance_page=options.maintenance_page,
        markdown=(config.markdown_extensions, config.mdx_configs),
        unbound_markdown=setup.unbound_markdown,
        rewrite=setup.rewrite,
        kept=kept,
        project=Path(config.config_file_path).parent if config.config_file_path else None,
    )
    maintenance = options.maintenance_page
    config.extra["annotate_build"] = theme.build_info(
        setup.guide.snapshot,
        language,
        orphans=setup.orphans,
        maintenance=site_files.generated_file(config, maintenance, "", language=language).url
        if maintenance
        else "",
    )
    return build


def mkdocstrings_templates(config: MkDocsConfig, /) -> Any:
    """The Jinja environment mkdocstrings-python renders chapters' objects with."""
    handlers: Any = config.plugins["mkdocstrings"].handlers  # type: ignore[attr-defined]
    return handlers.get_handler("python").env
