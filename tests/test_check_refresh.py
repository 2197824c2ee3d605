"""`annotate check` and `annotate refresh`: the table, the exit codes, and a lock kept by commands alone."""

from __future__ import annotations

import json
import shutil

import pytest

from annotate.drift.lock import dump_lock, read_lock
from annotate.drift.states import NoteState
from annotate.notes.read import read_notes
from tests import drift_cases as cases
from tests.conftest import NOTES, make_torch_tree, write_note


@pytest.fixture
def notes(tmp_path):
    """The test notes, locked against the installed torch, in a folder of this test's own."""
    return cases.locked_notes(tmp_path / "notes", tmp_path / "cache")


def check(notes, tmp_path, *extra):
    return cases.run_cli("check", "--notes", str(notes), "--cache", str(tmp_path / "cache"), *extra)


def refresh(notes, tmp_path, *extra):
    return cases.run_cli(
        "refresh", "--notes", str(notes), "--cache", str(tmp_path / "cache"), *extra
    )


def rows(out):
    """The table's rows as (state, first cell) pairs."""
    lines = out.splitlines()
    start = next(i for i, line in enumerate(lines) if line.startswith("STATE"))
    table = []
    for line in lines[start + 1 :]:
        state, _, rest = line.partition(" ")
        if state not in set(NoteState):
            break
        table.append((state, rest.strip().split("  ")[0]))
    return table


def entries(notes):
    return json.loads((notes / "notes.lock.json").read_text())["notes"]


def test_every_note_of_the_repository_is_fresh_against_the_installed_torch(tmp_path):
    code, out = check(NOTES, tmp_path, "--strict", "--all")
    table = rows(out)
    expected = sum(1 + len(note.line_notes) for note in read_notes(NOTES))
    assert len(table) == expected
    stale = [row for row in table if row[0] != "fresh"]
    assert not stale, f"run `annotate refresh --new` for new notes; not fresh: {stale}\n{out}"
    assert code == 0, out


def test_the_committed_lock_is_exactly_what_refresh_writes():
    lock_file = NOTES / "notes.lock.json"
    assert dump_lock(read_lock(lock_file)) == lock_file.read_text(encoding="utf-8")


def test_check_fails_on_orphaned_and_with_strict_on_changed(tmp_path, installed_torch, notes):
    removed = make_torch_tree(tmp_path / "removed", installed_torch, edit=cases.remove_getattr)
    code, out = check(notes, tmp_path, "--torch-root", str(removed))
    assert code == 1
    assert ("orphaned", "module/Module.__getattr__.md") in rows(out)
    assert f"error: {notes / 'module/Module.__getattr__.md'}:2: the note is orphaned" in out

    changed = make_torch_tree(tmp_path / "changed", installed_torch, edit=cases.STATEMENT_CHANGED)
    code, out = check(notes, tmp_path, "--torch-root", str(changed))
    assert code == 0 and ("changed", "module/Module.to.md") in rows(out)
    code, out = check(notes, tmp_path, "--torch-root", str(changed), "--strict")
    assert code == 1 and "annotate refresh NOTE" in out


def test_the_torch_root_also_comes_from_the_environment(
    tmp_path, installed_torch, notes, monkeypatch
):
    changed = make_torch_tree(tmp_path / "changed", installed_torch, edit=cases.STATEMENT_CHANGED)
    monkeypatch.setenv("ANNOTATE_TORCH_ROOT", str(changed))
    code, out = check(notes, tmp_path)
    assert code == 0 and ("changed", "module/Module.to.md") in rows(out)


def test_a_new_note_fails_strict_until_refresh_new_records_it_alone(tmp_path, notes):
    before = entries(notes)
    write_note(notes, "module/Module.cuda.md", "---\ntarget: Module.cuda\n---\nOn `cuda`.\n")
    code, out = check(notes, tmp_path)
    assert code == 0 and ("unlocked", "module/Module.cuda.md") in rows(out)
    assert check(notes, tmp_path, "--strict")[0] == 1
    code, out = refresh(notes, tmp_path, "--new")
    assert code == 0 and "locked module/Module.cuda.md" in out
    assert out.count("locked ") == 1
    after = entries(notes)
    assert {name: after[name] for name in before} == before
    assert after["module/Module.cuda.md"]["target"] == "torch.nn.modules.module.Module.cuda"
    assert check(notes, tmp_path, "--strict")[0] == 0


