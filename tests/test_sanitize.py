"""Active content in a note is refused with the reason, by the reader and by the build."""

from __future__ import annotations

import pytest

from annotate.errors import NoteError
from annotate.notes.read import read_note
from tests.conftest import copy_project, failed_build, write_note

HEAD = "---\ntarget: torch.nn.Module.to\n---\nSome text.\n\n"
OPEN = "a tag, attribute or comment left open at the end"


@pytest.mark.parametrize(
    ("body", "line", "reason"),
    [
        ("<script>alert(1)</script>\n", 6, "`<script>` element"),
        ("Mixed <ScRiPt>alert(1)</sCrIpT> case.\n", 6, "`<script>` element"),
        ("<iframe src='https://example.org'></iframe>\n", 6, "`<iframe>` element"),
        ("<object data='x.swf'></object>\n", 6, "`<object>` element"),
        ("<embed src='x.swf'>\n", 6, "`<embed>` element"),
        ("<style>body { display: none }</style>\n", 6, "`<style>` element"),
        ("<form action='https://example.org'><input></form>\n", 6, "`<form>` element"),
        ("<img src=x onerror=alert(1)>\n", 6, "inline event handler `onerror=`"),
        ("<img src=x\n     ONMOUSEOVER='alert(1)'>\n", 7, "inline event handler `onmouseover=`"),
        ('Paragraph.\n{ onclick="alert(1)" }\n', 7, "inline event handler `onclick=`"),
        ("[click](javascript:alert(1))\n", 6, "`javascript:` URL in `href=`"),
        ("[click](JaVaScRiPt:alert(1))\n", 6, "`javascript:` URL in `href=`"),
        ("[click](&#106;avascript:alert(1))\n", 6, "`javascript:` URL in `href=`"),
        ("<a href='java&#x09;script:alert(1)'>x</a>\n", 6, "`javascript:` URL in `href=`"),
        ('<a href="javascript&colon;alert(1)">x</a>\n', 6, "`javascript:` URL in `href=`"),
        ("<a\nhref='javascript:alert(1)'>x</a>\n", 7, "`javascript:` URL in `href=`"),
        ("![pixel](data:image/png;base64,iVBORw0KGgo=)\n", 6, "`data:` URL in `src=`"),
        ("<a href='DATA:text/html,<b>x</b>'>x</a>\n", 6, "`data:` URL in `href=`"),
        ('```python exec="on"\nimport os\n```\n', 6, "executed code fence (`exec=`)"),
        # Spellings a browser tokenises otherwise than Python's html.parser.
        ("<!--> <img src=x onerror=alert(1)> -->\n", 6, "inline event handler `onerror=`"),
        (
            "<noembed><img title='</noembed><img src=x onerror=alert(1)>'></noembed>\n",
            6,
            "`<noembed>` element",
        ),
        (
            "<p><![CDATA[ ]]><img src=x onerror=alert(1)>]]></p>\n",
            6,
            "inline event handler `onerror=`",
        ),
        (
            "<svg><a><animate attributeName=href values=javascript:alert(1) /><text>x</text></a></svg>\n",
            6,
            "`<svg>` element",
        ),
        (
            "<math><mtext><table><mglyph><style><img src=x onerror=alert(1)>\n",
            6,
            "`<math>` element",
        ),
        ("<details open ontoggle=alert(1)>x</details>\n", 6, "inline event handler `ontoggle=`"),
        ("<a href='vbscript:msgbox(1)'>x</a>\n", 6, "`vbscript:` URL in `href=`"),
        (
            "<img src='https://example.org/pixel.png'>\n",
            6,
            "an image from another host (`src=` must be a path in the site)",
        ),
        (
            "<img src='//example.org/pixel.png'>\n",
            6,
            "an image from another host (`src=` must be a path in the site)",
        ),
        ("<p style='background:url(x)'>x</p>\n", 6, "`style=` attribute on `<p>`"),
        ("<base href='https://example.org/'>\n", 6, "`<base>` element"),
        ("<meta http-equiv=refresh content='0;url=https://example.org'>\n", 6, "`<meta>` element"),
        ("<input autofocus onfocus=alert(1)>\n", 6, "`<input>` element"),
        # Fences the build would run, wherever superfences finds them.
        ('> ```python exec="1"\n> import os\n> ```\n', 6, "executed code fence (`python`)"),
        (
            '!!! note\n    ```python exec="on"\n    import os\n    ```\n',
            7,
            "executed code fence (`exec=`)",
        ),
        ("```pyodide\nimport js\n```\n", 6, "executed code fence (`pyodide`)"),
        ("Text.\n\n```tree\nroot\n```\n", 8, "executed code fence (`tree`)"),
        # A tag left open at the end is closed by the page's markup after the note, with its
        # attributes: a browser parsing the note alone drops it.
        ("<p><img src=x onerror=alert(1)//\n", 6, OPEN),
        ("<div><img src=x onerror='alert(1)//'\n", 6, OPEN),
        ("<p ><a onerror='>[l](')\n", 6, OPEN),
        # Inside a tab the site reads Markdown where a judge without tabs saw raw HTML.
        (
            '=== "Tab"\n\n    <a ><a ><a >[l](javascript:alert(1))\n',
            8,
            "`javascript:` URL in `href=`",
        ),
        # The body and each line note are rendered apart, each between the page's own markup.
        ("<p><img src=x title='\n\n## `return self._apply(convert)`\n\nText.\n", 6, OPEN),
    ],
)
def test_active_content_is_refused_with_file_line_and_reason(tmp_path, body, line, reason):
    path = write_note(tmp_path, "note.md", HEAD + body)
    with pytest.raises(NoteError) as caught:
        read_note(path)
    messages = [str(p) for p in caught.value.problems]
    assert f"{path}:{line}: active content is not allowed in a note: {reason}" in [
        m.split("; remove it")[0] for m in messages
    ]


@pytest.mark.parametrize(
    "body",
    [
        "A [link](https://pytorch.org/docs) and `<script>` shown as code.\n",
        "```html\n<script>alert(1)</script>\n```\n",
        "Compare `a < b` and `b > a`; <kbd>Ctrl</kbd>+<kbd>C</kbd>.\n",
        "<details><summary>More</summary>\n\nText.\n</details>\n",
        "[relative](../chapters/state-dict.md) and [anchor](#top)\n",
    ],
)
def test_harmless_markup_is_accepted(tmp_path, body):
    note = read_note(write_note(tmp_path, "note.md", HEAD + body))
    assert note.body.endswith(body.strip("\n"))


def test_the_build_refuses_a_note_with_active_content(tmp_path):
    config = copy_project(tmp_path / "project")
    bad = write_note(
        tmp_path / "project/docs/notes",
        "evil.md",
        "---\ntarget: torch.nn.Module.cpu\n---\nHello <img src=x onerror=alert(1)>\n",
    )
    err = failed_build(config, tmp_path / "site")
    assert (
        f"{bad}:4: active content is not allowed in a note: inline event handler `onerror=`" in err
    )
    assert "Traceback" not in err
    assert not (tmp_path / "site" / "index.html").exists()
