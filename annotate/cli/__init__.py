"""`annotate`: the command line of the generator."""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

from annotate.cli.check import add_check, add_refresh
from annotate.errors import AnnotateError, NoteError
from annotate.guide import Guide, load_guide
from annotate.history.commands import add_history_commands
from annotate.notes.scaffold import new_note
from annotate.site.coverage import coverage_map
from annotate.source.index import build_index
from annotate.source.snapshot import take_snapshot


def _common(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--torch-root",
        metavar="PATH",
        default=os.environ.get("ANNOTATE_TORCH_ROOT"),
        help="read torch from this tree (source checkout or unpacked wheel), not the installed one "
        "(default: $ANNOTATE_TORCH_ROOT, else the installed torch)",
    )
    parser.add_argument(
        "--notes",
        metavar="DIR",
        default="docs/notes",
        help="the notes folder (default: docs/notes)",
    )
    parser.add_argument(
        "--cache",
        metavar="DIR",
        default=".cache/annotate",
        help="where snapshots are kept (default: .cache/annotate)",
    )


def cmd_snapshot(args: argparse.Namespace) -> int:
    """Take (or refresh) the snapshot and print what it holds."""
    snap = take_snapshot(Path(args.cache) / "snapshot", torch_root=args.torch_root)
    print(f"torch {snap.version} ({snap.commit or 'commit unknown'}) from {snap.source}")
    for rel, digest in sorted(snap.sha256.items()):
        print(f"  {rel}  sha256:{digest[:16]}")
    print(f"snapshot: {snap.root}")
    return 0


def cmd_new(args: argparse.Namespace) -> int:
    """Start a note file for an object (short, public or full path); never overwrites."""
    # Only the sources are needed: a half-written note elsewhere must not block a new one.
    snapshot = take_snapshot(Path(args.cache) / "snapshot", torch_root=args.torch_root)
    index = build_index(snapshot)
    path = new_note(
        args.object, snapshot=snapshot, index=index, notes_dir=Path(args.notes), lang=args.lang
    )
    print(f"wrote {path}")
    print("next: write the note, run `annotate check`, preview with `mkdocs serve`")
    return 0


def cmd_list(args: argparse.Namespace) -> int:
    """List every class and function of both files and whether it has a note."""
    report = coverage_map(_guide(args))
    for file in report.files:
        for cell in file.cells:
            if args.missing and cell.note:
                continue
            mark = "x" if cell.note else " "
            state = cell.state if cell.note else "-"
            print(
                f"[{mark}] {cell.kind:<8} {Path(file.file).name}:{cell.lineno:<5} "
                f"{cell.short:<48} {state}"
            )
    share = report.annotated / report.total if report.total else 0.0
    print(f"{report.annotated} of {report.total} classes and functions have a note ({share:.0%})")
    return 0


def _guide(args: argparse.Namespace) -> Guide:
    return load_guide(
        args.notes, snapshot_dir=Path(args.cache) / "snapshot", torch_root=args.torch_root
    )


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="annotate", description=__doc__)
    sub = parser.add_subparsers(dest="command", required=True)
    commands = {}
    for name, func in (
        ("snapshot", cmd_snapshot),
        ("new", cmd_new),
        ("list", cmd_list),
    ):
        commands[name] = command = sub.add_parser(name, help=(func.__doc__ or "").splitlines()[0])
        _common(command)
        command.set_defaults(func=func)
    commands["new"].add_argument("object", help="e.g. Module.state_dict or torch.nn.Sequential")
    commands["new"].add_argument(
        "--lang",
        default="en",
        help="start a translation of the object's English note in this language (e.g. `zh`)",
    )
    commands["list"].add_argument(
        "--missing", action="store_true", help="only objects without a note"
    )
    add_check(sub, _common)
    add_refresh(sub, _common)
    add_history_commands(sub)
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        return args.func(args)
    except NoteError as error:
        for problem in error.problems:
            print(f"error: {problem}", file=sys.stderr)
        return 1
    except AnnotateError as error:
        print(f"error: {error}", file=sys.stderr)
        return 1
