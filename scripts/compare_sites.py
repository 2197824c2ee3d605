"""Compare the HTML of every page of two built sites, asset hashes ignored: `compare_sites.py OLD NEW`."""

from __future__ import annotations

import argparse
import difflib
import re
import sys
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


def pages(site: Path) -> dict[str, Path]:
    """Every HTML page of `site`, by its path inside it."""
    return {p.relative_to(site).as_posix(): p for p in sorted(site.rglob("*.html"))}


def compare(old: Path, new: Path, *, context: int = 2, limit: int = 60) -> int:
    """Print what differs page by page; the number of pages that differ (or exist on one side)."""
    before, after = pages(old), pages(new)
    differing = 0
    for name in sorted(before.keys() | after.keys()):
        if name not in after or name not in before:
            print(f"{name}: only in {'the old' if name in before else 'the new'} site")
            differing += 1
            continue
        a = normalise(before[name].read_text(encoding="utf-8"))
        b = normalise(after[name].read_text(encoding="utf-8"))
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
    args = parser.parse_args()
    return 1 if compare(args.old, args.new, limit=args.limit) else 0


if __name__ == "__main__":
    sys.exit(main())
