"""Each kind of torch edit gives its state, and no note is ever placed beside other code."""

from __future__ import annotations

import re

import pytest

from annotate.drift.fingerprint import normalised_tokens, statement_syntax_of
from annotate.drift.lock import read_lock
from annotate.errors import NoteError
from annotate.guide import Guide, load_guide
from annotate.notes.locate import locate_notes
from annotate.notes.read import read_notes
from annotate.site.drift_views import object_drift_view
from tests import drift_cases as cases
from tests.conftest import make_torch_tree, write_note


@pytest.fixture(scope="module")
def locked(tmp_path_factory):
    """The test notes, locked against the installed torch."""
    root = tmp_path_factory.mktemp("locked")
    return cases.locked_notes(root / "notes", root / "cache")


def read_against(tmp_path, installed_torch, notes_dir, edit) -> Guide:
    """The guide of `notes_dir` read against a copy of the installed torch passed through `edit`."""
    tree = make_torch_tree(tmp_path / "torch-tree", installed_torch, edit=edit)
    return load_guide(
        notes_dir,
        snapshot_dir=tmp_path / "cache" / "snapshot",
        torch_root=tree,
        allow_orphaned=True,
    )


def assert_never_misplaced(guide: Guide, notes_dir) -> None:
    """Every shown note stands at the object it was locked for, each line note on its quoted line."""
    lock = read_lock(notes_dir / "notes.lock.json")
    for attached in guide.notes:
        entry = lock.get(attached.note.name)
        assert attached.obj.path == entry.target
        lines = guide.index.lines[attached.obj.file]
        assert re.match(r"\s*(async\s+)?def |\s*class ", lines[attached.obj.lineno - 1])
        assert f" {attached.obj.name}" in lines[attached.obj.lineno - 1]
        for placed in attached.line_notes:
            assert attached.obj.lineno <= placed.start <= attached.obj.endlineno

            # Up to spacing and quote style (a re-quoted or respaced line keeps its note), or
            # the statement the anchor quotes, spelled another way (split, bracketed).
            def bare(text: str) -> str:
                return "".join(text.split()).replace("'", '"')

            now = lines[placed.start - 1 : placed.end]
            anchor = statement_syntax_of([placed.note.anchor])
            assert bare(placed.note.anchor) in bare(now[0]) or (
                anchor is not None and anchor == statement_syntax_of(now)
            )
            was = entry.line_notes[placed.note.anchor]
            # The line read now is the line written for, up to comments and spacing, or the
            # statement written for, reflowed.
            assert normalised_tokens(now[:1]) == normalised_tokens(was.text[:1]) or (
                statement_syntax_of(was.text) is not None
                and statement_syntax_of(now) == statement_syntax_of(was.text)
            )


def states_of(guide: Guide) -> dict[str, str]:
    assert guide.located is not None
    return {d.note.name: d.target_state for d in guide.located.notes}


def line_states_of(guide: Guide, name: str) -> dict[str, tuple[str, int | None]]:
    drift = guide.located.of(name)
    return {ln.line_note.anchor: (ln.state, ln.start) for ln in drift.line_notes}


def test_against_the_torch_they_were_locked_for_every_note_is_fresh(
    tmp_path, installed_torch, locked
):
    guide = read_against(tmp_path, installed_torch, locked, None)
    assert set(guide.states.values()) == {"fresh"}
    assert len(guide.states) == len(cases.NOTES)
    assert all(ln.state == "fresh" for d in guide.located.notes for ln in d.line_notes)
    assert_never_misplaced(guide, locked)


def test_lines_inserted_above_a_function_are_followed_as_moved(tmp_path, installed_torch, locked):
    before = read_lock(locked / "notes.lock.json")
    guide = read_against(tmp_path, installed_torch, locked, cases.INSERTED_ABOVE)
    assert states_of(guide) == {
        "module/Module.to.md": "fresh",
        "module/Module.__getattr__.md": "fresh",
        "module/Module._save_to_state_dict.md": "fresh",
        "module/Module._named_members.md": "moved",
        "container/Sequential.forward.md": "moved",
    }
    for name in ("module/Module._named_members.md", "container/Sequential.forward.md"):
        was = before.get(name)
        for anchor, (state, start) in line_states_of(guide, name).items():
            assert (state, start) == ("moved", was.line_notes[anchor].start + 3)
        assert guide.note_for(was.target).obj.lineno == was.span.start + 3
    assert_never_misplaced(guide, locked)


