"""Read one torch release's two files into a `Release` of the record.

The files are copied out with `take_snapshot` and loaded with griffe, as the guide itself reads
them, so an object's span in the record is the span the guide attaches notes to.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
import tempfile
import zipfile
from pathlib import Path

import griffe

from annotate.errors import AnnotateError
from annotate.history.record import Entry, Release
from annotate.source.snapshot import MODULES, SOURCE_FILES, take_snapshot

WHEEL_FILES = (
    *SOURCE_FILES,
    "torch/version.py",
    "torch/nn/__init__.py",
    "torch/nn/modules/__init__.py",
)
"""What `read_release` needs of a torch tree, relative to the folder above `torch/`."""


def read_release(torch_package: Path) -> Release:
    """The classes and functions of `module.py` and `container.py` under `torch_package`."""
    with tempfile.TemporaryDirectory(prefix="annotate-history-") as scratch:
        snapshot = take_snapshot(Path(scratch) / "snapshot", torch_root=torch_package.parent)
        loader = griffe.GriffeLoader(search_paths=[str(snapshot.root)])
        objects: dict[str, Entry] = {}
        for module_path, relpath in MODULES.items():
            module = loader.load(module_path, try_relative_path=False)
            lines = snapshot.path_of(relpath).read_text(encoding="utf-8").splitlines()
            assert isinstance(module, griffe.Module)
            _walk(module, relpath, lines, objects)
    return Release(version=snapshot.release, commit=snapshot.commit, objects=objects)


def _span(obj: griffe.Object, lines: list[str]) -> range:
    start = obj.lineno or 1
    return range(start, (obj.endlineno or start) + 1)


def _walk(
    parent: griffe.Module | griffe.Class, relpath: str, lines: list[str], out: dict[str, Entry]
) -> None:
    members = sorted(
        (m for m in parent.members.values() if isinstance(m, griffe.Class | griffe.Function)),
        key=lambda m: m.lineno or 0,
    )
    for member in members:
        stubs = (member.overloads or []) if isinstance(member, griffe.Function) else []
        span = _span(member, lines)
        kept = set(span)
        if isinstance(member, griffe.Class):
            # A class's own text leaves out its methods and their stubs: each is an object of its own.
            for inner in member.members.values():
                if isinstance(inner, griffe.Class | griffe.Function):
                    kept -= set(_span(inner, lines))
                if isinstance(inner, griffe.Function):
                    for stub in inner.overloads or []:
                        kept -= set(_span(stub, lines))
        out[member.path] = Entry(
            kind=member.kind.value,
            file=relpath,
            lineno=span.start,
            text=_squeeze([lines[n - 1] for n in span if n in kept]),
            overloads="\n".join(
                "\n".join(lines[n - 1] for n in _span(stub, lines))
                for stub in sorted(stubs, key=lambda s: s.lineno or 0)
            ),
        )
        if isinstance(member, griffe.Class):
            _walk(member, relpath, lines, out)


def _squeeze(lines: list[str]) -> str:
    """The lines with runs of blank ones (where a class's methods were) shortened to one."""
    kept: list[str] = []
    for line in lines:
        if line.strip() or (kept and kept[-1].strip()):
            kept.append(line if line.strip() else "")
    return "\n".join(kept).rstrip("\n")


def download_release(version: str, into: Path) -> Path:
    """Fetch torch `version`'s wheel with pip (no dependencies) and unpack only `WHEEL_FILES`.

    Returns the unpacked `torch` package folder. Only for adding a release to the record: builds
    and tests read the committed record and never download.
    """
    wheels = into / "wheel"
    command = [sys.executable, "-m", "pip", "download", "--no-deps", "--only-binary=:all:"]
    result = subprocess.run(
        [*command, "-d", str(wheels), f"torch=={version}"], capture_output=True, text=True
    )
    found = sorted(wheels.glob("torch-*.whl"))
    if result.returncode != 0 or not found:
        raise AnnotateError(f"pip could not download torch=={version}:\n{result.stderr[-2000:]}")
    tree = into / version
    with zipfile.ZipFile(found[0]) as wheel:
        for name in WHEEL_FILES:
            target = tree / name
            target.parent.mkdir(parents=True, exist_ok=True)
            with wheel.open(name) as source, target.open("wb") as sink:
                shutil.copyfileobj(source, sink)
    return tree / "torch"
