"""The Chinese edition as built: every page in both languages, the notes in Chinese, the switch."""

from __future__ import annotations

import re
from pathlib import Path

from annotate.notes.read import read_notes
from annotate.site.labels import gettext
from tests.conftest import NOTES, copy_project, run_mkdocs
from tests.htmltree import parse


def html_pages(site: Path) -> set[str]:
    return {p.relative_to(site).as_posix() for p in site.rglob("*.html") if p.name != "404.html"}


def test_every_english_page_has_its_chinese_page_and_back(site):
    pages = html_pages(site)
    chinese = {p.removeprefix("zh/") for p in pages if p.startswith("zh/")}
    english = {p for p in pages if not p.startswith("zh/")}
    assert len(english) >= 14
    assert chinese == english


def _attr(html: str, name: str) -> list[str]:
    return re.findall(rf'{name}="([^"]*)"', html)


def test_the_chinese_pages_show_every_chinese_note_and_the_english_pages_none(site):
    zh_notes = {n.name for n in read_notes(NOTES) if n.lang == "zh"}
    assert len(zh_notes) >= 180
    shown_zh: set[str] = set()
    shown_en: set[str] = set()
    for page in html_pages(site):
        names = set(_attr((site / page).read_text(encoding="utf-8"), "data-an-note"))
        (shown_zh if page.startswith("zh/") else shown_en).update(names)
    assert zh_notes <= shown_zh
    assert not {n for n in shown_zh if not n.endswith(".zh.md")}, "English notes on Chinese pages"
    assert not {n for n in shown_en if n.endswith(".zh.md")}, "Chinese notes on English pages"


def test_chinese_pages_are_chinese_to_the_browser_and_in_the_guides_own_words(site):
    built_from = gettext("zh")("Built from")
    assert built_from != "Built from"
    for page in (
        "zh/index.html",
        "zh/chapters/state-dict/index.html",
        "zh/files/module/index.html",
    ):
        html = (site / page).read_text(encoding="utf-8")
        assert '<html lang="zh"' in html, page
        assert f"{built_from} <strong>torch" in html, page  # the version banner
    english = (site / "chapters/state-dict/index.html").read_text(encoding="utf-8")
    assert '<html lang="en"' in english and f"{built_from} <strong>" not in english


def _heading_ids(html: str) -> list[str]:
    (article,) = parse(html).find_all("article")
    return [
        h.attrs["id"]
        for h in article.iter()
        if h.tag in ("h1", "h2", "h3") and h.attrs.get("id") and "doc-heading" not in h.classes
    ]


def test_each_chinese_chapter_keeps_the_english_chapters_anchors(site):
    chapters = sorted((site / "chapters").iterdir())
    assert len(chapters) == 8
    for chapter in chapters:
        en = _heading_ids((chapter / "index.html").read_text(encoding="utf-8"))
        zh = _heading_ids(
            (site / "zh/chapters" / chapter.name / "index.html").read_text(encoding="utf-8")
        )
        assert en and en == zh, chapter.name


def test_the_language_switch_of_every_page_names_each_languages_home(site):
    # Material's instant navigation finds the same page from there, by the language's sitemap.
    for page in html_pages(site):
        html = (site / page).read_text(encoding="utf-8")
        links = {
            lang: href
            for href, lang in re.findall(
                r'<a href="([^"]*)" hreflang="(en|zh)"\s+class="md-select__link"', html
            )
        }
        assert set(links) == {"en", "zh"}, page
        here = (site / page).parent
        assert (here / links["en"]).resolve() == site.resolve(), (page, links)
        assert (here / links["zh"]).resolve() == (site / "zh").resolve(), (page, links)
    sitemap = (site / "zh/sitemap.xml").read_text(encoding="utf-8")
    assert sitemap.count("<loc>") == len([p for p in html_pages(site) if p.startswith("zh/")])


def test_a_changed_english_note_marks_its_translation_behind_on_the_page(tmp_path):
    config = copy_project(tmp_path)
    english = config.parent / "docs/notes/module/Module.to.md"
    english.write_text(
        english.read_text(encoding="utf-8").replace("does very little", "does little"),
        encoding="utf-8",
    )
    site = tmp_path / "site"
    result = run_mkdocs(site, config=config, env={"ANNOTATE_CHINESE": "true"})
    assert result.returncode == 0, result.stderr[-3000:]

    chapter = (site / "zh/chapters/to-and-apply/index.html").read_text(encoding="utf-8")
    notices = re.findall(r'data-an-translation="behind">(.*?)</p>', chapter, re.S)
    assert len(notices) == 1, notices
    link = re.search(r'<a href="([^"]*)" hreflang="en">', notices[0])
    assert link and link[1] == "../../../chapters/to-and-apply/#torch.nn.Module.to", notices[0]
    file_page = (site / "zh/files/module/index.html").read_text(encoding="utf-8")
    assert file_page.count('data-an-translation="behind"') == 1
    for page in ("chapters/to-and-apply/index.html", "zh/chapters/state-dict/index.html"):
        assert "data-an-translation" not in (site / page).read_text(encoding="utf-8"), page
    maintenance = (site / "maintenance/index.html").read_text(encoding="utf-8")
    assert re.search(r"module/Module\.to\.zh\.md.*?behind", maintenance, re.S), maintenance[-2000:]


def test_every_page_of_the_navigation_has_its_chinese_translation():
    from mkdocs.config import load_config

    from annotate.mkdocs_adapter.site_files import nav_pages
    from tests.conftest import ROOT

    named = nav_pages(load_config(str(ROOT / "mkdocs.yml")).nav or [])
    written = [page for page in named if (ROOT / "docs" / page).is_file()]
    assert len(written) >= 9, named  # the home page and the chapters; the rest is generated
    missing = [p for p in written if not (ROOT / "docs" / p.replace(".md", ".zh.md")).is_file()]
    assert not missing, f"translate these (see CONTRIBUTING.md): {missing}"
