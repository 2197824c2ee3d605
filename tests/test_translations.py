"""Translated notes: named beside their English note, paired with it, and never silently behind."""

from __future__ import annotations

import itertools
import json
import re

import pytest

from annotate.errors import NoteError
from annotate.notes.read import read_note, read_notes
from annotate.notes.translations import (
    TranslationState,
    original_fingerprint,
    pair_translations,
)
from tests import drift_cases as cases
from tests.conftest import ROOT, write_note

ENGLISH = """---
target: torch.nn.Module.to
---
`to` moves and casts.

## `return self._apply(convert)`

The walk happens in `_apply`.
"""

CHINESE = """---
target: torch.nn.Module.to
lang: zh
translates: Module.to.md
---
`to` 负责移动和转换类型。

## `return self._apply(convert)`

遍历发生在 `_apply` 里。
"""


def notes_folder(tmp_path, **files: str):
    folder = tmp_path / "notes"
    for name, text in files.items():
        write_note(folder, f"module/{name}", text)
    return folder


def problem_of(path, folder) -> str:
    with pytest.raises(NoteError) as caught:
        read_note(path, notes_dir=folder)
    (problem,) = caught.value.problems
    return str(problem)


@pytest.mark.parametrize(
    ("name", "text", "line", "says", "fix"),
    [
        (
            "Module.to.zh.md",
            CHINESE.replace("translates: Module.to.md\n", ""),
            3,
            "names the English note it translates",
            "translates: Module.to.md",
        ),
        (
            "Module.to.zh.md",
            CHINESE.replace("translates: Module.to.md", "translates: Module.cpu.md"),
            4,
            "translates `Module.to.md`, not `Module.cpu.md`",
            "translates: Module.to.md",
        ),
        (
            "Module.to.md",
            CHINESE,
            3,
            "a note in `zh` is named `Module.to.zh.md`",
            "rename the file `Module.to.zh.md`",
        ),
        (
            "Module.to.zh.md",
            ENGLISH,
            2,
            "named as a `zh` translation but has no `lang: zh`",
            "add `lang: zh` and `translates: Module.to.md`",
        ),
        (
            "Module.to.md",
            ENGLISH.replace("---\n`to`", "translates: Module.to.md\n---\n`to`"),
            3,
            "an English note translates nothing",
            "remove `translates:`",
        ),
    ],
)
def test_a_misnamed_or_unpaired_translation_is_refused_at_its_line(
    tmp_path, name, text, line, says, fix
):
    folder = tmp_path / "notes"
    path = write_note(folder, f"module/{name}", text)
    problem = problem_of(path, folder)
    assert f"{path}:{line}:" in problem, problem
    assert says in problem and fix in problem, problem


def test_a_translation_is_current_until_its_english_note_changes(tmp_path):
    folder = notes_folder(tmp_path, **{"Module.to.md": ENGLISH, "Module.to.zh.md": CHINESE})
    notes = read_notes(folder)
    english = next(n for n in notes if n.lang == "en")
    (zh,) = (n for n in notes if n.lang == "zh")
    assert zh.translates == "module/Module.to.md"

    (unrecorded,), problems = pair_translations(notes, recorded={})
    assert not problems and unrecorded.state is TranslationState.UNRECORDED
    recorded = {zh.name: original_fingerprint(english)}
    (current,), _ = pair_translations(notes, recorded=recorded)
    assert current.state is TranslationState.CURRENT and current.original.name == english.name

    # Any change to what the English note says leaves the translation behind: its body, a line
    # note's text, or a new line note.
    for changed in (
        ENGLISH.replace("moves and casts", "moves, and casts"),
        ENGLISH.replace("happens in", "is done in"),
        ENGLISH + "\n## `def convert(t):`\n\nThe closure.\n",
    ):
        write_note(folder, "module/Module.to.md", changed)
        (behind,), problems = pair_translations(read_notes(folder), recorded=recorded)
        assert not problems and behind.state is TranslationState.BEHIND, changed


@pytest.mark.parametrize(
    ("files", "says"),
    [
        (
            {"Module.to.zh.md": CHINESE},
            "the English note `module/Module.to.md` it translates does not exist",
        ),
        (
            {
                "Module.to.md": ENGLISH,
                "Module.to.zh.md": CHINESE.replace(
                    "target: torch.nn.Module.to", "target: Module.to"
                ),
            },
            "the target `Module.to` is not the English note's `torch.nn.Module.to`",
        ),
        (
            {
                "Module.to.md": ENGLISH,
                "Module.to.zh.md": CHINESE + "\n## `def convert(t):`\n\n闭包。\n",
            },
            "the line note on `def convert(t):` is not in the English note",
        ),
    ],
)
def test_a_translation_that_does_not_follow_its_english_note_is_a_problem(tmp_path, files, says):
    folder = notes_folder(tmp_path, **files)
    paired, problems = pair_translations(read_notes(folder), recorded={})
    assert not paired
    assert [says in str(p) for p in problems] == [True], problems
    assert str(folder / "module/Module.to.zh.md") in str(problems[0])


