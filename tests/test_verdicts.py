"""Verdicts kept between builds stand only for the bytes and the code they were given for, and
only when signed with the key kept outside the repository."""

from __future__ import annotations

import json

from annotate.notes.verdicts import Verdicts, key_file


def test_a_verdict_is_kept_for_its_content_alone(tmp_path):
    verdicts = Verdicts(tmp_path / "verdicts", key=tmp_path / "home" / "key")
    verdicts.put(b"a note", {"accepted": True})
    assert verdicts.get(b"a note") == {"accepted": True}
    assert verdicts.get(b"a note ") is None
    # Another process with the same key reads it; one with another key does not.
    assert Verdicts(tmp_path / "verdicts", key=tmp_path / "home" / "key").get(b"a note")
    assert Verdicts(tmp_path / "verdicts", key=tmp_path / "other").get(b"a note") is None


def test_a_forged_or_damaged_verdict_is_judged_again(tmp_path):
    verdicts = Verdicts(tmp_path / "verdicts", key=tmp_path / "key")
    verdicts.put(b"<script>", {"problems": ["active content"]})
    (entry,) = (tmp_path / "verdicts").glob("*.json")
    data = json.loads(entry.read_text(encoding="utf-8"))
    # What a pull request could commit under .cache/: the verdict changed, the signature kept.
    data["value"] = json.dumps({"problems": []})
    entry.write_text(json.dumps(data), encoding="utf-8")
    assert verdicts.get(b"<script>") is None
    for damaged in ("", "{", '{"value": 1, "signature": 2}', "[]"):
        entry.write_text(damaged, encoding="utf-8")
        assert verdicts.get(b"<script>") is None


def test_the_key_lives_outside_the_project_and_is_made_once(tmp_path, monkeypatch):
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    assert key_file().is_relative_to(tmp_path / "xdg")
    Verdicts(tmp_path / "v").put(b"x", 1)
    key = key_file().read_bytes()
    assert len(key) == 32
    assert key_file().stat().st_mode & 0o077 == 0
    assert Verdicts(tmp_path / "v").get(b"x") == 1
    assert key_file().read_bytes() == key


def test_without_a_place_for_the_key_nothing_is_kept(tmp_path):
    blocked = tmp_path / "file"
    blocked.write_text("not a folder", encoding="utf-8")
    verdicts = Verdicts(tmp_path / "v", key=blocked / "key")
    verdicts.put(b"x", 1)
    assert verdicts.get(b"x") is None
    assert not (tmp_path / "v").exists()


def test_a_build_in_a_fresh_process_takes_the_signed_verdicts_of_the_last(tmp_path, monkeypatch):
    """The second reading judges nothing and gives what judging gave, refusals included."""
    import annotate.notes.read as read
    from annotate.notes.read import collect_notes
    from tests.conftest import write_note

    notes_dir = tmp_path / "notes"
    good = "---\ntarget: torch.nn.Module.to\n---\nMoves it.\n\n## `return self._apply(convert)`\n\nHere.\n"
    write_note(notes_dir, "module/Module.to.md", good)
    write_note(
        notes_dir, "module/Module.cuda.md", good.replace("Moves it.", "<img src=x onerror=y>")
    )
    verdicts = Verdicts(tmp_path / "verdicts", key=tmp_path / "key")
    first = collect_notes(notes_dir, verdicts=verdicts)
    assert [p.file.name for p in first[1]] == ["Module.cuda.md"]
    judged = []
    original = read.read_note
    monkeypatch.setattr(read, "read_note", lambda *a, **k: judged.append(a) or original(*a, **k))
    monkeypatch.setattr(read, "_LAST_READ", {})  # as in a new process
    again = collect_notes(notes_dir, verdicts=Verdicts(tmp_path / "verdicts", key=tmp_path / "key"))
    assert (again, judged) == (first, [])
    # Without the key that signed them, every note is judged anew.
    monkeypatch.setattr(read, "_LAST_READ", {})
    other = collect_notes(notes_dir, verdicts=Verdicts(tmp_path / "verdicts", key=tmp_path / "k2"))
    assert other == first
    assert len(judged) == 2


def test_a_page_is_judged_once_for_its_text_and_a_forged_verdict_is_judged_again(
    tmp_path, monkeypatch
):
    import annotate.notes.published as published

    page = tmp_path / "docs" / "page.md"
    page.parent.mkdir()
    active = "# A page\n\n<script>alert(1)</script>\n"
    page.write_text(active, encoding="utf-8")
    verdicts = Verdicts(tmp_path / "verdicts", key=tmp_path / "key")
    refused = published.active_page_content(page, verdicts=verdicts)
    assert len(refused) == 1 and "active content is not allowed" in str(refused[0])
    assert f"{page}:3" in str(refused[0])

    judged = []
    judge = published.find_active_content
    monkeypatch.setattr(
        published, "find_active_content", lambda *a, **k: judged.append(1) or judge(*a, **k)
    )
    assert published.active_page_content(page, verdicts=verdicts) == refused
    assert judged == []  # the same text: the kept verdict
    page.write_text("# A page\n\nPlain.\n", encoding="utf-8")
    assert published.active_page_content(page, verdicts=verdicts) == []
    assert judged == [1]  # another text: judged

    # The refusal erased from the kept verdict, its signature left as it was.
    page.write_text(active, encoding="utf-8")
    for entry in (tmp_path / "verdicts").glob("*.json"):
        data = json.loads(entry.read_text(encoding="utf-8"))
        data["value"] = "[]"
        entry.write_text(json.dumps(data), encoding="utf-8")
    assert published.active_page_content(page, verdicts=verdicts) == refused
    assert judged == [1, 1]


def test_a_judgement_is_kept_by_kind_and_text_and_one_of_another_form_is_judged_again(tmp_path):
    verdicts = Verdicts(tmp_path / "verdicts", key=tmp_path / "key")
    judged = []

    def judge(text):
        judged.append(text)
        return ["`<script>` element"] if "<script" in text else []

    def reasons(kept):
        return isinstance(kept, list) and all(isinstance(r, str) for r in kept)

    html = "<pre><script>alert(1)</script></pre>"
    assert verdicts.judged("example HTML", html, judge, valid=reasons) == ["`<script>` element"]
    assert verdicts.judged("example HTML", html, judge, valid=reasons) == ["`<script>` element"]
    assert judged == [html]  # the second time, the kept verdict
    # The same text as another kind of content is judged for itself.
    verdicts.judged("page", html, judge, valid=reasons)
    assert judged == [html, html]
    # A kept verdict of another form (here a signed one, as an older judge left it) is not used.
    verdicts.put(b"example HTML\0<p>x</p>", {"accepted": True})
    assert verdicts.judged("example HTML", "<p>x</p>", judge, valid=reasons) == []
    assert judged[-1] == "<p>x</p>"
