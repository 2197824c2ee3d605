"""Write the record of torch releases the guide's history reads (`annotate/history/releases.json`).

    python scripts/collect_history.py --releases DIR      # every DIR/<version>/torch/
    python scripts/collect_history.py --add 2.15.0        # one more release, downloaded by pip

`--releases` reads unpacked trees (only `version.py`, `nn/__init__.py`, `nn/modules/__init__.py`,
`module.py` and `container.py` are needed); `--add` downloads that release's wheel with
`pip download --no-deps` and unpacks only those files. Both keep the releases already recorded.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from pathlib import Path

from annotate.errors import AnnotateError
from annotate.history.collect import download_release, read_release
from annotate.history.record import RECORD, Record, read_record, version_key, write_record


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--releases", type=Path, help="a folder of <version>/torch/ trees")
    parser.add_argument("--add", metavar="VERSION", action="append", default=[])
    parser.add_argument("--record", type=Path, default=RECORD)
    args = parser.parse_args(argv)
    if not args.releases and not args.add:
        parser.error("give --releases DIR or --add VERSION")
    try:
        record = read_record(args.record) if args.record.exists() else Record()
        trees = []
        if args.releases:
            trees = sorted(
                (p / "torch" for p in args.releases.iterdir() if (p / "torch").is_dir()),
                key=lambda t: version_key(t.parent.name),
            )
        with tempfile.TemporaryDirectory() as scratch:
            trees += [download_release(v, Path(scratch)) for v in args.add]
            for tree in trees:
                release = read_release(tree)
                record.add(release)
                print(f"{release.version}: {len(release.objects)} objects", file=sys.stderr)
    except AnnotateError as error:
        print(f"error: {error}", file=sys.stderr)
        return 1
    write_record(record, args.record)
    print(f"wrote {args.record} ({args.record.stat().st_size:,} bytes)", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
