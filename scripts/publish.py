"""Build the published site: a guide per torch release line, with mike, into a local git branch.

    python scripts/publish.py ../shared/torch-releases          # every line in the folder
    python scripts/publish.py --fetch .cache/torch-releases      # download what it lacks first
    python scripts/publish.py DIR --line 2.13 --line 2.14        # only these lines
    python scripts/publish.py DIR --dry-run                      # what would be built

DIR holds unpacked release trees, `DIR/<version>/torch/` (`version.py`, `nn/__init__.py`,
`nn/modules/__init__.py`, `module.py`, `container.py`). Each minor line's latest patch is built
with `mike deploy` into the branch (default `gh-pages`, nothing pushed): the release the lock
file names as any build is, every other with `orphans: list`; the newest line is also `latest`,
where the site's root leads. `--fetch` first downloads, with `pip download --no-deps`, the
latest patch of each line the record (`annotate/history/releases.json`) holds that DIR lacks.
`ANNOTATE_SITE_URL` and `ANNOTATE_CHINESE` apply to every guide as to any build. Needs mike:
`pip install -e '.[publish]'`.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

from annotate.drift.lock import LOCK_NAME, read_lock
from annotate.errors import AnnotateError
from annotate.history.publish import fetch_releases, publish, release_guides
from annotate.history.record import read_record

ROOT = Path(__file__).resolve().parent.parent


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("releases", type=Path, help="a folder of <version>/torch/ trees")
    parser.add_argument("--fetch", action="store_true", help="download the releases DIR lacks")
    parser.add_argument("--line", action="append", default=[], help="only this line (2.13)")
    parser.add_argument("--branch", default="gh-pages", help="the branch to build into")
    parser.add_argument("--config-file", type=Path, default=ROOT / "mkdocs.yml")
    parser.add_argument("--dry-run", action="store_true", help="print the plan, build nothing")
    args = parser.parse_args(argv)
    config = args.config_file.resolve()
    lock_file = config.parent / "docs" / "notes" / LOCK_NAME
    try:
        if args.fetch:
            for version in fetch_releases(args.releases, read_record().versions):
                print(f"fetched torch {version} into {args.releases / version}", file=sys.stderr)
        guides = release_guides(args.releases, lock=read_lock(lock_file), lines=args.line)
        for guide in guides:
            alias = " (latest)" if guide.latest else ""
            print(f"{guide.line}{alias}: torch {guide.version}, orphans: {guide.orphans}")
        if args.dry_run:
            return 0
        start = time.perf_counter()
        done = publish(
            guides,
            config_file=config,
            branch=args.branch,
            report=lambda line: print(line, file=sys.stderr),
        )
    except AnnotateError as error:
        print(f"error: {error}", file=sys.stderr)
        return 1
    total = time.perf_counter() - start
    each = ", ".join(f"{p.guide.line} {p.seconds:.0f} s" for p in done)
    print(f"built {len(done)} guide(s) into {args.branch} in {total:.0f} s ({each})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