def test_an_overload_added_before_a_function_is_a_signature_change_and_never_misplaces_it(
    tmp_path, installed_torch, locked
):
    guide = read_against(tmp_path, installed_torch, locked, cases.OVERLOAD_ADDED)
    states = states_of(guide)
    assert states["module/Module.to.md"] == "signature"
    assert states["module/Module._named_members.md"] == "signature"
    others = {s for n, s in states.items() if not n.endswith(("to.md", "_named_members.md"))}
    assert others <= {"fresh", "moved"}  # below the stubs, notes only moved
    drift = guide.located.of("module/Module.to.md")
    assert drift.reason == (
        "the signature changed since torch 2.13.0+cpu: 1 `@overload` stub added"
    )
    # The line notes only moved: the stub stands above them.
    assert {ln.state for ln in drift.line_notes} == {"moved"}
    for path in (
        "torch.nn.modules.module.Module.to",
        "torch.nn.modules.module.Module._named_members",
    ):
        obj = guide.note_for(path).obj
        lines = guide.index.lines[obj.file]
        # The note is on the implementation, not on the stub just added.
        assert "@overload" not in lines[obj.lineno - 1] and "..." not in lines[obj.lineno - 1]
    view = object_drift_view(guide, "module/Module.to.md")
    assert view.state == "signature" and view.state.banner
    assert "+    def to(self, *, memory_format: Any) -> Self: ..." in view.diff.splitlines()
    assert "Module.to after its @overload stubs" in view.diff
    assert_never_misplaced(guide, locked)


@pytest.mark.parametrize(
    ("change", "reason"),
    [
        (cases.OVERLOAD_REMOVED, "1 `@overload` stub removed"),
        (cases.OVERLOAD_EDITED, "an `@overload` stub changed"),
    ],
    ids=["stub-removed", "stub-edited"],
)
def test_a_stub_removed_or_edited_is_a_signature_change(
    tmp_path, installed_torch, locked, change, reason
):
    guide = read_against(tmp_path, installed_torch, locked, change)
    assert states_of(guide)["module/Module.to.md"] == "signature"
    assert guide.located.of("module/Module.to.md").reason.endswith(reason)
    view = object_drift_view(guide, "module/Module.to.md")
    removed = [line for line in view.diff.splitlines() if line.startswith("-    def to(")]
    assert len(removed) == 1
    assert_never_misplaced(guide, locked)


def test_the_lock_records_a_functions_stubs_and_only_where_there_are_some(locked):
    lock = read_lock(locked / "notes.lock.json")
    stubs = lock.get("module/Module.to.md").overloads
    assert sum(line.strip() == "@overload" for line in stubs) == 3
    assert all(not line.strip() or line.startswith("    ") for line in stubs)
    assert lock.get("module/Module._named_members.md").overloads == ()
    raw = (locked / "notes.lock.json").read_text(encoding="utf-8")
    assert raw.count('"overloads"') == 1


def test_a_docstring_edited_is_docstring_and_a_comment_added_cosmetic(
    tmp_path, installed_torch, locked
):
    guide = read_against(tmp_path, installed_torch, locked, cases.COSMETIC)
    states = states_of(guide)
    assert states["module/Module.to.md"] == "docstring"
    assert states["module/Module.to.md"].needs_person
    assert guide.located.of("module/Module.to.md").reason == (
        "the docstring changed since torch 2.13.0+cpu; the code is the same"
    )
    view = object_drift_view(guide, "module/Module.to.md")
    changed = [line for line in view.diff.splitlines() if line[:1] in "+-"]
    assert '-        r"""Move and/or cast the parameters and buffers.' in changed
    assert '+        r"""Move or cast this module\'s parameters and buffers.' in changed
    assert states["module/Module._save_to_state_dict.md"] == "cosmetic"
    assert not states["module/Module._save_to_state_dict.md"].needs_person
    assert object_drift_view(guide, "module/Module._save_to_state_dict.md").diff == ""
    assert states["module/Module._named_members.md"] == "moved"  # one line added above it
    assert line_states_of(guide, "module/Module.to.md")["return self._apply(convert)"][0] == (
        "cosmetic"
    )
    (ln,) = guide.located.of("module/Module._save_to_state_dict.md").line_notes
    assert ln.state == "moved" and ln.start == ln.locked.start + 1
    assert "changed" not in guide.states.values()
    assert_never_misplaced(guide, locked)