def test_refresh_rewrites_only_the_named_note(tmp_path, installed_torch, notes):
    changed = make_torch_tree(tmp_path / "changed", installed_torch, edit=cases.STATEMENT_CHANGED)
    before = entries(notes)
    code, out = refresh(notes, tmp_path, "--torch-root", str(changed), "module/Module.to.md")
    assert code == 0, out
    after = entries(notes)
    assert '"Module.to accepts only floating point or complex "' in "\n".join(
        after["module/Module.to.md"]["text"]
    )
    assert {k: v for k, v in after.items() if k != "module/Module.to.md"} == {
        k: v for k, v in before.items() if k != "module/Module.to.md"
    }
    assert check(notes, tmp_path, "--torch-root", str(changed), "--strict")[0] == 0
    # Against the installed torch the same note now reads as changed: the lock follows the person.
    assert ("changed", "module/Module.to.md") in rows(check(notes, tmp_path)[1])


def test_a_note_path_names_the_note_too(tmp_path, notes):
    code, out = refresh(notes, tmp_path, str(notes / "module" / "Module.to.md"))
    assert code == 0 and "locked module/Module.to.md" in out


def test_refresh_drops_a_deleted_note_and_refuses_unknown_names(tmp_path, notes):
    (notes / "module/Module.__getattr__.md").unlink()
    code, out = check(notes, tmp_path)
    assert "`module/Module.__getattr__.md`, which no longer exists" in out
    assert check(notes, tmp_path, "--strict")[0] == 1
    code, out = refresh(notes, tmp_path, "module/Module.__getattr__.md")
    assert code == 0 and "dropped module/Module.__getattr__.md" in out
    assert "module/Module.__getattr__.md" not in entries(notes)
    code, out = refresh(notes, tmp_path, "module/Module.tto.md")
    assert code == 1 and "did you mean `module/Module.to.md`" in out


def test_refresh_records_nothing_for_a_note_that_does_not_attach(tmp_path, installed_torch, notes):
    renamed = make_torch_tree(tmp_path / "renamed", installed_torch, edit=cases.RENAMED)
    before = (notes / "notes.lock.json").read_bytes()
    code, out = refresh(
        notes, tmp_path, "--torch-root", str(renamed), "module/Module._save_to_state_dict.md"
    )
    assert code == 1
    assert "target `torch.nn.Module._save_to_state_dict` is not an object" in out
    assert "did you mean `Module._save_own_state`" in out
    assert (notes / "notes.lock.json").read_bytes() == before


def test_a_broken_lock_file_names_its_line_and_the_fix(tmp_path, notes):
    lock_file = notes / "notes.lock.json"
    text = lock_file.read_text().replace('  "notes": {\n', '  "notes": {\n<<<<<<< HEAD\n', 1)
    lock_file.write_text(text)
    code, out = check(notes, tmp_path)
    assert code == 1
    assert f"{lock_file}:4: the lock file is not valid JSON" in out
    assert "annotate refresh --all" in out
    assert refresh(notes, tmp_path, "--all")[0] == 0
    assert check(notes, tmp_path, "--strict")[0] == 0


def test_refresh_needs_names_or_a_flag(tmp_path, notes):
    code, out = refresh(notes, tmp_path)
    assert code == 1 and "name the notes you re-read" in out


def test_refresh_all_writes_the_same_lock_twice(tmp_path):
    folder = shutil.copytree(NOTES, tmp_path / "notes")
    assert refresh(folder, tmp_path, "--all")[0] == 0
    first = (folder / "notes.lock.json").read_text()
    assert refresh(folder, tmp_path, "--all")[0] == 0
    assert (folder / "notes.lock.json").read_text() == first


@pytest.mark.parametrize(
    "content",
    [
        b'{"format": 1, "notes": []}',
        b'{"format": 1, "notes": {"a.md": {"line_notes": []}}}',
        b"\xff\xfe not utf-8",
    ],
)
def test_a_damaged_lock_file_is_reported_not_a_traceback(tmp_path, content):
    from annotate.drift.lock import read_lock
    from annotate.errors import NoteError

    lock = tmp_path / "notes.lock.json"
    lock.write_bytes(content)
    with pytest.raises(NoteError) as caught:
        read_lock(lock)
    (problem,) = caught.value.problems
    assert problem.file == lock and "annotate refresh --all" in problem.fix


def test_check_lists_only_what_needs_a_person_unless_asked_for_all(
    tmp_path, installed_torch, notes
):
    tree = make_torch_tree(tmp_path / "tree", installed_torch, edit=cases.STATEMENT_CHANGED)
    _code, out = check(notes, tmp_path, "--torch-root", str(tree))
    listed = rows(out)
    assert listed and all(
        row[0] in ("changed", "orphaned", "unlocked") or row[1].startswith("`") for row in listed
    )
    _code_all, out_all = check(notes, tmp_path, "--torch-root", str(tree), "--all")
    assert len(rows(out_all)) > len(listed)
    assert out.splitlines()[-1] == out_all.splitlines()[-1]  # the same one-line summary


