"""Drift as a reader sees it: banners, diffs and labels in built pages, the maintenance page, and
the build failing on orphaned notes."""

from __future__ import annotations

import shutil

import pytest

from tests import drift_cases as cases
from tests.conftest import copy_project, failed_build, make_torch_tree, run_mkdocs
from tests.htmltree import parse
from tests.test_site import object_block, page

DRIFTED = cases.edits(
    cases.STATEMENT_CHANGED,
    cases.COSMETIC,
    cases.INSERTED_ABOVE,
    cases.GETATTR_STUB,
    cases.DOCSTRING_SENTENCE,
)
"""`to` changed (and its last line reformatted), `_save_to_state_dict` re-commented,
`_named_members` and `Sequential.forward` moved, an `@overload` stub added to `__getattr__`,
a sentence to the docstring of `parameters`."""


def project_with_test_notes(root):
    """A copy of the site whose notes are the test notes, locked against the installed torch."""
    config = copy_project(root / "project")
    notes = root / "project" / "docs" / "notes"
    shutil.rmtree(notes)
    cases.locked_notes(notes, root / "lock-cache", {**cases.NOTES, **cases.PARAMETERS_NOTE})
    return config


def text_of(node):
    return " ".join(node.all_text().split())


@pytest.fixture(scope="module")
def drifted_site(tmp_path_factory, installed_torch):
    root = tmp_path_factory.mktemp("drifted")
    config = project_with_test_notes(root)
    tree = make_torch_tree(root / "torch-tree", installed_torch, edit=DRIFTED)
    result = run_mkdocs(root / "site", config=config, env={"ANNOTATE_TORCH_ROOT": str(tree)})
    assert result.returncode == 0, result.stderr[-4000:]
    return root / "site"


def test_the_build_from_the_installed_torch_marks_nothing(site):
    for html in site.rglob("*.html"):
        text = html.read_text(encoding="utf-8")
        assert "an-drift" not in text, html
        assert ", code changed since" not in text, html  # the banner's words
    tree = page(site, "maintenance")
    (title,) = [n for n in tree.find_all("p", cls="admonition-title")]
    assert text_of(title) == "Every note is fresh"
    assert not tree.find_all("table")
    assert any(
        a.attrs.get("href", "").endswith("maintenance/") for a in page(site, "").find_all("a")
    )


def test_a_changed_function_shows_a_banner_and_the_diff_above_its_note(drifted_site):
    block = object_block(page(drifted_site, "chapters/to-and-apply"), "torch.nn.Module.to")
    (banner,) = block.find_all("div", cls="an-drift")
    assert banner.attrs["data-an-state"] == "changed"
    (title,) = banner.find_all("p", cls="admonition-title")
    assert text_of(title) == "Written for torch 2.13.0+cpu, code changed since"
    deleted = " ".join(text_of(n) for n in banner.find_all("span", cls="gd"))
    inserted = " ".join(text_of(n) for n in banner.find_all("span", cls="gi"))
    assert '- "nn.Module.to only accepts floating point or complex "' in deleted
    assert '+ "Module.to accepts only floating point or complex "' in inserted
    # The banner comes before the note, which is still shown whole.
    order = [n for n in block.iter() if n is banner or "an-note-body" in n.classes]
    assert order[0] is banner and len(order) == 2
    assert "Moves and casts." in text_of(order[1])
    # The reformatted last line carries its own small label.
    *others, last = block.find_all("aside", cls="an-line-note")
    assert "The walk." in text_of(last)
    assert not any(o.find_all("span", cls="an-drift-label") for o in others)
    (label,) = last.find_all("span", cls="an-drift-label")
    assert label.attrs["data-an-state"] == "cosmetic"
    assert text_of(label) == "Reformatted since torch 2.13.0+cpu"


def test_a_stub_added_shows_a_signature_banner_with_the_stub_in_its_diff(drifted_site):
    block = object_block(page(drifted_site, "chapters/attributes"), "torch.nn.Module.__getattr__")
    (banner,) = block.find_all("div", cls="an-drift")
    assert banner.attrs["data-an-state"] == "signature"
    (title,) = banner.find_all("p", cls="admonition-title")
    assert text_of(title) == "Written for torch 2.13.0+cpu, signature changed since"
    assert "1 `@overload` stub added" in text_of(banner)
    inserted = [text_of(n) for n in banner.find_all("span", cls="gi")]
    assert "+ def __getattr__(self, name: str) -> Tensor: ..." in inserted
    deleted = [text_of(n) for n in banner.find_all("span", cls="gd")]
    assert [line for line in deleted if not line.startswith("---")] == []  # only stubs added


