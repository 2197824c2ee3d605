"""`annotate history OBJECT` and `annotate diff OLD NEW`: the release record in a terminal."""

from __future__ import annotations

import argparse
import difflib
from pathlib import Path

from annotate.errors import did_you_mean
from annotate.history.changes import history, release_diff
from annotate.history.record import RECORD, Record, RecordError, read_record
from annotate.source.snapshot import MODULES


def resolve(record: Record, name: str) -> str:
    """The canonical path `name` (`Module.to`, `torch.nn.Module.to`, or canonical) names in `record`."""
    known = {path for release in record.releases for path in release.objects}
    name = name.strip()
    tail = name.removeprefix("torch.nn.modules.").removeprefix("torch.nn.")
    for candidate in (name, *(f"{module}.{tail}" for module in MODULES)):
        if candidate in known:
            return candidate
    shorts = {path.split(".", 4)[-1]: path for path in known}
    close = difflib.get_close_matches(tail, list(shorts), n=3, cutoff=0.6)
    raise RecordError(
        f"no class or function `{name}` in any recorded release; "
        + did_you_mean(close, otherwise="give a path such as `Module.to`")
    )


def cmd_history(args: argparse.Namespace) -> int:
    """The releases in which one class or function was added, changed or removed."""
    record = read_record(Path(args.record))
    path = resolve(record, args.object)
    found = history(record, path)
    assert found is not None
    since = "or before" if found.added == found.first_recorded else ""
    print(f"{path}\n  added in {found.added} {since}".rstrip())
    for change in found.changes:
        print(f"  {change.release:<8} {change.label:<30} (against {change.previous})")
        if args.diff and change.diff:
            print("\n".join("      " + line for line in change.diff.splitlines()))
    if found.removed:
        print(f"  removed in {found.removed}")
    if not found.changes:
        print(f"  unchanged through {record.versions[-1]}")
    return 0


def cmd_diff(args: argparse.Namespace) -> int:
    """Every class and function whose code or signature differs between two releases."""
    record = read_record(Path(args.record))
    releases = []
    for version in (args.old, args.new):
        release = record.get(version)
        if release is None:
            raise RecordError(
                f"torch {version} is not recorded; recorded: {', '.join(record.versions)}"
            )
        releases.append(release)
    old, new = releases
    changes = release_diff(old, new, everything=args.all)
    for change in changes:
        what = change.status if change.status != "changed" else ", ".join(sorted(change.kinds))
        print(f"{change.file}:{change.lineno}  {change.path}  ({what})")
        if not args.stat:
            print("\n".join("    " + line for line in change.diff.splitlines()))
    print(f"{len(changes)} objects differ between {old.version} and {new.version}")
    return 0


def add_history_commands(sub: argparse._SubParsersAction) -> None:
    """Register `history` and `diff` on the `annotate` command line."""
    for name, func in (("history", cmd_history), ("diff", cmd_diff)):
        command = sub.add_parser(name, help=(func.__doc__ or "").splitlines()[0])
        command.add_argument(
            "--record", default=str(RECORD), help="the release record (default: the guide's own)"
        )
        command.set_defaults(func=func)
        if name == "history":
            command.add_argument("object", help="e.g. Module.load_state_dict")
            command.add_argument("--diff", action="store_true", help="print each change's diff")
        else:
            command.add_argument("old", help="e.g. 2.6 or 2.6.0")
            command.add_argument("new", help="e.g. 2.13.0")
            command.add_argument(
                "--all", action="store_true", help="also docstring and formatting changes"
            )
            command.add_argument("--stat", action="store_true", help="list objects, no diffs")