def cli(command, folder, tmp_path, *extra):
    return cases.run_cli(
        command, "--notes", str(folder), "--cache", str(tmp_path / "cache"), *extra
    )


def test_check_lists_a_translation_behind_and_refresh_records_it_again(tmp_path):
    folder = notes_folder(tmp_path, **{"Module.to.md": ENGLISH, "Module.to.zh.md": CHINESE})
    code, out = cli("check", folder, tmp_path, "--strict")
    assert code == 1 and "translation unrecorded: module/Module.to.zh.md" in out, out

    code, out = cli("refresh", folder, tmp_path, "--new")
    assert code == 0 and "translating module/Module.to.md as it reads now" in out, out
    lock = json.loads((folder / "notes.lock.json").read_text())["notes"]
    english = next(n for n in read_notes(folder) if n.lang == "en")
    assert lock["module/Module.to.zh.md"]["original"] == (original_fingerprint(english))
    assert "original" not in lock["module/Module.to.md"]
    code, out = cli("check", folder, tmp_path, "--strict")
    assert code == 0 and "1 translations, 0 not current" in out, out

    write_note(folder, "module/Module.to.md", ENGLISH.replace("moves and casts", "moves, casts"))
    cli("refresh", folder, tmp_path, "module/Module.to.md")  # the English note, re-read
    code, out = cli("check", folder, tmp_path)
    assert code == 0 and "translation behind: module/Module.to.zh.md" in out, out
    assert "nothing needs a person" not in out, out
    code, out = cli("check", folder, tmp_path, "--strict")
    assert code == 1, out

    code, out = cli("refresh", folder, tmp_path, "module/Module.to.zh.md")
    assert code == 0, out
    code, out = cli("check", folder, tmp_path, "--strict")
    assert code == 0 and "0 not current" in out, out


def test_new_with_a_language_starts_the_translation_from_the_english_note(tmp_path):
    folder = notes_folder(tmp_path, **{"Module.to.md": ENGLISH})
    code, out = cli("new", folder, tmp_path, "--lang", "zh", "Module.to")
    assert code == 0, out
    started = folder / "module/Module.to.zh.md"
    note = read_note(started, notes_dir=folder)
    assert (note.lang, note.translates, note.target) == (
        "zh",
        "module/Module.to.md",
        "torch.nn.Module.to",
    )
    assert [n.anchor for n in note.line_notes] == ["return self._apply(convert)"]
    code, out = cli("new", folder, tmp_path, "--lang", "zh", "Module.to")
    assert code != 0 and "already has a note" in out, out
    # Left as it was started, it is the English text: refused until translated, with its line.
    code, out = cli("check", folder, tmp_path)
    assert code != 0 and "not translated yet" in out, out
    lines = started.read_text().splitlines()
    comment = next(number for number, line in enumerate(lines, 1) if line.startswith("<!--"))
    assert f"{started}:{comment}" in out, out
    code, out = cli("refresh", folder, tmp_path, "module/Module.to.zh.md")
    assert code != 0 and "not translated yet" in out, out
    # The comment deleted but the text still English: refused the same way.
    started.write_text(re.sub(r"<!--.*?-->\n", "", started.read_text(), flags=re.S))
    code, out = cli("check", folder, tmp_path)
    assert code != 0 and "not translated yet" in out, out
    started.write_text(CHINESE)
    code, out = cli("check", folder, tmp_path)
    assert "not translated yet" not in out, out
    code, out = cli("new", folder, tmp_path, "--lang", "zh", "Module.cpu")
    assert code != 0 and "has no English note to translate" in out, out


_CJK = r"[\u3000-\u303f\u4e00-\u9fff\uff00-\uffef]"


def test_chinese_text_never_breaks_a_line_between_two_chinese_characters():
    # A line break in Markdown is a space in the page; between Chinese characters it shows.
    found = []
    for path in sorted((ROOT / "docs").rglob("*.zh.md")):
        fence = False
        lines = path.read_text(encoding="utf-8").split("\n")
        for number, (line, after) in enumerate(itertools.pairwise(lines), start=1):
            if re.match(r"^\s*(```|~~~)", line):
                fence = not fence
            if (
                not fence
                and re.search(_CJK + "$", line)
                and re.match(r"^\s*" + _CJK, after)
                and not line.lstrip().startswith(("#", "|"))
            ):
                found.append(f"{path.relative_to(ROOT)}:{number}")
    assert not found, "join these lines with the next one: " + ", ".join(found)
