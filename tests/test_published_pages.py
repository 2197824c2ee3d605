"""Chapters and the home page are judged as notes are: as a browser reads the HTML they become."""

from __future__ import annotations

import shutil

import pytest

from annotate.notes.published import active_page_content
from tests.conftest import ROOT, copy_project, write_note
from tests.drift_cases import run_cli

CHAPTER = "# A chapter\n\nSome prose.\n\n"
EXAMPLE = '```python exec="on" source="above" result="text" session="s"\nprint("<b>hi</b>")\n```\n'


@pytest.mark.parametrize(
    ("body", "line", "reason"),
    [
        ("<script>alert(1)</script>\n", 5, "`<script>` element"),
        # Spellings a browser tokenises otherwise than a naive parser.
        ("<!--> <img src=x onerror=alert(1)> -->\n", 5, "inline event handler `onerror=`"),
        ("<!---> <img src=x onerror=alert(1)> -->\n", 5, "inline event handler `onerror=`"),
        (
            "<noembed><img title='</noembed><img src=x onerror=alert(1)>'></noembed>\n",
            5,
            "`<noembed>` element",
        ),
        (
            "<noscript><p title='</noscript><img src=x onerror=alert(1)>'></noscript>\n",
            5,
            "`<noscript>` element",
        ),
        (
            "<svg><a><animate attributeName=href values=javascript:alert(1) />"
            "<text>x</text></a></svg>\n",
            5,
            "`<svg>` element",
        ),
        (
            "<p><![CDATA[ ]]><img src=x onerror=alert(1)>]]></p>\n",
            5,
            "inline event handler `onerror=`",
        ),
        ("Text.\n\n[click](java&#x09;script:alert(1))\n", 7, "`javascript:` URL in `href=`"),
        ("## Heading { onclick=alert(1) }\n", 5, "inline event handler `onclick=`"),
        ("<a href='javascript&colon;alert(1)'>x</a>\n", 5, "`javascript:` URL in `href=`"),
        # Examples run, but their output is text: never HTML, never Markdown.
        (
            '```python exec="on" html="1"\nprint("<script>alert(1)</script>")\n```\n',
            5,
            "an example whose output is put in the page as HTML (`html=`)",
        ),
        (
            '```python exec="on"\nprint("<script>alert(1)</script>")\n```\n',
            5,
            'an example whose output is rendered as Markdown (no `result="text"`)',
        ),
        (
            '> ```py exec="1" html="true" result="text"\n> print(1)\n> ```\n',
            5,
            "an example whose output is put in the page as HTML (`html=`)",
        ),
        (
            '```bash exec="on" result="text"\necho hi\n```\n',
            5,
            "executed code fence (`bash`): a page runs Python examples only",
        ),
        (
            "```pyodide\nimport js\n```\n",
            5,
            "executed code fence (`pyodide`): a page runs Python examples only",
        ),
    ],
)
def test_active_content_in_a_chapter_is_refused_at_its_line(tmp_path, body, line, reason):
    page = write_note(tmp_path, "chapters/x.md", CHAPTER + body)
    problems = [str(p).split("; remove it")[0] for p in active_page_content(page)]
    assert f"{page}:{line}: active content is not allowed in a page: {reason}" in problems


@pytest.mark.parametrize(
    "body",
    [
        EXAMPLE,
        EXAMPLE + "\n" + EXAMPLE.replace("<b>hi</b>", "<All keys matched successfully>"),
        "<!-- annotate:callgraph Module.to Module._apply -->\n",
        "::: torch.nn.Module.to\n    options:\n      heading_level: 3\n",
        "## The source {#the-source}\n\nA key `<prefix>_extra_state`, and [`to`][torch.nn.Module.to].\n",
        '!!! note "A note"\n\n    Text with <kbd>Ctrl</kbd>.\n',
    ],
)
def test_what_chapters_use_is_accepted(tmp_path, body):
    page = write_note(tmp_path, "chapters/x.md", CHAPTER + body)
    assert active_page_content(page) == []


def test_lines_are_counted_with_the_front_matter(tmp_path):
    page = write_note(
        tmp_path,
        "index.zh.md",
        "---\ntitle: <script>x</script>\n---\n# 首页\n\n<script></script>\n",
    )
    (problem,) = active_page_content(page)
    assert (problem.line, problem.message) == (
        6,
        "active content is not allowed in a page: `<script>` element",
    )


def test_every_chapter_of_the_repository_is_accepted_and_each_example_is_seen(tmp_path):
    pages = sorted((ROOT / "docs").glob("chapters/*.md")) + sorted(
        (ROOT / "docs").glob("index*.md")
    )
    assert len(pages) >= 18
    for page in pages:
        assert active_page_content(page) == [], page
    # The same chapter with one example turned to Markdown output is refused at that example.
    text = (ROOT / "docs/chapters/to-and-apply.md").read_text(encoding="utf-8")
    lines = text.split("\n")
    last = max(i for i, t in enumerate(lines) if t.startswith('```python exec="on"'))
    lines[last] = lines[last].replace(' result="text"', "")
    copy = write_note(tmp_path, "to-and-apply.md", "\n".join(lines))
    (problem,) = active_page_content(copy)
    assert problem.line == last + 1


def test_annotate_check_judges_the_chapters_and_their_translations(tmp_path):
    config = copy_project(tmp_path / "project")
    chapters = config.parent / "docs/chapters"
    english = (chapters / "calling.md").read_text(encoding="utf-8").split("\n")
    (chapters / "calling.md").write_text(
        "\n".join([*english[:3], "<script>alert(1)</script>", *english[3:]]), encoding="utf-8"
    )
    chinese = chapters / "state-dict.zh.md"
    chinese.write_text(
        chinese.read_text(encoding="utf-8") + "\n<img src=x onerror=alert(1)>\n", encoding="utf-8"
    )
    stray = write_note(config.parent / "docs", "note/Module.to.md", "# A note\n")
    # No notes: only the pages are judged (the repository's notes have tests of their own).
    notes = config.parent / "docs/notes"
    shutil.rmtree(notes)
    notes.mkdir()
    code, out = run_cli(
        "check", "--notes", str(notes), "--cache", str(tmp_path / "cache"), "--config", str(config)
    )
    assert code == 1, out
    lines = [line.split("; ")[0] for line in out.splitlines()]
    assert (
        f"error: {chapters / 'calling.md'}:4: active content is not allowed in a page: "
        "`<script>` element"
    ) in lines, out
    last = chinese.read_text(encoding="utf-8").count("\n")
    assert (
        f"error: {chinese}:{last}: active content is not allowed in a page: "
        "inline event handler `onerror=`"
    ) in lines, out
    assert f"error: {stray}:1: a page the navigation does not name" in lines, out
    assert sum(line.startswith("error:") for line in lines) == 3, out