def test_a_docstring_change_is_labelled_with_its_diff_folded(drifted_site):
    block = object_block(page(drifted_site, "chapters/named-members"), "torch.nn.Module.parameters")
    assert not block.find_all("div", cls="an-drift")
    (label,) = block.find_all("details", cls="an-drift-label")
    assert label.attrs["data-an-state"] == "docstring" and "open" not in label.attrs
    (summary,) = label.find_all("summary")
    assert text_of(summary) == "Docstring changed since torch 2.13.0+cpu; the code is the same"
    inserted = " ".join(text_of(n) for n in label.find_all("span", cls="gi"))
    assert "The exact order of the returned" in inserted
    (whole_file,) = page(drifted_site, "files/module").find_all(
        "aside", data_an_note="module/Module.parameters.md"
    )
    assert whole_file.find_all("details", cls="an-drift-label")


def test_cosmetic_is_labelled_and_moved_is_silent(drifted_site):
    block = object_block(
        page(drifted_site, "chapters/state-dict"), "torch.nn.Module._save_to_state_dict"
    )
    assert not block.find_all("div", cls="an-drift")
    (label,) = block.find_all("p", cls="an-drift-label")
    assert label.attrs["data-an-state"] == "cosmetic"
    assert "the code is the same" in text_of(label)
    moved = object_block(
        page(drifted_site, "chapters/named-members"), "torch.nn.Module._named_members"
    )
    assert "an-drift" not in str([n.attrs for n in moved.iter()])
    asides = moved.find_all("aside", cls="an-line-note")
    assert len(asides) == 2


def test_the_whole_file_page_shows_the_same_banner_and_labels(drifted_site):
    tree = page(drifted_site, "files/module")
    (to,) = tree.find_all("aside", data_an_note="module/Module.to.md")
    (banner,) = to.find_all("div", cls="an-drift")
    assert "code changed since" in text_of(banner)
    assert any("Module.to accepts only" in text_of(n) for n in banner.find_all("span", cls="gi"))
    (state_dict,) = tree.find_all("aside", data_an_note="module/Module._save_to_state_dict.md")
    assert state_dict.find_all("p", cls="an-drift-label")
    (named,) = tree.find_all("aside", data_an_note="module/Module._named_members.md")
    assert not named.find_all("p", cls="an-drift-label") and not named.find_all(cls="an-drift")


def table_rows(table):
    rows = {}
    for tr in table.find_all("tr")[1:]:
        cells = tr.find_all("td")
        rows[text_of(cells[0])] = (text_of(cells[1]), text_of(cells[2]), cells[0])
    return rows


def test_the_maintenance_page_lists_what_needs_a_person_apart_from_what_was_followed(
    drifted_site,
):
    tree = page(drifted_site, "maintenance")
    work, followed = (table_rows(table) for table in tree.find_all("table"))
    assert {state for _, state, _ in work.values()} == {"changed", "signature", "docstring"}
    assert work["Module.to"][:2] == ("module/Module.to.md", "changed")
    assert work["Module.parameters"][1] == "docstring"
    assert work["Module.__getattr__"][:2] == ("module/Module.__getattr__.md", "signature")
    # Moved and reformatted code needs nobody: listed apart, under its own heading.
    assert tree.find_all(id="followed")
    assert {state for _, state, _ in followed.values()} == {"moved", "cosmetic"}
    assert followed["Module.to, line note return self._apply(convert)"][1] == "cosmetic"
    assert followed["Module._save_to_state_dict"][1] == "cosmetic"
    assert followed["Module._named_members"][1] == "moved"
    assert followed["Sequential.forward"][1] == "moved"
    rows = {**work, **followed}
    (link,) = rows["Module.to"][2].find_all("a")
    assert link.attrs["href"].endswith("#torch.nn.Module.to")
    (link,) = rows["Sequential.forward"][2].find_all("a")
    target, _, anchor = link.attrs["href"].partition("#")
    landing = parse((drifted_site / "maintenance" / target / "index.html").read_text())
    assert anchor.endswith("Sequential.forward") and landing.find_all(id=anchor)