def test_one_statement_changed_is_changed_with_the_old_and_new_code(
    tmp_path, installed_torch, locked
):
    guide = read_against(tmp_path, installed_torch, locked, cases.STATEMENT_CHANGED)
    states = states_of(guide)
    assert states["module/Module.to.md"] == "changed"
    assert {s for name, s in states.items() if name != "module/Module.to.md"} == {"fresh"}
    drift = guide.located.of("module/Module.to.md")
    assert "code changed since torch" in drift.reason
    assert all(ln.state == "fresh" for ln in drift.line_notes)  # the quoted lines did not change
    old = "\n".join(drift.locked.span.text)
    assert '"nn.Module.to only accepts' in old
    assert '"Module.to accepts only' not in old
    assert_never_misplaced(guide, locked)


def test_a_renamed_function_orphans_its_note_and_it_is_attached_nowhere(
    tmp_path, installed_torch, locked
):
    guide = read_against(tmp_path, installed_torch, locked, cases.RENAMED)
    name = "module/Module._save_to_state_dict.md"
    assert guide.states[name] == "orphaned"
    assert all(n.note.name != name for n in guide.notes)
    drift = guide.located.of(name)
    assert drift.obj is None
    assert [ln.state for ln in drift.line_notes] == ["orphaned"]
    (problem,) = guide.located.orphaned()
    assert problem.file == locked / name and problem.line == 2
    assert "target `torch.nn.Module._save_to_state_dict` is not in the module.py of this torch" in (
        problem.message
    )
    assert "annotate check" in problem.fix
    assert {s for n, s in guide.states.items() if n != name} == {"fresh"}
    assert_never_misplaced(guide, locked)


def test_a_removed_function_orphans_its_note(tmp_path, installed_torch, locked):
    guide = read_against(tmp_path, installed_torch, locked, cases.remove_getattr)
    name = "module/Module.__getattr__.md"
    assert guide.index.get("Module.__getattr__") is None
    assert guide.states[name] == "orphaned"
    assert all(n.note.name != name for n in guide.notes)
    # Functions after it moved up, and are followed there.
    assert guide.states["module/Module._named_members.md"] == "moved"
    assert_never_misplaced(guide, locked)


def test_a_duplicated_quoted_line_orphans_that_line_note_only(tmp_path, installed_torch, locked):
    guide = read_against(tmp_path, installed_torch, locked, cases.DUPLICATED)
    name = "module/Module._named_members.md"
    drift = guide.located.of(name)
    assert drift.target_state == "changed" and drift.state == "orphaned"
    lines = line_states_of(guide, name)
    assert lines["if v is None or v in memo:"] == ("orphaned", None)
    assert lines["self.named_modules(prefix=prefix, remove_duplicate=remove_duplicate)"][0] == (
        "fresh"
    )
    (problem,) = guide.located.orphaned()
    assert problem.line == 10  # the line note's heading in the note file
    assert "matches 2 lines of `Module._named_members`" in problem.message
    assert "no longer unique" in problem.message
    (attached,) = [n for n in guide.notes if n.note.name == name]
    assert [p.note.anchor for p in attached.line_notes] == [
        "self.named_modules(prefix=prefix, remove_duplicate=remove_duplicate)"
    ]
    assert_never_misplaced(guide, locked)


def test_an_orphaned_note_fails_loading_with_its_file_line_and_the_way_to_check(
    tmp_path, installed_torch, locked
):
    tree = make_torch_tree(tmp_path / "tree", installed_torch, edit=cases.remove_getattr)
    with pytest.raises(NoteError) as caught:
        load_guide(locked, snapshot_dir=tmp_path / "snap", torch_root=tree)
    (problem,) = caught.value.problems
    assert str(problem).startswith(
        f"{locked / 'module/Module.__getattr__.md'}:2: the note is orphaned"
    )
    assert "`annotate check`" in str(problem)


def test_a_note_without_a_lock_entry_is_unlocked_and_checked_as_before(
    tmp_path, installed_torch, locked, index
):
    notes = read_notes(locked)
    new = tmp_path / "notes"
    write_note(new, "module/Module.cuda.md", "---\ntarget: Module.cuda\n---\nOn `cuda`.\n")
    (fresh_note,) = read_notes(new)
    report = locate_notes([*notes, fresh_note], index, read_lock(locked / "notes.lock.json"))
    assert report.states()["module/Module.cuda.md"] == "unlocked"
    assert report.orphaned() == []
    # An unknown target on a note never locked is a plain mistake: "did you mean", not orphaned.
    write_note(new, "module/Module.cuda.md", "---\ntarget: Module.cdua\n---\nx\n")
    with pytest.raises(NoteError, match=r"did you mean `Module.cuda`"):
        load_guide(new, snapshot_dir=tmp_path / "snap")


