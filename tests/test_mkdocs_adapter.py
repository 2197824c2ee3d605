"""The MkDocs side of the guide, tested on loaded configurations without a build."""

from __future__ import annotations

import logging
from pathlib import Path

import pytest
from mkdocs.config import load_config
from mkdocs.exceptions import PluginError

from annotate.errors import Problem, SnapshotError
from annotate.mkdocs_adapter import languages, report, site_files
from tests.conftest import ROOT


@pytest.fixture
def bilingual(monkeypatch: pytest.MonkeyPatch):
    """The repository's configuration, both languages built, as mkdocs-static-i18n loads it."""
    monkeypatch.setenv("ANNOTATE_CHINESE", "true")
    config = load_config(str(ROOT / "mkdocs.yml"))
    config.plugins.on_startup(command="build", dirty=False)  # MkDocs' plugins, as in a build
    yield config
    config.plugins.on_shutdown()


@pytest.fixture
def plain(tmp_path: Path):
    """A site without mkdocs-static-i18n."""
    (tmp_path / "docs").mkdir()
    config_file = tmp_path / "mkdocs.yml"
    config_file.write_text("site_name: plain\n", encoding="utf-8")
    return load_config(str(config_file), site_dir=str(tmp_path / "site"))


def test_the_language_under_way_is_what_the_i18n_plugin_says(bilingual):
    assert languages.default(bilingual) == "en"
    assert languages.known(bilingual) == ["en", "zh"]
    assert languages.built(bilingual) == ["en", "zh"]
    assert languages.current(bilingual) == "en"  # before it starts a language: its default
    bilingual.plugins["i18n"].current_language = "zh"  # as it sets it for each further build
    assert languages.current(bilingual) == "zh"
    assert languages.default(bilingual) == "en"


def test_a_language_not_built_is_known_but_not_built(monkeypatch: pytest.MonkeyPatch):
    monkeypatch.setenv("ANNOTATE_CHINESE", "false")
    config = load_config(str(ROOT / "mkdocs.yml"))
    assert languages.known(config) == ["en", "zh"]
    assert languages.built(config) == ["en"]


def test_without_the_i18n_plugin_the_site_is_english(plain):
    assert languages.current(plain) == languages.default(plain) == "en"
    assert languages.built(plain) == languages.known(plain) == []


def test_a_generated_page_goes_where_its_language_puts_pages(bilingual):
    english = site_files.generated_file(bilingual, "files/module.md", "# x", language="en")
    assert (english.src_uri, english.dest_uri, english.url) == (
        "files/module.md",
        "files/module/index.html",
        "files/module/",
    )
    chinese = site_files.generated_file(bilingual, "files/module.md", "# x", language="zh")
    # The navigation finds it by the suffix, readers under the language's folder.
    assert chinese.src_uri == "files/module.zh.md"
    assert chinese.dest_uri == "zh/files/module/index.html"
    assert chinese.url == "zh/files/module/"
    assert chinese.content_string == "# x"


def test_a_further_language_gets_its_sitemap_beside_its_home(bilingual, tmp_path: Path):
    bilingual.site_dir = str(tmp_path)
    assert languages.write_sitemap(bilingual, ["http://x/"]) is None  # the root has its own
    assert not list(tmp_path.iterdir())
    bilingual.plugins["i18n"].current_language = "zh"
    written = languages.write_sitemap(bilingual, ["http://x/zh/", "http://x/zh/a&b/"])
    assert written == tmp_path / "zh" / "sitemap.xml"
    text = written.read_text(encoding="utf-8")
    assert "<loc>http://x/zh/</loc>" in text and "<loc>http://x/zh/a&amp;b/</loc>" in text


def test_the_language_switch_names_each_language_home(bilingual):
    bilingual.extra.alternate = [
        {"lang": "en", "link": "/chapters/calling/"},
        {"lang": "zh", "link": "/zh/chapters/calling/"},
        {"lang": "fr", "link": "/fr/"},  # not built here: left as it is
    ]
    languages.point_switch_at_homes(bilingual)
    assert [a["link"] for a in bilingual.extra.alternate] == ["./", "zh/", "/fr/"]


def test_the_navigation_names_its_pages_at_any_depth(bilingual):
    named = site_files.nav_pages(bilingual.nav)
    assert named[0] == "index.md"
    assert "chapters/calling.md" in named and "files/module.md" in named
    assert site_files.nav_pages([{"A": [{"B": ["x.md", "https://example.org/", "/abs"]}]}]) == [
        "x.md"
    ]


def test_a_page_is_named_from_the_project_folder_and_by_its_english_original(bilingual):
    inside = Path(bilingual.docs_dir) / "chapters" / "calling.md"
    assert site_files.shown_as(inside, bilingual) == "docs/chapters/calling.md"
    assert site_files.shown_as("/elsewhere/x.md", bilingual) == "/elsewhere/x.md"
    assert site_files.base_uri("chapters/calling.zh.md") == "chapters/calling.md"
    assert site_files.base_uri("chapters/calling.md") == "chapters/calling.md"
    assert site_files.base_uri("assets/a.zh.css") == "assets/a.zh.css"


def test_problems_fail_the_build_one_a_line_and_library_errors_without_a_traceback():
    report.fail("note problem(s)", [])  # nothing to say: no failure
    problems = [
        Problem(file=Path("a.md"), line=3, message="bad", fix="mend it"),
        Problem(file=Path("b.md"), line=1, message="worse"),
    ]
    with pytest.raises(PluginError) as failed:
        report.fail("note problem(s)", problems)
    assert (
        str(failed.value) == "annotate: 2 note problem(s):\n  a.md:3: bad; mend it\n  b.md:1: worse"
    )
    with (
        pytest.raises(PluginError, match=r"^annotate: no torch here$") as failed,
        report.library_errors(),
    ):
        raise SnapshotError("no torch here")
    assert failed.value.__cause__ is None and failed.value.__suppress_context__


def test_the_i18n_warning_about_instant_navigation_is_filtered_once():
    report.quiet_other_plugins()
    report.quiet_other_plugins()
    logger = logging.getLogger("mkdocs.plugins.mkdocs_static_i18n.reconfigure")
    assert sum(f is report._not_instant_warning for f in logger.filters) == 1
    record = logger.makeRecord(
        logger.name,
        logging.WARNING,
        __file__,
        1,
        "not compatible with theme.features = navigation.instant",
        (),
        None,
    )
    assert not logger.filter(record)
    assert logging.getLogger("jieba").getEffectiveLevel() == logging.WARNING


def test_the_example_options_make_the_limits(bilingual):
    options = bilingual.plugins["annotate"].config
    limits = options.limits
    assert limits.memory_mb == options.example_memory_mb
    assert limits.output_mb == options.example_output_mb
    assert limits.sandbox == options.example_sandbox


def test_the_examples_first_pass_reads_pages_without_rendering_objects(bilingual, tmp_path):
    """mkdocstrings and autorefs add their extensions to the site's list after this plugin set
    up: the first pass, which only looks for examples, must not render every object again."""
    bilingual.site_dir = str(tmp_path / "site")
    config = bilingual.plugins.on_config(bilingual)
    extensions, _ = config.plugins["annotate"].setup.unbound_markdown
    names = {type(e).__module__.split(".")[0] for e in config.markdown_extensions}
    assert "mkdocstrings" in names
    assert "mkdocstrings" not in {type(e).__module__.split(".")[0] for e in extensions}
    assert all(isinstance(e, str) or e in config.markdown_extensions for e in extensions)
