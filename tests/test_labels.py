"""The words the guide prints itself: every one has its Chinese, and the catalog holds no other."""

from __future__ import annotations

import ast
import json
import re
from typing import TYPE_CHECKING

import pytest

from annotate.drift.states import NoteState
from annotate.history.changes import ChangeKind
from annotate.notes.translations import TranslationState
from annotate.site import labels
from annotate.site.coverage import LEGEND
from annotate.site.drift_views import DIFF_FORMS, REASON_FORMS, reason_text
from tests.conftest import ROOT

if TYPE_CHECKING:
    from pathlib import Path

SITE = ROOT / "annotate" / "site"
TEMPLATES = [
    *sorted((SITE / "templates").rglob("*.jinja")),
    *sorted((SITE / "theme").rglob("*.html")),
]
CATALOG = SITE / "locales" / "zh.json"
# `_("text", ...)` and `ngettext("one", "many", n)` in a template, the texts in either quote.
_STRING = r"""(?:"((?:[^"\\]|\\.)*)"|'((?:[^'\\]|\\.)*)')"""
_GETTEXT = re.compile(rf"(?<![\w.])_\(\s*{_STRING}")
_NGETTEXT = re.compile(rf"(?<![\w.])ngettext\(\s*{_STRING}\s*,\s*{_STRING}")
_FIELD = re.compile(r"%\((\w+)\)[sd]")
_TAG = re.compile(r"</?\w+")
_CJK = re.compile(r"[\u3400-\u9fff\u3000-\u303f\uff00-\uffef]+")

DYNAMIC = {
    *LEGEND.values(),  # the coverage map's legend and tooltips
    *NoteState,  # the maintenance page's state column
    *(state.meaning for state in NoteState),  # and what each state means
    *REASON_FORMS,  # why a note is in its state
    *DIFF_FORMS,  # the header lines of a diff
    *ChangeKind,  # what a release changed
    *(s for s in TranslationState if s is not TranslationState.CURRENT),  # translations listed
}
"""Texts the library translates that are not written out in a `_()` call."""


def template_texts(path: Path) -> set[str]:
    """The texts a template passes to `_()` and `ngettext()`."""
    text = path.read_text(encoding="utf-8")
    found = {a or b for a, b in _GETTEXT.findall(text)}
    for one_a, one_b, many_a, many_b in _NGETTEXT.findall(text):
        found |= {one_a or one_b, many_a or many_b}
    return found


def python_texts(path: Path) -> set[str]:
    """The texts a module passes to `_()`, its translating function."""
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if (
            isinstance(node, ast.Call)
            and isinstance(node.func, ast.Name)
            and node.func.id == "_"
            and node.args
            and isinstance(node.args[0], ast.Constant)
            and isinstance(node.args[0].value, str)
        ):
            found.add(node.args[0].value)
    return found


def used_texts() -> dict[str, str]:
    """Every text the guide translates, to where it is used."""
    used: dict[str, str] = {}
    for path in TEMPLATES:
        used.update(dict.fromkeys(template_texts(path), path.name))
    for path in sorted(SITE.rglob("*.py")):
        used.update(dict.fromkeys(python_texts(path), path.name))
    used.update(dict.fromkeys(map(str, DYNAMIC), "a table of the library"))
    return used


def catalog() -> dict[str, str]:
    return json.loads(CATALOG.read_text(encoding="utf-8"))


def test_the_extraction_finds_the_texts_of_both_kinds_of_source(tmp_path):
    template = tmp_path / "t.html.jinja"
    template.write_text(
        """{{ _("Calls") }} {{ _('it said "so"') }} x._("not this")"""
        """ {{ ngettext("%(num)s call", "%(num)s calls", n) }}""",
        encoding="utf-8",
    )
    assert template_texts(template) == {"Calls", 'it said "so"', "%(num)s call", "%(num)s calls"}
    module = tmp_path / "m.py"
    module.write_text(
        '_ = f("en")\nx = _("joined " "text", n=1)\ny = g("not this")\n_(name)\n',
        encoding="utf-8",
    )
    assert python_texts(module) == {"joined text"}
    used = used_texts()
    assert "none found by reading the code" in used  # a template
    assert "Coverage map" in used  # pages.py
    assert NoteState.CHANGED.legend in used  # a table


def test_every_text_the_guide_prints_has_its_chinese():
    zh = catalog()
    missing = {text: where for text, where in used_texts().items() if text not in zh}
    assert not missing, f"add these to {CATALOG.name}: {json.dumps(missing, indent=1)}"


def test_the_catalog_holds_no_text_that_nothing_prints():
    unused = sorted(set(catalog()) - set(used_texts()))
    assert not unused, f"remove these from {CATALOG.name}: {unused}"


