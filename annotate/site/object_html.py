"""Each object's HTML as mkdocstrings renders it, taken back while nothing it read changed.

Rendering the chapters' objects is the largest share of a build, and an edit to one note
changes a few of them. An object's HTML is a function of its identity (its path, the rendering
options, the language, the torch source) and of the views its templates asked for
(`ObjectViews`, itself and its members'): it is kept under the first, with a digest of each of
the second, and taken back only while every one of those views is the same. Rendering also
leaves headings for the page's contents; they are kept and handed back with the HTML.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from dataclasses import dataclass
from typing import TYPE_CHECKING

from annotate.reuse import Reuse, digest

if TYPE_CHECKING:
    from collections.abc import Callable, Hashable

    from annotate.site.views import ObjectViews


@dataclass(frozen=True)
class RenderedObject:
    """An object's HTML, the views it read, and the headings it left for the contents."""

    html: str
    reads: tuple[tuple[str, str], ...]
    """(canonical path, `ObjectViews.digest`) of each view its templates asked for."""
    headings: tuple[str, ...]
    """Each heading, with what follows it, as XML inside a `<w>` element."""


class ObjectRenders:
    """mkdocstrings' rendering of objects, through `kept`."""

    def __init__(
        self,
        kept: Reuse[RenderedObject],
        views: ObjectViews,
        /,
        *,
        inputs: str,
        state: Callable[[], Hashable],
    ) -> None:
        self._kept = kept
        self._views = views
        self._inputs = inputs
        """What every object's HTML is made from besides itself: the torch source, the
        language."""
        self._state = state
        """What rendering must not change for its HTML to stand for itself (ids numbered by
        the build, anchors registered for the page): a render that changes it is not kept."""

    def render(
        self, render: Callable[[], str], /, *, identity: str, headings: list[ET.Element]
    ) -> str:
        """`render()`'s HTML for the object `identity` names, its new `headings` appended as
        rendering would."""
        before = len(headings)
        clean, computed = True, False

        def compute() -> RenderedObject:
            nonlocal clean, computed
            computed = True
            state = self._state()
            with self._views.recording() as reads:
                html = render()
            clean = self._state() == state
            return RenderedObject(
                html=html,
                reads=tuple(reads.items()),
                headings=tuple(_xml(h) for h in headings[before:]),
            )

        made = self._kept.get(
            digest("object", identity, self._inputs),
            compute,
            keep=lambda _: clean,
            valid=self._still_valid,
        )
        if not computed:
            # What rendering did besides its HTML: the views it asked for count as shown,
            # and its headings go to the page's contents.
            for path, _ in made.reads:
                self._views(path)
            headings.extend(_element(xml) for xml in made.headings)
        return made.html

    def _still_valid(self, made: RenderedObject) -> bool:
        return all(self._views.digest(path) == known for path, known in made.reads)


def _xml(element: ET.Element) -> str:
    wrapper = ET.Element("w")
    wrapper.append(element)
    return ET.tostring(wrapper, encoding="unicode")


def _element(xml: str) -> ET.Element:
    return ET.fromstring(xml)[0]


def is_heading(xml: str, /) -> bool:
    """Whether `xml` is one heading as `RenderedObject.headings` holds it."""
    try:
        wrapper = ET.fromstring(xml)
    except ET.ParseError:
        return False
    return wrapper.tag == "w" and len(wrapper) == 1 and wrapper[0].tag in _HEADINGS


_HEADINGS = {f"h{level}" for level in range(1, 7)}