CLASS_NOTE = {
    "container/Sequential.md": """---
target: torch.nn.Sequential
---
A list of modules called in turn.

## `_modules: dict[str, Module]`

The annotation narrows what `_modules` holds.
"""
}


@pytest.mark.parametrize(
    ("change", "state"),
    [
        (
            (
                "    def append(self, module: Module) -> Self:\n",
                "    def prepend(self, module: Module) -> Self:\n        return self\n\n"
                "    def append(self, module: Module) -> Self:\n",
            ),
            "fresh",
        ),
        (
            # An @overload stub added to a method: the method's business, not the class's.
            (
                "    def append(self, module: Module) -> Self:\n",
                "    @overload\n    def append(self, module: Sequential) -> Self: ...\n\n"
                "    def append(self, module: Module) -> Self:\n",
            ),
            "fresh",
        ),
        (("A sequential container.", "A container of modules in sequence."), "docstring"),
        (
            (
                "    _modules: dict[str, Module]  # type: ignore[assignment]\n",
                "    # Children, in order.\n    _modules: dict[str, Module]  # type: ignore[assignment]\n",
            ),
            "cosmetic",
        ),
        (
            (
                "    _modules: dict[str, Module]  # type: ignore[assignment]\n",
                "    _modules: dict[str, Module]  # type: ignore[assignment]\n    _frozen = False\n",
            ),
            "changed",
        ),
    ],
    ids=[
        "method-added",
        "method-stub-added",
        "docstring-edited",
        "comment-added",
        "class-attribute-added",
    ],
)
def test_a_note_on_a_class_is_about_the_class_not_its_methods(
    tmp_path, installed_torch, change, state
):
    notes = cases.locked_notes(tmp_path / "notes", tmp_path / "lock-cache", CLASS_NOTE)
    entry = read_lock(notes / "notes.lock.json").get("container/Sequential.md")
    assert entry.span.text[0] == "class Sequential(Module):"
    assert not any(line.lstrip().startswith("def forward(") for line in entry.span.text)
    guide = read_against(tmp_path, installed_torch, notes, cases.edit(cases.CONTAINER, change))
    assert guide.states == {"container/Sequential.md": state}
    (attached,) = guide.notes
    assert attached.obj.path == "torch.nn.modules.container.Sequential"
    assert_never_misplaced(guide, notes)
    if state == "changed":
        view = object_drift_view(guide, "container/Sequential.md")
        assert "+    _frozen = False" in view.diff.splitlines()
        assert "class Sequential without its methods" in view.diff


REQUOTED_NOTE = {
    "module/Module.__setstate__.md": """---
target: torch.nn.Module.__setstate__
---
Restoring a pickled module.

## `self.__dict__.update(state)`

The instance dictionary comes back whole.

## `if "_forward_pre_hooks_with_kwargs" not in self.__dict__:`

Older pickles lack the newer hook dictionaries.
"""
}


@pytest.mark.parametrize(
    "change",
    [
        (
            '        if "_forward_pre_hooks_with_kwargs" not in self.__dict__:\n',
            "        if '_forward_pre_hooks_with_kwargs' not in self.__dict__:\n",
        ),
        ("        self.__dict__.update(state)\n", "        self.__dict__.update( state )\n"),
    ],
    ids=["quote-style", "space-inside-brackets"],
)
def test_a_line_note_follows_a_requoted_or_respaced_line(tmp_path, installed_torch, change):
    notes = cases.locked_notes(tmp_path / "notes", tmp_path / "lock-cache", REQUOTED_NOTE)
    guide = read_against(tmp_path, installed_torch, notes, cases.edit(cases.MODULE, change))
    assert guide.located.orphaned() == []
    (attached,) = guide.notes
    assert attached.obj.path == "torch.nn.modules.module.Module.__setstate__"
    assert len(attached.line_notes) == 2
    assert_never_misplaced(guide, notes)


