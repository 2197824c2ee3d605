"""Search reads each page with what it leaves out set aside, and indexes it just the same."""

from __future__ import annotations

from material.plugins.search.plugin import Parser

from annotate.site.search_view import SetAside


def sections(html: str) -> list[tuple[str, str | None, str, str, bool]]:
    """The sections Material's search divides `html` into, with their titles and text."""
    parser = Parser()
    parser.feed(html)
    parser.close()
    return [
        (s.el.tag, s.id, "".join(s.title), "".join(s.text), s.is_excluded()) for s in parser.data
    ]


def test_every_page_indexes_the_same_and_is_written_unchanged(site):
    pages = sorted(site.rglob("*.html"))
    assert len(pages) > 20
    whole = cut_size = 0
    for page in pages:
        html = page.read_text(encoding="utf-8")
        aside = SetAside()
        cut = aside.cut(page.name, html)
        assert sections(cut) == sections(html), page
        assert aside.put_back(page.name, cut) == html, page
        whole, cut_size = whole + len(html), cut_size + len(cut)
    module_page = (site / "files" / "module" / "index.html").read_text(encoding="utf-8")
    # The listing and its notes are most of the file page: search need not read them.
    assert len(SetAside().cut("m", module_page)) < len(module_page) / 4
    assert cut_size < whole * 0.6


def test_what_search_would_still_read_is_left_in_place():
    html = (
        '<p>a</p><div data-search-exclude><h2 id="x">X</h2></div>'  # a heading inside
        "<div data-search-exclude><div>inner</div> tail</div>"  # its own name inside
        '<h3 id="y" data-search-exclude>Y</h3>'  # a heading itself
        '<img data-search-exclude src="i.png">'  # void
        "<pre data-search-exclude><code>gone</code></pre><p>b</p>"
    )
    aside = SetAside()
    cut = aside.cut("p", html)
    assert "gone" not in cut
    assert cut.count("<!--an-aside-") == 1
    for kept in ('<h2 id="x">', "<div>inner</div> tail", '<h3 id="y"', "<img"):
        assert kept in cut
    assert sections(cut) == sections(html)
    assert aside.put_back("p", cut) == html


def test_text_looking_like_a_placeholder_is_not_taken_for_one():
    aside = SetAside()
    forged = "<p><!--an-aside-0000000000000000-0--></p>"
    cut = aside.cut("p", forged + "<pre data-search-exclude><code>x</code></pre>")
    assert aside.put_back("p", cut).startswith(forged)


def test_a_page_cut_again_reads_the_same_and_another_page_has_other_placeholders():
    page = "<h1>t</h1><pre data-search-exclude><code>x</code></pre>"
    other = "<h1>u</h1><pre data-search-exclude><code>x</code></pre>"
    first, again = SetAside().cut("p", page), SetAside().cut("p", page)
    assert first == again  # what lets search take back the page's entries
    assert first.replace("<h1>t", "<h1>u") != SetAside().cut("p", other)
