"""Names and lock fields on the maintenance page are shown as they are, never read as markup."""

from __future__ import annotations

import json
import shutil

import html5lib
import pytest
from markdown import Markdown

from annotate.guide import load_guide
from annotate.site.literal import code, literal, with_code
from annotate.site.maintenance import maintenance_page
from tests.conftest import NOTES, copy_project, run_mkdocs

NEW = "module/Module.cpu`<img src=x onerror=alert(1)>`|[x](javascript:alert(2)).md"
"""A note not in the lock file yet, with a translation."""
GONE_TARGET = "torch.nn.Module.gone`<svg onload=alert(3)>`"
STALE = 'module/`<a href="javascript:alert(4)">x</a>`|*x*.md'
LOCKED_TARGET = "torch.nn.Module.cuda`<img src=x onerror=alert(5)>`"
TORCH = "2.0 | <script>alert(6)</script> *x* [y](javascript:alert(7))"
CHANGED = {"torch": TORCH, "code": "0" * 16, "exact": "0" * 16}
"""Lock fields that make a note's code changed since a torch named `TORCH`."""
HOSTILE = (NEW, GONE_TARGET, STALE, LOCKED_TARGET, TORCH)


def hostile_notes(folder):
    """Notes and a lock file whose names and fields are markup: every kind the page shows."""
    lock = json.loads((NOTES / "notes.lock.json").read_text(encoding="utf-8"))
    cuda = lock["notes"]["module/Module.cuda.md"]
    (folder / "module").mkdir(parents=True, exist_ok=True)
    shutil.copy(NOTES / "module/Module.cuda.md", folder / "module/Module.cuda.md")
    shutil.copy(NOTES / "module/Module.cpu.md", folder / NEW)
    english = NEW.rsplit("/", 1)[1]
    zh = (NOTES / "module/Module.cpu.zh.md").read_text(encoding="utf-8")
    (folder / NEW.replace(".md", ".zh.md")).write_text(
        zh.replace("translates: Module.cpu.md", f"translates: '{english}'"), encoding="utf-8"
    )
    (folder / "module/gone.md").write_text(
        f"---\ntarget: '{GONE_TARGET}'\n---\nGone.\n", encoding="utf-8"
    )
    changed = {**cuda, "target": LOCKED_TARGET, **CHANGED}
    lock["notes"] = {
        "module/Module.cuda.md": changed,
        "module/gone.md": cuda,
        STALE: cuda,
    }
    (folder / "notes.lock.json").write_text(json.dumps(lock), encoding="utf-8")
    return folder


def elements(html):
    tree = html5lib.parseFragment(html, container="div", namespaceHTMLElements=False)
    return tree, [e for e in tree.iter() if isinstance(e.tag, str) and e is not tree]


@pytest.mark.parametrize(
    "text", [*HOSTILE, "a\nb", "&lt;b&gt;", "1. *x* _y_ \\`z\\`", "# h", "- i", "{: #x }"]
)
def test_literal_text_reads_back_as_itself(text):
    md = Markdown(extensions=["tables", "attr_list", "md_in_html"])
    for html, expected in (
        (md.reset().convert(literal(text)), " ".join(text.split())),
        (md.reset().convert(code(text)), " ".join(text.split())),
    ):
        tree, found = elements(html)
        assert {e.tag for e in found} <= {"p", "code"}, html
        assert "".join(tree.itertext()) == expected


def test_quotes_in_a_message_are_code_and_nothing_else_is_markup():
    html = Markdown().convert(with_code("its target `x<b>` is not in `module.py`"))
    tree, found = elements(html)
    assert [e.tag for e in found] == ["p", "code", "code"]
    assert "".join(tree.itertext()) == "its target x<b> is not in module.py"


