"""A guide per torch release line: which releases are built and how, fetching what a folder
lacks, and the site `scripts/publish.py` builds with mike (see `published_site`)."""

from __future__ import annotations

import json
from urllib.parse import unquote, urljoin, urlsplit

import pytest

from annotate.drift.lock import LOCK_NAME, read_lock
from annotate.guide import read_guide
from annotate.history.publish import (
    LATEST,
    PublishError,
    deploy_command,
    fetch_releases,
    locked_release,
    release_guides,
)
from annotate.site.maintenance import orphan_places
from tests.conftest import NOTES, ROOT, make_torch_tree, publish_script
from tests.htmltree import parse
from tests.linkcheck import links_of


def _trees(folder, installed, *versions):
    for version in versions:
        make_torch_tree(folder / version, installed)
    return folder


def test_each_line_builds_its_latest_patch_and_only_the_locked_release_fails_on_orphans(
    tmp_path, installed_torch
):
    lock = read_lock(NOTES / LOCK_NAME)
    locked = locked_release(lock)
    assert {e.torch.split("+")[0] for e in lock.entries.values()} == {locked}
    major, minor, _ = locked.split(".")
    below, above = f"{major}.{int(minor) - 1}", f"{major}.{int(minor) + 1}"
    folder = _trees(
        tmp_path, installed_torch, f"{below}.0", f"{below}.1", locked, f"{above}.0", f"{above}.2"
    )
    (folder / "README.md").write_text("not a release\n")
    guides = release_guides(folder, lock=lock)
    assert [(g.line, g.version) for g in guides] == [
        (above, f"{above}.2"),
        (f"{major}.{minor}", locked),
        (below, f"{below}.1"),
    ]
    assert [g.orphans for g in guides] == ["list", "fail", "list"]
    assert [g.latest for g in guides] == [True, False, False]
    assert guides[0].torch_root == (folder / f"{above}.2" / "torch").resolve()
    assert guides[0].environment()["ANNOTATE_ORPHANS"] == "list"
    only = release_guides(folder, lock=lock, lines=[below])
    assert [(g.version, g.latest) for g in only] == [(f"{below}.1", False)]


def test_the_newest_line_is_also_latest_and_aliases_redirect(tmp_path, installed_torch):
    folder = _trees(tmp_path, installed_torch, "2.5.0", "2.6.0")
    newest, older = release_guides(folder, lock=read_lock(NOTES / LOCK_NAME))
    command = deploy_command(newest, config_file=ROOT / "mkdocs.yml", branch="pages")
    assert command[:2] == ["mike", "deploy"] and "--update-aliases" in command
    assert command[-2:] == ["2.6", LATEST]
    assert command[command.index("--title") + 1] == "2.6.0"
    assert command[command.index("--alias-type") + 1] == "redirect"
    assert command[command.index("--branch") + 1] == "pages"
    assert deploy_command(older, config_file=ROOT / "mkdocs.yml", branch="pages")[-1] == "2.5"


def test_a_folder_without_trees_a_broken_tree_or_an_unknown_line_is_a_clear_error(
    tmp_path, installed_torch
):
    lock = read_lock(NOTES / LOCK_NAME)
    with pytest.raises(PublishError, match=r"holds no release trees.*--fetch"):
        release_guides(tmp_path / "nothing", lock=lock)
    folder = _trees(tmp_path / "releases", installed_torch, "2.6.0")
    with pytest.raises(PublishError, match=r"no release of line 2\.7 .*the lines there are 2\.6"):
        release_guides(folder, lock=lock, lines=["2.7"])
    (folder / "2.6.0" / "torch" / "nn" / "modules" / "module.py").unlink()
    with pytest.raises(PublishError, match=r"2\.6\.0/torch is not a torch tree.*module\.py"):
        release_guides(folder, lock=lock)


def test_fetching_downloads_the_latest_patch_of_each_line_the_folder_lacks(
    tmp_path, installed_torch
):
    fetched = []

    def download(version, into):
        # As `download_release`: a wheel beside the unpacked files, which must not be kept.
        fetched.append(version)
        (into / "wheel").mkdir()
        (into / "wheel" / f"torch-{version}.whl").write_text("wheel")
        return make_torch_tree(into / version, installed_torch) / "torch"

    folder = _trees(tmp_path / "releases", installed_torch, "2.6.0")
    got = fetch_releases(folder, ["2.5.0", "2.5.1", "2.6.0", "2.7.0"], download=download)
    assert got == fetched == ["2.5.1", "2.7.0"]
    assert sorted(p.name for p in folder.iterdir()) == ["2.5.1", "2.6.0", "2.7.0"]
    assert (folder / "2.7.0" / "torch" / "nn" / "modules" / "module.py").is_file()
    assert fetch_releases(folder, ["2.5.1", "2.7.0"], download=download) == []