def test_orphaned_notes_fail_the_build_with_file_line_reason_and_the_check_command(
    tmp_path, installed_torch
):
    config = project_with_test_notes(tmp_path)
    notes = tmp_path / "project" / "docs" / "notes"
    tree = make_torch_tree(
        tmp_path / "torch-tree",
        installed_torch,
        edit=cases.edits(cases.RENAMED, cases.remove_getattr, cases.DUPLICATED),
    )
    err = failed_build(config, tmp_path / "site", env={"ANNOTATE_TORCH_ROOT": str(tree)})
    assert "annotate: 3 note problem(s)" in err
    assert (
        f"{notes / 'module/Module._save_to_state_dict.md'}:2: the note is orphaned: its target "
        "`torch.nn.Module._save_to_state_dict` is not in the module.py of this torch"
    ) in err
    assert f"{notes / 'module/Module.__getattr__.md'}:2: the note is orphaned" in err
    assert (
        f"{notes / 'module/Module._named_members.md'}:10: the line note on "
        "`if v is None or v in memo:` of `Module._named_members` is orphaned"
    ) in err
    assert err.count("`annotate check` lists every note's state") == 3
    assert "Traceback" not in err


@pytest.fixture(scope="module")
def preview_site(tmp_path_factory, installed_torch):
    """The test notes, and two locked against a torch with a helper the installed one lacks,
    built against an edited torch with `orphans: list`."""
    root = tmp_path_factory.mktemp("preview")
    config = project_with_test_notes(root)
    notes = root / "project" / "docs" / "notes"
    helper = make_torch_tree(root / "with-helper", installed_torch, edit=cases.INSERTED_ABOVE)
    cases.lock_gone_notes(notes, helper, root / "helper-cache")
    tree = make_torch_tree(
        root / "torch-tree",
        installed_torch,
        edit=cases.edits(cases.STATEMENT_CHANGED, cases.DUPLICATED),
    )
    env = {"ANNOTATE_TORCH_ROOT": str(tree)}
    err = failed_build(config, root / "failed", env=env)
    assert "annotate: 3 note problem(s)" in err  # without the option: as before
    result = run_mkdocs(root / "site", config=config, env={**env, "ANNOTATE_ORPHANS": "list"})
    assert result.returncode == 0, result.stderr[-4000:]
    return root / "site"


ORPHANS = [
    "module/Module._named_members.md:10",
    "module/Module._helper_added_above.md:2",
    "module/Module.cuda.md:4",
]


def test_a_preview_lists_the_orphaned_notes_on_every_page(preview_site):
    pages = sorted(preview_site.rglob("*.html"))
    assert len(pages) > 10
    for html in pages:
        tree = parse(html.read_text(encoding="utf-8"))
        (banner,) = tree.find_all("p", cls="an-orphans")
        assert banner.attrs["data-an-orphans"] == "3"
        assert sorted(text_of(c) for c in banner.find_all("code")) == sorted(ORPHANS), html
        (link,) = banner.find_all("a")
        href = link.attrs["href"]
        # The 404 page is served at any depth: its links start at the site's root.
        base = preview_site if href.startswith("/") else html.parent
        target = (base / href.lstrip("/")).resolve()
        assert target == (preview_site / "maintenance").resolve(), html


def test_a_preview_shows_the_changed_notes_and_lists_the_orphans_on_the_maintenance_page(
    preview_site,
):
    block = object_block(page(preview_site, "chapters/to-and-apply"), "torch.nn.Module.to")
    (banner,) = block.find_all("div", cls="an-drift")
    assert banner.attrs["data-an-state"] == "changed"
    named = object_block(
        page(preview_site, "chapters/named-members"), "torch.nn.Module._named_members"
    )
    (aside,) = named.find_all("aside", cls="an-line-note")  # the orphaned one left out
    assert "The walk." in text_of(aside)
    cuda = object_block(page(preview_site, "chapters/to-and-apply"), "torch.nn.Module.cuda")
    assert not cuda.find_all(data_an_note="module/Module.cuda.md")
    tree = page(preview_site, "maintenance")
    (danger,) = tree.find_all("div", cls="danger")
    assert "3 orphaned note(s) and line note(s) left out of this build" in text_of(danger)
    listed = text_of(danger)
    for place in ORPHANS:
        assert place in listed
    assert "reference to torch.nn.Module._helper_added_above" in listed
    work = table_rows(tree.find_all("table")[0])
    assert work["Module.to"][1] == "changed"
    assert work["Module.cuda"][1] == "orphaned"