@pytest.mark.parametrize(
    ("change", "anchor", "lines"),
    [
        (
            (
                "        self.__dict__.update(state)\n",
                "        self.__dict__.update(\n            state,\n        )\n",
            ),
            "self.__dict__.update(state)",
            3,
        ),
        (
            (
                '        if "_forward_pre_hooks_with_kwargs" not in self.__dict__:\n',
                '        if ("_forward_pre_hooks_with_kwargs" not in self.__dict__):\n',
            ),
            'if "_forward_pre_hooks_with_kwargs" not in self.__dict__:',
            1,
        ),
    ],
    ids=["split-over-lines-with-a-trailing-comma", "bracketed"],
)
def test_a_quoted_statement_is_found_in_another_spelling_and_reads_cosmetic(
    tmp_path, installed_torch, change, anchor, lines
):
    notes = cases.locked_notes(tmp_path / "notes", tmp_path / "lock-cache", REQUOTED_NOTE)
    was = read_lock(notes / "notes.lock.json").get("module/Module.__setstate__.md")
    guide = read_against(tmp_path, installed_torch, notes, cases.edit(cases.MODULE, change))
    assert guide.located.orphaned() == []
    found = {ln.line_note.anchor: ln for ln in guide.located.notes[0].line_notes}
    assert found[anchor].state == "cosmetic"
    assert found[anchor].start == was.line_notes[anchor].start
    assert found[anchor].end - found[anchor].start + 1 == lines
    # The rest of the function only moved below the reflowed line, or did not move.
    other = next(a for a in found if a != anchor)
    assert found[other].state in ("fresh", "moved")
    assert guide.states["module/Module.__setstate__.md"] == "cosmetic"
    assert_never_misplaced(guide, notes)


def test_a_statement_joined_onto_one_line_reads_cosmetic_not_changed(
    tmp_path, installed_torch, locked
):
    joined = cases.edit(
        cases.MODULE,
        (
            "torch._C._nn._parse_to(\n            *args,\n            **kwargs,\n        )\n",
            "torch._C._nn._parse_to(*args, **kwargs)\n",
        ),
    )
    guide = read_against(tmp_path, installed_torch, locked, joined)
    drift = guide.located.of("module/Module.to.md")
    (parse,) = [ln for ln in drift.line_notes if ln.line_note.anchor == "torch._C._nn._parse_to("]
    # The trailing comma went too: the tokens differ, the syntax does not.
    assert parse.state == "cosmetic" and parse.start == parse.end
    assert drift.target_state == "cosmetic"
    assert_never_misplaced(guide, locked)


def test_a_quoted_statement_found_twice_in_any_spelling_is_orphaned(tmp_path, installed_torch):
    notes = cases.locked_notes(tmp_path / "notes", tmp_path / "lock-cache", REQUOTED_NOTE)
    twice = cases.edit(
        cases.MODULE,
        (
            "        self.__dict__.update(state)\n",
            "        self.__dict__.update(state)\n        self.__dict__.update(\n            state\n        )\n",
        ),
    )
    guide = read_against(tmp_path, installed_torch, notes, twice)
    (problem,) = guide.located.orphaned()
    assert "line anchor `self.__dict__.update(state)` matches 2 lines" in problem.message
    assert "lines 1925, 1926" in problem.message
    (attached,) = guide.notes
    assert [p.note.anchor for p in attached.line_notes] == [
        'if "_forward_pre_hooks_with_kwargs" not in self.__dict__:'
    ]
    assert_never_misplaced(guide, notes)


def test_a_note_linking_to_an_object_that_is_gone_is_orphaned_at_the_link(
    tmp_path, installed_torch
):
    notes = cases.locked_notes(tmp_path / "notes", tmp_path / "lock-cache")
    tree = make_torch_tree(tmp_path / "with-helper", installed_torch, edit=cases.INSERTED_ABOVE)
    cases.lock_gone_notes(notes, tree, tmp_path / "helper-cache")
    guide = read_against(tmp_path, installed_torch, notes, None)
    assert guide.states["module/Module._helper_added_above.md"] == "orphaned"
    cuda = guide.located.of("module/Module.cuda.md")
    assert cuda.target_state == "orphaned" and cuda.obj.short == "Module.cuda"
    assert "reference to `torch.nn.Module._helper_added_above`" in cuda.reason
    assert {n.note.name for n in guide.notes} == set(cases.NOTES)  # both left out, no others
    problems = {p.file.name: p for p in guide.located.orphaned()}
    assert problems["Module.cuda.md"].line == 4  # the line of the link
    assert "annotate refresh module/Module.cuda.md" in problems["Module.cuda.md"].fix
    with pytest.raises(NoteError) as caught:
        load_guide(notes, snapshot_dir=tmp_path / "snap")
    assert len(caught.value.problems) == 2
