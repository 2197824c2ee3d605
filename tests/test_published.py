"""Every file under docs/ is a note, a page of the navigation, or a problem naming the fix."""

from __future__ import annotations

import os
from pathlib import Path

from mkdocs.config import load_config

from annotate.mkdocs_adapter.site_files import nav_pages as _nav_pages
from annotate.notes.published import unchecked_files
from tests.conftest import ROOT, write_note


def nav_pages(config) -> list[str]:
    return _nav_pages(config.nav)


def test_the_repository_publishes_nothing_unchecked():
    config = load_config(str(ROOT / "mkdocs.yml"))
    docs = Path(config.docs_dir)
    generated = [p for p in nav_pages(config) if not (docs / p).exists()]
    languages = [entry["locale"] for entry in config.plugins["i18n"].config.languages]
    assert languages == ["en", "zh"]
    problems = unchecked_files(
        docs,
        pages=nav_pages(config),
        notes_dir=docs / "notes",
        generated=generated,
        languages=languages,
    )
    assert problems == []
    # A translation stands only beside a page of the navigation.
    write_note(docs, "stray.zh.md", "# 无人引用\n")
    try:
        (stray,) = unchecked_files(
            docs, pages=nav_pages(config), notes_dir=docs / "notes", languages=languages
        )
        assert stray.file == docs / "stray.zh.md"
    finally:
        (docs / "stray.zh.md").unlink()


def test_stray_pages_active_files_and_links_out_are_problems(tmp_path):
    docs = tmp_path / "docs"
    write_note(docs, "index.md", "# Home\n")
    write_note(docs, "notes/module/Module.to.md", "a note\n")
    write_note(docs, "note/module/Module.cuda.md", "a note in a mistyped folder\n")
    write_note(docs, "extra.md", "# Not in the navigation\n")
    write_note(docs, "evil.html", "<script>alert(1)</script>\n")
    write_note(docs, "images/x.SVG", "<svg onload=alert(1)></svg>\n")
    write_note(docs, "images/fine.png", "png")
    secret = write_note(tmp_path, "secret.md", "outside\n")
    os.symlink(secret, docs / "linked.md")
    problems = {
        p.file.relative_to(docs).as_posix(): p
        for p in unchecked_files(docs, pages=["index.md", "linked.md"], notes_dir=docs / "notes")
    }
    assert sorted(problems) == [
        "evil.html",
        "extra.md",
        "images/x.SVG",
        "linked.md",
        "note/module/Module.cuda.md",
    ]
    assert (
        problems["note/module/Module.cuda.md"].fix
        == "a note belongs in `notes/`: move it to `notes/module/Module.cuda.md`"
    )
    assert "navigation" in problems["extra.md"].message and "`nav:`" in problems["extra.md"].fix
    assert "outside" in problems["linked.md"].message
    assert "unchecked" in problems["evil.html"].message


def test_a_build_with_a_stray_page_fails_naming_it_and_the_fix(tmp_path):
    from tests.conftest import copy_project, failed_build

    config = copy_project(tmp_path / "project")
    write_note(
        config.parent / "docs",
        "note/module/Module.cuda.md",
        "---\ntarget: torch.nn.Module.cuda\n---\nText.\n",
    )
    write_note(config.parent / "docs", "raw.html", "<script>alert(1)</script>\n")
    chapter = config.parent / "docs/chapters/calling.zh.md"
    text = chapter.read_text(encoding="utf-8")
    chapter.write_text(text + "\n<!--> <img src=x onerror=alert(1)> -->\n", encoding="utf-8")
    error = failed_build(config, tmp_path / "site", full=True)
    assert "cannot be published as they are" in error
    assert (
        f"{chapter}:{text.count(chr(10)) + 2}: active content is not allowed in a page: "
        "inline event handler `onerror=`" in error
    )
    assert "note/module/Module.cuda.md:1: a page the navigation does not name" in error
    assert "move it to `notes/module/Module.cuda.md`" in error
    assert "raw.html:1: a `.html` file would be published as it is, unchecked" in error