def test_refresh_moved_relocks_only_the_moved_notes(tmp_path, installed_torch):
    notes = cases.locked_notes(tmp_path / "notes", tmp_path / "lock-cache")
    tree = make_torch_tree(
        tmp_path / "tree",
        installed_torch,
        edit=cases.edits(cases.INSERTED_ABOVE, cases.STATEMENT_CHANGED),
    )
    before = read_lock(notes / "notes.lock.json")
    code, out = cases.run_cli(
        "refresh",
        "--moved",
        "--notes",
        str(notes),
        "--cache",
        str(tmp_path / "c"),
        "--torch-root",
        str(tree),
    )
    assert code == 0, out
    after = read_lock(notes / "notes.lock.json")
    changed = {name for name in before.entries if before.get(name) != after.get(name)}
    code, out = check(notes, tmp_path, "--torch-root", str(tree), "--all")
    states = {row[1]: row[0] for row in rows(out) if not row[1].startswith("`")}
    assert changed and all(states[name] == "fresh" for name in changed)
    assert "changed" in states.values()  # the changed note was left for a person


def test_a_docstring_change_is_listed_fails_strict_and_is_not_refreshed_as_cosmetic(
    tmp_path, installed_torch, notes
):
    tree = make_torch_tree(tmp_path / "tree", installed_torch, edit=cases.COSMETIC)
    code, out = check(notes, tmp_path, "--torch-root", str(tree))
    listed = rows(out)
    assert code == 0 and ("docstring", "module/Module.to.md") in listed
    # A comment added is followed without anyone: not listed by default.
    assert not any(row[1] == "module/Module._save_to_state_dict.md" for row in listed)
    code, out = check(notes, tmp_path, "--torch-root", str(tree), "--strict")
    assert code == 1 and "docstring" in out.splitlines()[-1]
    before = entries(notes)
    code, out = refresh(notes, tmp_path, "--torch-root", str(tree), "--cosmetic")
    assert code == 0 and "locked module/Module._save_to_state_dict.md" in out
    assert "module/Module.to.md" not in out
    assert entries(notes)["module/Module.to.md"] == before["module/Module.to.md"]


def test_check_diff_prints_the_diff_of_every_note_that_is_not_fresh(
    tmp_path, installed_torch, notes
):
    code, out = check(notes, tmp_path, "--diff")
    assert code == 0 and "===" not in out  # all fresh: nothing to show
    tree = make_torch_tree(
        tmp_path / "tree",
        installed_torch,
        edit=cases.edits(cases.STATEMENT_CHANGED, cases.COSMETIC, cases.INSERTED_ABOVE),
    )
    code, out = check(notes, tmp_path, "--torch-root", str(tree), "--diff")
    assert code == 0
    sections = {}
    for block in out.split("\n=== ")[1:]:
        title, _, body = block.partition("\n")
        sections[title.split(" ", 1)[0]] = (title, body)  # a line note's is keyed `NOTE,`
    # A changed note: its diff, its stubs above the function.
    title, body = sections["module/Module.to.md"]
    assert title.startswith("module/Module.to.md (changed: the code changed since torch")
    assert '-                    "nn.Module.to only accepts floating point or complex "' in body
    assert '+                    "Module.to accepts only floating point or complex "' in body
    # A comment-only change shows its comment, numbered as the file is; a moved note no diff.
    title, body = sections["module/Module._save_to_state_dict.md"]
    assert "+        # Parameters first, then buffers." in body.splitlines()
    diff = body.splitlines()
    (at,) = [i for i, line in enumerate(diff) if line.startswith("@@")]
    first = int(diff[at].split("+")[1].split(",")[0])
    edited = (tree / cases.MODULE).read_text(encoding="utf-8").splitlines()
    hunk = [line[1:] for line in diff[at + 1 :] if not line.startswith("-")]
    assert edited[first - 1 : first - 1 + len(hunk)] == hunk  # numbered as the file is
    assert "module/Module._named_members.md" not in sections
    # A line note reformatted: its own diff.
    title, body = sections["module/Module.to.md,"]
    assert title.startswith(
        "module/Module.to.md, line note `return self._apply(convert)` (cosmetic"
    )
    assert "+        return  self._apply(convert)  # the walk" in body.splitlines()


def test_check_diff_shows_what_an_orphaned_note_was_written_for(tmp_path, installed_torch, notes):
    tree = make_torch_tree(
        tmp_path / "tree",
        installed_torch,
        edit=cases.edits(cases.remove_getattr, cases.DUPLICATED),
    )
    code, out = check(notes, tmp_path, "--torch-root", str(tree), "--diff")
    assert code == 1
    gone = out.split("=== module/Module.__getattr__.md (orphaned: ", 1)[1].split("\n===")[0]
    assert "__getattr__ (gone)" in gone
    assert '-    def __getattr__(self, name: str) -> Union[Tensor, "Module"]:' in gone
    duplicated = out.split("line note `if v is None or v in memo:` (orphaned: ", 1)[1]
    assert "-                if v is None or v in memo:" in duplicated.split("\n===")[0]
