"""A chapter read against a torch that lacks objects it embeds: each shown absent, never a failure
and never another object in its place."""

from __future__ import annotations

from markdown import Markdown

from annotate.site.absent import absent_objects, mark_absent

CHAPTER = """# A chapter

<!-- annotate:callgraph Module.to Module.not_here Module._apply -->

Text linking [gone][torch.nn.Module.not_here].

::: torch.nn.Module.to

::: torch.nn.Module.not_here
    options:
      heading_level: 3

::: torch.nn.Module._apply
<!-- annotate:callgraph Module.not_here -->

::: torch.nn.Module.__not_here__
"""


def test_only_the_objects_the_torch_lacks_are_marked(index):
    assert absent_objects(CHAPTER, index) == [
        "torch.nn.Module.not_here",
        "torch.nn.Module.__not_here__",
        "Module.not_here",
    ]
    marked = mark_absent(CHAPTER, index=index, version="2.1.2")
    assert "::: torch.nn.Module.to\n" in marked and "::: torch.nn.Module._apply" in marked
    assert "::: torch.nn.Module.not_here" not in marked and "heading_level: 3" not in marked
    assert "<!-- annotate:callgraph Module.to Module._apply -->" in marked
    assert marked.count("annotate:callgraph") == 1  # one that names nothing left is dropped
    # What is there is left byte for byte.
    assert mark_absent("::: torch.nn.Module.to\n", index=index, version="2.1.2") == (
        "::: torch.nn.Module.to\n"
    )


def test_the_absent_object_keeps_its_identifier_for_links_to_land_on(index):
    marked = mark_absent(CHAPTER, index=index, version="2.1.2")
    html = Markdown(extensions=["attr_list", "admonition"]).convert(marked)
    assert '<h2 class="an-absent" id="torch.nn.Module.not_here"><code>not_here</code></h2>' in html
    assert "Not in torch 2.1.2" in html
    # A dunder's underscores stay underscores in the identifier, not bold.
    assert 'id="torch.nn.Module.__not_here__"' in html


def test_an_embed_that_is_no_dotted_name_is_left_as_written(index):
    # Written into a heading and a code span, it would end them and put its own HTML there.
    chapter = "::: torch.nn.Module.x`<img src=x onerror=alert(1)>`\n\n::: torch.nn.Module.gone\n"
    marked = mark_absent(chapter, index=index, version="2.0")
    assert marked.startswith("::: torch.nn.Module.x`<img src=x onerror=alert(1)>`\n")
    assert "torch.nn.Module.gone` does not exist" in marked