def test_the_script_prints_its_plan_and_names_a_bad_folder_without_a_traceback(
    tmp_path, installed_torch
):
    folder = _trees(tmp_path / "releases", installed_torch, "2.5.0", "2.6.0")
    result = publish_script(str(folder), "--dry-run", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines() == [
        "2.6 (latest): torch 2.6.0, orphans: list",
        "2.5: torch 2.5.0, orphans: list",
    ]
    result = publish_script(str(tmp_path / "absent"), "--dry-run", cwd=tmp_path)
    assert result.returncode == 1
    assert "holds no release trees" in result.stderr and "Traceback" not in result.stderr


# The site built with mike.


def test_versions_json_lists_every_line_newest_first_and_the_root_leads_to_latest(published_site):
    versions = json.loads((published_site.root / "versions.json").read_text())
    built = sorted(
        (p.name for p in published_site.releases.iterdir()),
        key=lambda v: tuple(map(int, v.split("."))),
        reverse=True,
    )
    assert [v["title"] for v in versions] == built
    assert [v["version"] for v in versions] == [".".join(v.split(".")[:2]) for v in built]
    assert [v["aliases"] for v in versions] == [[LATEST]] + [[]] * (len(built) - 1)
    assert f"built {len(built)} guide(s) into gh-pages in " in published_site.output
    newest = versions[0]["version"]
    # The root leads to `latest`, and `latest/...` to the same page of the newest guide.
    assert 'url=latest/"' in (published_site.root / "index.html").read_text()
    chapter = published_site.root / LATEST / "chapters" / "named-members" / "index.html"
    assert f'"../../../{newest}/chapters/named-members/"' in chapter.read_text()
    for version in versions:
        for language in ("", "zh/"):
            page = published_site.root / version["version"] / language / "index.html"
            assert page.is_file(), page
            built_from = parse(page.read_text(encoding="utf-8")).find_all(cls="an-version")[0]
            assert built_from.attrs["data-an-version"].startswith(version["title"])
            assert '"provider": "mike"' in page.read_text()


def test_an_unknown_address_gets_the_newest_guides_404_page_and_its_links_hold(published_site):
    # The pages host answers every unknown address with the root's 404.html.
    newest = json.loads((published_site.root / "versions.json").read_text())[0]["version"]
    page = published_site.root / "404.html"
    assert page.read_bytes() == (published_site.root / newest / "404.html").read_bytes()
    base = urlsplit(published_site.base)
    checked = 0
    for _, link in links_of(page.read_text(encoding="utf-8"))[1]:
        parts = urlsplit(urljoin(published_site.base + "chapters/no/such/page/", link))
        if parts.netloc != base.netloc:
            continue
        assert parts.path.startswith(base.path), link
        target = published_site.root / unquote(parts.path.removeprefix(base.path))
        assert (target / "index.html" if parts.path.endswith("/") else target).is_file(), link
        checked += 1
    # Stylesheets, scripts, the home page and the chapters.
    assert checked > 10


def _orphan_place():
    """Where the line note of `_named_members` on `if v is None or v in memo:` stands."""
    note = NOTES / "module" / "Module._named_members.md"
    (number,) = [
        n
        for n, line in enumerate(note.read_text(encoding="utf-8").splitlines(), 1)
        if line.startswith("## ") and "if v is None or v in memo:" in line
    ]
    return f"module/Module._named_members.md:{number}"


def test_the_older_guide_lists_its_orphaned_line_note_and_the_locked_one_has_none(published_site):
    line = ".".join(published_site.older.split(".")[:2])
    older = published_site.root / line
    place = _orphan_place()
    for html in (older / "index.html", older / "chapters" / "named-members" / "index.html"):
        (banner,) = parse(html.read_text(encoding="utf-8")).find_all("p", cls="an-orphans")
        assert place in [c.all_text() for c in banner.find_all("code")], html
    maintenance = parse((older / "maintenance" / "index.html").read_text(encoding="utf-8"))
    (danger,) = maintenance.find_all("div", cls="danger")
    assert place in danger.all_text()
    assert f"{published_site.older}" in danger.all_text()
    newest = json.loads((published_site.root / "versions.json").read_text())[0]["version"]
    for rel in ("", "chapters/named-members/", "zh/", "zh/chapters/named-members/"):
        html = published_site.root / newest / rel / "index.html"
        assert not parse(html.read_text(encoding="utf-8")).find_all("p", cls="an-orphans"), html


def test_the_real_older_release_lists_every_note_it_orphans(published_site, tmp_path):
    if not (published_site.releases / "2.1.2").exists():
        pytest.skip("the release trees are not there (ANNOTATE_TORCH_RELEASES)")
    guide, problems = read_guide(
        NOTES,
        snapshot_dir=tmp_path / "snapshot",
        torch_root=published_site.releases / "2.1.2",
        allow_orphaned=True,
    )
    assert problems == []
    expected = orphan_places(guide)
    assert len(expected) > 1
    for html in ("index.html", "chapters/state-dict/index.html"):
        page = parse((published_site.root / "2.1" / html).read_text(encoding="utf-8"))
        (banner,) = page.find_all("p", cls="an-orphans")
        assert [c.all_text() for c in banner.find_all("code")] == expected, html
    maintenance = (published_site.root / "2.1" / "maintenance" / "index.html").read_text()
    (danger,) = parse(maintenance).find_all("div", cls="danger")
    assert all(place in danger.all_text() for place in expected)
    assert "2.1.2" in danger.all_text()