def test_hostile_names_and_lock_fields_are_shown_as_text(tmp_path):
    notes = hostile_notes(tmp_path / "notes")
    guide = load_guide(notes, snapshot_dir=tmp_path / "snapshot", allow_orphaned=True)
    for language in ("en", "zh"):
        markdown = maintenance_page(guide.in_language(language))
        html = Markdown(
            extensions=["tables", "admonition", "attr_list", "md_in_html", "toc"]
        ).convert(markdown)
        tree, found = elements(html)
        tags = {e.tag for e in found}
        assert tags <= {
            "div",
            "h1",
            "h2",
            "p",
            "ul",
            "li",
            "table",
            "thead",
            "tbody",
            "tr",
            "th",
            "td",
            "code",
            "span",
            "a",
        }, tags
        assert not any(k.startswith("on") for e in found for k in e.attrib)
        # The only links are the unresolved object references, which autorefs resolves later.
        assert [e for e in found if e.tag == "a"] == []
        text = " ".join("".join(tree.itertext()).split())
        for hostile in (NEW, GONE_TARGET, STALE, TORCH):
            assert hostile in text, (language, hostile)
        # A quote cut short by a backtick of the name: the rest still shows as text.
        assert "torch.nn.Module.cuda<img src=x onerror=alert(5)>" in text


def test_the_built_maintenance_page_shows_them_without_any_element_of_theirs(tmp_path):
    config = copy_project(tmp_path / "project")
    notes = config.parent / "docs/notes"
    lock = json.loads((notes / "notes.lock.json").read_text(encoding="utf-8"))
    (notes / "module/Module.cpu.md").rename(notes / NEW)
    (notes / "module/Module.cpu.zh.md").unlink()
    lock["notes"][STALE] = lock["notes"]["module/Module.cuda.md"]
    lock["notes"]["module/Module.cuda.md"] |= CHANGED
    (notes / "notes.lock.json").write_text(json.dumps(lock), encoding="utf-8")
    result = run_mkdocs(tmp_path / "site", config=config, env={"ANNOTATE_CHINESE": "true"})
    assert result.returncode == 0, result.stderr[-4000:]
    for page in ("maintenance/index.html", "zh/maintenance/index.html"):
        html = (tmp_path / "site" / page).read_text(encoding="utf-8")
        tree = html5lib.parse(html, namespaceHTMLElements=False)
        main = tree.find(".//article")
        found = [e for e in main.iter() if isinstance(e.tag, str)]
        assert not {"img", "svg", "script", "animate", "iframe"} & {e.tag for e in found}
        assert not any(k.startswith("on") for e in found for k in e.attrib)
        hrefs = [e.get("href", "") for e in found if e.tag == "a"]
        assert hrefs and not any("javascript" in h.lower() for h in hrefs)
        text = " ".join("".join(main.itertext()).split())
        for hostile in (NEW, STALE, TORCH):
            assert hostile in text, (page, hostile)


def test_the_banner_of_every_page_escapes_the_orphans_it_lists():
    # MkDocs renders its theme's templates without escaping by itself.
    import jinja2
    from mkdocs.utils.templates import url_filter

    from annotate.site import labels, theme

    env = jinja2.Environment(loader=jinja2.FileSystemLoader(theme.THEME_DIR))
    env.filters["url"] = url_filter
    labels.install(env, "en")
    build = {
        "version": "2.0<script>alert(1)</script>",
        "commit": '"><img src=x onerror=alert(2)>',
        "commit_url": "https://github.com/pytorch/pytorch/commit/x",
        "files": ["module.py"],
        "orphans": [NEW + ":2"],
        "maintenance": "",
    }
    html = env.get_template("partials/annotate-version.html").render(
        config={"extra": {"annotate_build": build}}, page=None, base_url="."
    )
    tree, found = elements(html)
    assert {e.tag for e in found} == {"p", "strong", "a", "code"}
    assert not any(k.startswith("on") for e in found for k in e.attrib)
    assert NEW + ":2" in "".join(tree.itertext())
