"""Compare the HTML of every page of two built sites, asset hashes ignored: `compare_sites.py OLD NEW`.

With `--dom`, pages are compared as a browser reads them: attributes in any order and quoted
or not, runs of white space outside `<pre>` as one space.
"""

from __future__ import annotations

import argparse
import difflib
import re
import sys
from html import escape
from html.parser import HTMLParser
from pathlib import Path

# Material names its bundles by content (`main.57a0d79d.min.css`); a theme update changes them.
_ASSET_HASH = re.compile(r"\.[0-9a-f]{8}(\.min\.(?:css|js))")
# Object addresses in example output (`<object at 0x7f...>`) differ from run to run.
_ADDRESS = re.compile(r"0x[0-9a-f]{6,16}")


def normalise(html: str) -> list[str]:
    """The page's lines with what legitimately differs between two builds blanked out."""
    html = _ASSET_HASH.sub(r".HASH\1", html)
    html = _ADDRESS.sub("0xADDRESS", html)
    # One tag a line, so a difference shows as a few lines rather than one huge one.
    return re.sub(r">\s*<", ">\n<", html).splitlines()


class _Canonical(HTMLParser):
    """A page as the elements and text a browser builds from it, one tag or text a line."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.lines: list[str] = []
        self._pre = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self._pre += tag == "pre"
        shown = "".join(
            f' {name}="{escape(value or "")}"' for name, value in sorted(attrs, key=lambda a: a[0])
        )
        self.lines.append(f"<{tag}{shown}>")

    def handle_endtag(self, tag: str) -> None:
        self._pre -= tag == "pre" and self._pre > 0
        self.lines.append(f"</{tag}>")

    def handle_data(self, data: str) -> None:
        text = data if self._pre else re.sub(r"\s+", " ", data)
        if text.strip() or (self._pre and text):
            self.lines.append(escape(text, quote=False))


def canonical(html: str) -> list[str]:
    """`normalise`, but as the DOM: attribute order, quoting and collapsible space ignored."""
    parser = _Canonical()
    parser.feed(_ADDRESS.sub("0xADDRESS", _ASSET_HASH.sub(r".HASH\1", html)))
    parser.close()
    return parser.lines


def pages(site: Path) -> dict[str, Path]:
    """Every HTML page of `site`, by its path inside it."""
    return {p.relative_to(site).as_posix(): p for p in sorted(site.rglob("*.html"))}


def compare(old: Path, new: Path, *, context: int = 2, limit: int = 60, dom: bool = False) -> int:
    """Print what differs page by page; the number of pages that differ (or exist on one side)."""
    before, after = pages(old), pages(new)
    differing = 0
    for name in sorted(before.keys() | after.keys()):
        if name not in after or name not in before:
            print(f"{name}: only in {'the old' if name in before else 'the new'} site")
            differing += 1
            continue
        read = canonical if dom else normalise
        a = read(before[name].read_text(encoding="utf-8"))
        b = read(after[name].read_text(encoding="utf-8"))
        if a == b:
            continue
        differing += 1
        diff = list(
            difflib.unified_diff(a, b, f"old/{name}", f"new/{name}", n=context, lineterm="")
        )
        changed = sum(1 for line in diff if line[:1] in "+-" and line[:3] not in ("+++", "---"))
        print(f"{name}: {changed} line(s) differ")
        print("\n".join(diff[:limit]))
        if len(diff) > limit:
            print(f"... {len(diff) - limit} more diff lines")
    print(f"{len(before.keys() | after.keys())} pages, {differing} differ")
    return differing


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("old", type=Path, help="the site built before")
    parser.add_argument("new", type=Path, help="the site built after")
    parser.add_argument("--limit", type=int, default=60, help="diff lines shown per page")
    parser.add_argument(
        "--dom", action="store_true", help="compare elements and text, not spelling"
    )
    args = parser.parse_args()
    return 1 if compare(args.old, args.new, limit=args.limit, dom=args.dom) else 0


if __name__ == "__main__":
    sys.exit(main())
