"""Where links go: names in the source, calls and called-by, upstream lines, the PyTorch docs.

Two ways of linking a name, one per kind of page. Inside an object rendered by mkdocstrings
(chapters), a name becomes an autorefs element, so the link goes to the chapter that shows
the target, or else to its line on the whole-file page. On a whole-file page the link stays
on the page (or goes to the other file's page): the reader keeps the file in view.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from collections.abc import Callable, Collection, Mapping

    from annotate.guide import Guide
    from annotate.site.highlight import Wrap
    from annotate.source.index import ObjectIndex, ObjectInfo
    from annotate.source.resolve import CallGraph
    from annotate.source.snapshot import Snapshot

DOCS = "https://docs.pytorch.org/docs/stable/generated/{page}.html"
"""The official documentation page of a public class; members are anchors on it."""
_DOC_HEADING = re.compile(r'<h\d id="([^"]+)" class="doc doc-heading')


def release_tag(snapshot: Snapshot) -> str:
    """The git tag of the release the snapshot belongs to, e.g. `v2.13.0`."""
    return f"v{snapshot.release}"


def docs_url(index: ObjectIndex, path: str) -> str | None:
    """The official documentation of the class or function at canonical `path`, if it is public.

    Public means reachable as `torch.nn.<Class>[.<member>]` with no part of the name private.
    """
    info = index.objects.get(path)
    if info is None or info.kind not in ("class", "function"):
        return None
    public = index.public_path(path)
    if public is None or any(part.startswith("_") for part in public.split(".")):
        return None
    page = ".".join(public.split(".")[:3])  # torch.nn.<Class>: members are anchors on it
    url = DOCS.format(page=page)
    return f"{url}#{public}" if public != page else url


def autoref_wrap(graph: CallGraph, file: str) -> Wrap:
    """Wrap every resolved name of `file` in an autorefs element naming its target."""
    found = graph.references.get(file, {})

    def wrap(line: int, col: int, text: str) -> tuple[str, str] | None:
        ref = found.get((line, col))
        if ref is None or ref.name != text:
            return None
        return f'<autoref identifier="{ref.target}" optional>', "</autoref>"

    return wrap


def anchor_wrap(graph: CallGraph, file: str, href: Callable[[str], str | None]) -> Wrap:
    """Wrap every resolved name of `file` in a plain link to `href(target)`."""
    found = graph.references.get(file, {})

    def wrap(line: int, col: int, text: str) -> tuple[str, str] | None:
        ref = found.get((line, col))
        if ref is None or ref.name != text:
            return None
        url = href(ref.target)
        return (f'<a class="an-ref" href="{url}">', "</a>") if url else None

    return wrap


@dataclass(frozen=True, kw_only=True)
class CallLink:
    """A function named in calls or called-by."""

    path: str
    """Canonical path."""
    short: str
    """Path inside its module, as shown."""


@dataclass(frozen=True, kw_only=True)
class LinksView:
    """What the templates show beside an object: release tag, docs page, calls, callers."""

    tag: str
    """The release tag, e.g. `v2.13.0`."""
    docs: str | None
    """Its page in the PyTorch docs, if it is public."""
    calls: tuple[CallLink, ...] | None = None
    """For a function, the functions of these files it calls."""
    called_by: tuple[CallLink, ...] | None = None
    """For a function, the functions of these files that call it."""
    seen_calls: tuple[CallLink, ...] = ()
    """Calls the examples made that the code's reading could not resolve."""
    seen_called_by: tuple[CallLink, ...] = ()
    """Callers the examples showed that the code's reading could not resolve."""


def object_links(
    guide: Guide, obj: ObjectInfo, seen: Collection[tuple[str, str]] = ()
) -> LinksView:
    """The links of `obj`; `seen` are the (caller, callee) calls the examples made."""
    index = guide.index

    def entries(paths: tuple[str, ...]) -> tuple[CallLink, ...]:
        return tuple(CallLink(path=p, short=index.objects[p].short) for p in paths)

    function = obj.kind == "function"
    static_calls = set(guide.calls.calls.get(obj.path, ()))
    static_callers = set(guide.calls.called_by.get(obj.path, ()))
    return LinksView(
        tag=release_tag(guide.snapshot),
        docs=docs_url(index, obj.path),
        calls=entries(guide.calls.calls.get(obj.path, ())) if function else None,
        called_by=entries(guide.calls.called_by.get(obj.path, ())) if function else None,
        seen_calls=entries(
            tuple(b for a, b in sorted(seen) if a == obj.path and b not in static_calls)
        ),
        seen_called_by=entries(
            tuple(a for a, b in sorted(seen) if b == obj.path and a not in static_callers)
        ),
    )


def file_href(
    guide: Guide, relpath: str, page_urls: Mapping[str, str]
) -> Callable[[str], str | None]:
    """Links from the whole-file page of `relpath`: `#path` on it, or the other file's page."""

    def href(target: str) -> str | None:
        info = guide.index.objects.get(target)
        if info is None:
            return None
        if info.file == relpath:
            return f"#{target}"
        page = page_urls.get(info.file)
        return f"{page}#{target}" if page is not None else None

    return href


def doc_heading_ids(html: str) -> list[str]:
    """Ids of the object headings mkdocstrings rendered into a page."""
    return _DOC_HEADING.findall(html)