@pytest.mark.parametrize("text", sorted(catalog()))
def test_a_translation_keeps_the_fields_and_the_markup_of_its_text(text):
    chinese = catalog()[text]
    assert (chinese.strip() and chinese != text) or not re.search("[a-z]{3}", text), text
    assert sorted(_FIELD.findall(chinese)) == sorted(_FIELD.findall(text)), text
    assert sorted(_TAG.findall(chinese)) == sorted(_TAG.findall(text)), text
    assert chinese.count("`") == text.count("`"), text
    assert chinese.count("%") == text.count("%"), text


def test_english_is_left_as_it_is_and_an_unknown_text_stays_english():
    en, zh = labels.gettext("en"), labels.gettext("zh")
    assert en("upstream at %(label)s", label="abc") == "upstream at abc"
    assert zh("upstream at %(label)s", label="abc") == "上游（abc）"
    assert zh("no such text %(x)s", x=1) == "no such text 1"


@pytest.mark.parametrize(
    ("reason", "chinese"),
    [
        ("the code changed since torch 2.12.0", "自 torch 2.12.0 起代码已改变"),
        (
            "now at lines 10–12, written for line 9",
            "现在位于第 10–12 行，写作时位于第 9 行",
        ),
        (
            "the target is now `a.B`, locked as `a.C`; same code",
            "目标现在是 `a.B`，锁定时为 `a.C`；代码相同",
        ),
        (
            "line anchor `x = 1` matches 2 lines of `Module.to` (lines 3, 5): no longer unique"
            " (written for line 4, torch 2.12.0)",
            "行锚点 `x = 1` 匹配 `Module.to` 中的 2 行（第 3, 5 行）：不再唯一"
            "（写作时位于第 4 行，torch 2.12.0）",
        ),
        ("a reason worded otherwise", "a reason worded otherwise"),
    ],
)
def test_reasons_are_shown_in_the_language_of_the_page(reason, chinese):
    assert reason_text(reason, "zh") == chinese
    assert reason_text(reason, "en") == reason


# A label of each kind of page, as the Chinese site shows it.
ZH_LABELS = {
    "zh/files/module": ["上游（", "行", "本文件中的类和函数", "调用方", "未从代码中读出"],
    "zh/coverage": ["覆盖地图", "尚无注解", "模块级函数", "个已有注解"],
    "zh/chapters/state-dict": ["上游", "调用方", "来自 torch 的文档字符串", "运行于 torch"],
}


def _page(site: Path, path: str) -> str:
    return (site / path / "index.html").read_text(encoding="utf-8")


def test_the_chinese_site_prints_its_labels_in_chinese_and_the_english_site_none(site):
    for path, wanted in ZH_LABELS.items():
        html = _page(site, path)
        for label in wanted:
            assert label in html, (path, label)
        for english in ("none found by reading the code", "Docstring from torch", "upstream at"):
            assert english not in html, (path, english)
    # Every piece of Chinese the catalog holds, of two characters or more.
    chinese = {
        piece
        for translation in catalog().values()
        for piece in _CJK.findall(_FIELD.sub(" ", translation))
        if len(piece) > 1
    }
    for path in ZH_LABELS:
        english = _page(site, path.removeprefix("zh/"))
        found = sorted(piece for piece in chinese if piece in english)
        assert not found, (path, found)


def test_the_headings_permalinks_and_the_scheme_switch_speak_the_pages_language(site):
    # Markdown's `toc` and the theme's palette are configured once for the site.
    for path in ZH_LABELS:
        chinese, english = _page(site, path), _page(site, path.removeprefix("zh/"))
        assert 'title="永久链接"' in chinese and 'title="Permanent link"' not in chinese, path
        assert 'title="Permanent link"' in english and "永久链接" not in english, path
        assert "切换到深色模式" in chinese and "Dark scheme" not in chinese, path
        assert "Dark scheme" in english and "切换到深色模式" not in english, path


@pytest.mark.parametrize(
    "translated",
    [
        "构建自<script>alert(1)</script>",  # a tag the English does not have
        "<img src=x onerror=alert(1)>构建自",
        "构建自 %(other)s",  # a field the English does not have
    ],
)
def test_a_catalog_entry_with_other_markup_than_its_english_fails_the_build(
    tmp_path, monkeypatch, translated
):
    from annotate.site import labels as labels_module

    bad = tmp_path / "zh.json"
    bad.write_text(
        json.dumps(
            {"Read the English note": "阅读英文原文", "Built from": translated},
            ensure_ascii=False,
            indent=2,
        ),
        encoding="utf-8",
    )
    monkeypatch.setattr(labels_module, "LOCALES_DIR", tmp_path)
    (problem,) = labels_module.catalog_problems("zh")
    assert f"{bad}:3:" in str(problem) and "'Built from'" in str(problem)
    assert labels_module.catalog_problems("en") == []
