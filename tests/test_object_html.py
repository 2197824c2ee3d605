"""An object's HTML taken back from the last build while the views it read are as they were."""

from __future__ import annotations

import xml.etree.ElementTree as ET

from annotate.reuse import Reuse
from annotate.site.object_html import ObjectRenders, RenderedObject
from annotate.site.views import ObjectViews

CALL = "torch.nn.modules.module.Module._call_impl"
APPLY = "torch.nn.modules.module.Module._apply"


def _render(views: ObjectViews, headings: list[ET.Element], made: list[str]):
    """A render as mkdocstrings-python's templates make one: it asks for the views of the
    object and a member, and leaves a heading for the page's contents."""

    def render() -> str:
        made.append(CALL)
        view, member = views(CALL), views(APPLY)
        assert view is not None and view.note is not None and member is not None
        heading = ET.Element("h2", {"id": CALL, "data-role": "function"})
        heading.text = "Module._call_impl"
        heading.tail = "\n"
        headings.append(heading)
        return f"<div>{view.note.body[:40]}</div>"

    return render


def _build(kept: Reuse[RenderedObject], views: ObjectViews, made: list[str], state=lambda: 0):
    headings: list[ET.Element] = []
    renders = ObjectRenders(kept, views, inputs="torch source", state=state)
    html = renders.render(_render(views, headings, made), identity=CALL, headings=headings)
    kept.end_build()
    return html, headings


def test_an_object_taken_back_shows_its_notes_and_hands_back_its_headings(guide):
    kept: Reuse[RenderedObject] = Reuse()
    made: list[str] = []
    first_views = ObjectViews(guide)
    first, first_headings = _build(kept, first_views, made)
    # The next build, with views made anew from the same notes.
    views = ObjectViews(guide)
    html, headings = _build(kept, views, made)
    assert made == [CALL]
    assert html == first
    [heading] = headings
    assert ET.tostring(heading) == ET.tostring(first_headings[0])
    assert heading.tail == "\n"
    # The notes the render showed count as shown, as if it had run.
    assert views.shown == first_views.shown and views.shown
    assert views.rendered == {CALL, APPLY}


def test_an_object_is_rendered_again_when_a_view_it_read_changed(guide):
    kept: Reuse[RenderedObject] = Reuse()
    made: list[str] = []
    english = ObjectViews(guide)
    _build(kept, english, made)
    chinese = ObjectViews(guide.in_language("zh"))
    assert chinese.digest(CALL) != english.digest(CALL)
    html, headings = _build(kept, chinese, made)
    assert made == [CALL, CALL]
    assert chinese(CALL).note.body[:40] in html
    assert len(headings) == 1


def test_a_render_that_changed_the_builds_state_is_not_kept(guide):
    kept: Reuse[RenderedObject] = Reuse()
    made: list[str] = []
    counter = iter(range(100))
    for _ in range(2):
        _build(kept, ObjectViews(guide), made, state=lambda: next(counter))
    assert made == [CALL, CALL]
    assert len(kept) == 0
