"""The committed record of every release's classes and functions, and its JSON file.

Each distinct text of an object is stored once; a release points at the texts it holds, so the
record of 27 releases stays small and adding a release adds only what changed in it. The file is
input a pull request can touch: `read_record` checks its shape and reports a damaged file with
its path and the command that writes it again, never a traceback.
"""

from __future__ import annotations

import json
import os
import re
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from annotate.errors import AnnotateError
from annotate.source.snapshot import SOURCE_FILES

RECORD = Path(__file__).with_name("releases.json")
"""The record the repository carries."""
FORMAT = 1
_VERSION = re.compile(r"\d+(?:\.\d+)*")
_COMMIT = re.compile(r"[0-9a-f]{0,40}")
_PATH = re.compile(r"[A-Za-z_][A-Za-z0-9_]*(?:\.[A-Za-z_][A-Za-z0-9_]*)*")
REWRITE = "write it again with `scripts/collect_history.py --releases DIR` (or `git checkout` it)"


class RecordError(AnnotateError):
    """The release record cannot be read."""


@dataclass(frozen=True, kw_only=True)
class Entry:
    """One object as one release has it."""

    kind: str
    """`class` or `function`."""
    file: str
    """`torch/nn/modules/module.py` or `container.py`."""
    lineno: int
    """First line, decorators included."""
    text: str
    """Its lines (a class without its methods); methods keep their indentation."""
    overloads: str = ""
    """Its `@overload` stubs, in file order, as written."""


@dataclass(frozen=True, kw_only=True)
class Release:
    """What one release's two files hold."""

    version: str
    """e.g. `2.13.0`."""
    commit: str
    """The upstream commit it was built from, or `""`."""
    objects: dict[str, Entry] = field(default_factory=dict)
    """Canonical griffe path to entry, in file order."""


def version_key(version: str) -> tuple[int, ...]:
    """`2.10.0` after `2.9.1`."""
    return tuple(int(part) for part in version.split("+", 1)[0].split(".") if part.isdigit())


@dataclass(kw_only=True)
class Record:
    """Every recorded release, oldest first."""

    releases: list[Release] = field(default_factory=list)

    def add(self, release: Release) -> None:
        """Add or replace `release`, keeping release order."""
        kept = [r for r in self.releases if r.version != release.version]
        self.releases = sorted([*kept, release], key=lambda r: version_key(r.version))

    def get(self, version: str) -> Release | None:
        """The release `version` (`2.13`, `2.13.0` or `2.13.0+cpu`), the latest patch for a minor."""
        wanted = version.split("+", 1)[0]
        exact = [r for r in self.releases if r.version == wanted]
        if exact:
            return exact[0]
        line = [r for r in self.releases if r.version.startswith(wanted + ".")]
        return line[-1] if line else None

    @property
    def versions(self) -> list[str]:
        return [r.version for r in self.releases]


def write_record(record: Record, path: Path = RECORD) -> None:
    """Write `record` to `path` atomically, each distinct text once."""
    texts: dict[str, int] = {}

    def ref(text: str) -> int:
        return texts.setdefault(text, len(texts))

    releases = []
    for release in record.releases:
        objects = {
            name: [entry.kind, entry.file, entry.lineno, ref(entry.text), ref(entry.overloads)]
            for name, entry in release.objects.items()
        }
        releases.append({"version": release.version, "commit": release.commit, "objects": objects})
    data = {"format": FORMAT, "texts": list(texts), "releases": releases}
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(prefix=path.name + ".", dir=path.parent)
    with os.fdopen(handle, "w", encoding="utf-8") as out:
        json.dump(data, out, ensure_ascii=False, separators=(",", ":"))
        out.write("\n")
    os.replace(temporary, path)


def read_record(path: Path = RECORD) -> Record:
    """Read the record at `path`; `RecordError` naming the file and the fix if it is damaged."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise RecordError(f"{path}: no release record; {REWRITE}") from None
    except (OSError, UnicodeDecodeError, ValueError) as error:
        raise RecordError(f"{path}: not readable JSON ({error}); {REWRITE}") from None
    try:
        return _parse(data)
    except (KeyError, TypeError, ValueError, IndexError) as error:
        raise RecordError(f"{path}: damaged ({error}); {REWRITE}") from None


def _parse(data: Any) -> Record:
    if not isinstance(data, dict) or data.get("format") != FORMAT:
        raise ValueError(f"not a record of format {FORMAT}")
    texts = data["texts"]
    if not isinstance(texts, list) or not all(isinstance(t, str) for t in texts):
        raise TypeError("`texts` is not a list of strings")
    record = Record()
    for item in data["releases"]:
        version, commit = item["version"], item["commit"]
        # Names, versions and commits reach pages (headings, links): only their plain forms.
        if not isinstance(version, str) or not _VERSION.fullmatch(version):
            raise ValueError(f"release version {version!r}")
        if not isinstance(commit, str) or not _COMMIT.fullmatch(commit):
            raise ValueError(f"commit of {version}")
        objects = {}
        for name, fields in item["objects"].items():
            kind, file, lineno, text, overloads = fields
            if not isinstance(name, str) or not _PATH.fullmatch(name):
                raise ValueError(f"object name {name!r} in {version}")
            if kind not in ("class", "function") or file not in SOURCE_FILES:
                raise ValueError(f"{name} in {version}")
            if not isinstance(lineno, int) or isinstance(lineno, bool) or lineno < 1:
                raise ValueError(f"line of {name} in {version}")
            if not all(isinstance(i, int) and 0 <= i < len(texts) for i in (text, overloads)):
                raise IndexError(f"text of {name} in {version}")
            objects[name] = Entry(
                kind=kind, file=file, lineno=lineno, text=texts[text], overloads=texts[overloads]
            )
        record.add(Release(version=version, commit=commit, objects=objects))
    return record
