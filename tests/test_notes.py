from __future__ import annotations

import pytest

from annotate.drift.lock import Lock
from annotate.errors import NoteError
from annotate.notes.attach import attach_notes as attach_located
from annotate.notes.locate import locate_notes
from annotate.notes.read import read_note, read_notes
from tests.conftest import NOTES, write_note


def attach_notes(notes, index):
    """The notes attached as a new note is, never locked; `NoteError` when any cannot be."""
    attached, problems = attach_located(locate_notes(notes, index, Lock()).notes, index)
    if problems:
        raise NoteError(problems)
    return attached


GOOD = """---
target: torch.nn.Module.to
---
On the whole function.

## `return self._apply(convert)`

On the last line.
"""


def problems_of(tmp_path, text, index=None):
    path = write_note(tmp_path, "note.md", text)
    with pytest.raises(NoteError) as caught:
        note = read_note(path)
        if index is not None:
            attach_notes([note], index)
    return path, caught.value.problems


def test_a_note_and_its_line_notes_are_read(tmp_path):
    note = read_note(write_note(tmp_path, "n.md", GOOD))
    assert note.target == "torch.nn.Module.to" and note.lang == "en"
    assert note.body == "On the whole function."
    assert [(ln.anchor, ln.body, ln.line) for ln in note.line_notes] == [
        ("return self._apply(convert)", "On the last line.", 6)
    ]


def test_windows_line_endings_are_accepted(tmp_path, index):
    note = read_note(write_note(tmp_path, "n.md", GOOD.replace("\n", "\r\n").encode()))
    assert note.line_notes[0].body == "On the last line."
    assert attach_notes([note], index)[0].line_notes[0].start > 0


def test_headings_inside_code_fences_are_not_line_notes(tmp_path):
    text = GOOD.replace("On the whole function.", "Before.\n\n```md\n## `x`\n```\n")
    note = read_note(write_note(tmp_path, "n.md", text))
    assert "## `x`" in note.body and len(note.line_notes) == 1


def test_line_notes_are_placed_on_their_line_and_statement(tmp_path, index):
    text = GOOD + "\n## `device, dtype, non_blocking, convert_to_format`\n\nThe parse.\n"
    (attached,) = attach_notes([read_note(write_note(tmp_path, "n.md", text))], index)
    lines = index.lines[attached.obj.file]
    by_anchor = {ln.note.anchor: ln for ln in attached.line_notes}
    last = by_anchor["return self._apply(convert)"]
    assert lines[last.start - 1].strip() == "return self._apply(convert)" and last.end == last.start
    parse = by_anchor["device, dtype, non_blocking, convert_to_format"]
    assert lines[parse.end - 1].strip() == ")" and parse.end > parse.start  # the whole call


@pytest.mark.parametrize(
    ("text", "line", "message"),
    [
        ("target: x\n---\nbody\n", 1, "a note starts with front matter"),
        ("---\ntarget: x\nbody\n", 1, "front matter is never closed"),
        ("---\ntarget: [x\n---\nbody\n", 2, "malformed front matter"),
        (
            "---\ntarget: torch.nn.Module.to\ntagret: x\n---\nbody\n",
            3,
            "unknown field `tagret`; did you mean `target`?",
        ),
        ("---\nlang: en\n---\nbody\n", 2, "the note has no target"),
        ("---\ntarget: '  '\n---\nbody\n", 2, "the target must be a non-empty path"),
        (
            "---\ntarget: torch.nn.Module.to\nlang: english\n---\nbody\n",
            3,
            "unknown language `english`",
        ),
        ("---\ntarget: torch.nn.Module.to\n---\n\n  \n", 4, "the note is empty"),
        (
            "---\ntarget: torch.nn.Module.to\n---\n## `return self`\n",
            4,
            "line note on `return self` is empty",
        ),
    ],
)
def test_bad_notes_name_the_file_the_line_and_the_fix(tmp_path, text, line, message):
    path, problems = problems_of(tmp_path, text)
    assert len(problems) == 1
    assert str(problems[0]).startswith(f"{path}:{line}: ")
    assert message in str(problems[0])


def test_a_file_that_is_not_utf8(tmp_path):
    path, (problem,) = problems_of(tmp_path, b"---\ntarget: x\n---\n\xff\xfe caf\xe9\n")
    assert str(problem) == f"{path}:4: the file is not UTF-8; save it as UTF-8"


def test_unknown_target_gets_did_you_mean(tmp_path, index):
    text = "---\ntitle: t\ntarget: torch.nn.Module.stat_dict\n---\nbody\n"
    path, (problem,) = problems_of(tmp_path, text, index)
    assert str(problem).startswith(f"{path}:3: target `torch.nn.Module.stat_dict` is not an object")
    assert "did you mean `Module.state_dict`" in problem.fix


def test_line_anchor_matching_nothing_suggests_the_closest_line(tmp_path, index):
    text = "---\ntarget: Module.to\n---\nx\n\n## `return self._aply(convert)`\n\ny\n"
    path, (problem,) = problems_of(tmp_path, text, index)
    assert str(problem).startswith(
        f"{path}:6: line anchor `return self._aply(convert)` matches no line"
    )
    assert "did you mean `return self._apply(convert)` (line" in problem.fix


def test_line_anchor_matching_several_lines_lists_them(tmp_path, index):
    text = "---\ntarget: Module.to\n---\nx\n\n## `return t.to(`\n\ny\n"
    path, (problem,) = problems_of(tmp_path, text, index)
    to = index.get("Module.to")
    hits = [
        n
        for n in range(to.lineno, to.endlineno + 1)
        if "return t.to(" in index.lines[to.file][n - 1]
    ]
    assert len(hits) > 1
    assert str(problem).startswith(
        f"{path}:6: line anchor `return t.to(` matches {len(hits)} lines of `Module.to` "
        f"(lines {', '.join(map(str, hits))})"
    )
    assert problem.fix == "quote more of the line so that it matches only one"


def test_a_line_anchor_is_only_searched_inside_its_target(tmp_path, index):
    # `self._apply(convert)` is in `to`, not in `state_dict`
    text = "---\ntarget: Module.state_dict\n---\nx\n\n## `return self._apply(convert)`\n\ny\n"
    _, (problem,) = problems_of(tmp_path, text, index)
    assert "matches no line of `Module.state_dict`" in problem.message


def test_two_notes_on_one_target_are_refused(tmp_path, index):
    write_note(tmp_path, "a.md", GOOD)
    second = write_note(tmp_path, "b.md", GOOD.replace("torch.nn.Module.to", "Module.to"))
    with pytest.raises(NoteError) as caught:
        attach_notes(read_notes(tmp_path), index)
    (problem,) = caught.value.problems
    assert problem.file == second and "`Module.to` already has a note in" in problem.message


def test_every_bad_file_is_reported_at_once(tmp_path):
    write_note(tmp_path, "a.md", "no front matter\n")
    write_note(tmp_path, "sub/b.md", "---\ntarget: x\n---\n")
    with pytest.raises(NoteError) as caught:
        read_notes(tmp_path)
    assert [p.file.name for p in caught.value.problems] == ["a.md", "b.md"]


def test_the_repository_notes_all_attach(guide):
    names = {n.note.name for n in guide.all_notes}
    assert len(names) == len(list(NOTES.rglob("*.md")))
    assert {n.note.lang for n in guide.notes} == {"en"}
    required = {
        "Module.to",
        "Module.__getattr__",
        "Module._save_to_state_dict",
        "Module._named_members",
    }
    assert required <= {n.obj.short for n in guide.notes}
    assert all(n.line_notes for n in guide.notes if n.obj.short in required)


def test_a_module_target_is_refused(tmp_path, index):
    path, (problem,) = problems_of(
        tmp_path, "---\ntarget: torch.nn.modules.module\n---\nx\n", index
    )
    assert str(problem).startswith(f"{path}:2: target `torch.nn.modules.module` is a whole module")


def test_a_broken_reference_names_its_line_and_candidates(tmp_path, index):
    text = "---\ntarget: Module.to\n---\nSee [this][torch.nn.Module.to]\nand [that][torch.nn.Module._aply].\n"
    path, (problem,) = problems_of(tmp_path, text, index)
    assert str(problem).startswith(f"{path}:5: reference to `torch.nn.Module._aply`")
    assert "did you mean `Module._apply`" in problem.fix


def test_two_line_notes_on_one_line_are_refused(tmp_path, index):
    text = (
        "---\ntarget: Module.to\n---\nx\n\n## `return self._apply(convert)`\n\none\n\n"
        "## `self._apply(convert)`\n\ntwo\n"
    )
    path, (problem,) = problems_of(tmp_path, text, index)
    assert str(problem).startswith(f"{path}:10: line ")
    assert "already has the line note on `return self._apply(convert)`" in problem.message


def test_locating_again_reuses_only_what_did_not_change(index):
    """`mkdocs serve` locates every note again after each edit: a note, its lock entry and the
    index unchanged give the note located before; any of them changed, it is located anew."""
    from annotate.drift.lock import read_lock
    from annotate.drift.states import NoteState
    from annotate.notes.read import collect_notes

    notes, _ = collect_notes(NOTES)
    lock = read_lock(NOTES / "notes.lock.json")
    first = locate_notes(notes, index, lock)
    again = locate_notes(notes, index, lock)
    assert all(a is b for a, b in zip(first.notes, again.notes, strict=True))
    name = "module/Module.to.md"
    unlocked = Lock(entries={k: v for k, v in lock.entries.items() if k != name})
    changed = {d.note.name: d for d in locate_notes(notes, index, unlocked).notes}
    assert changed[name].target_state is NoteState.UNLOCKED
    assert {d.note.name: d.target_state for d in first.notes}[name] is not NoteState.UNLOCKED
