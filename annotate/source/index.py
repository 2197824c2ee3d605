"""Every class, function, method and attribute of the snapshotted files, by griffe path."""

from __future__ import annotations

import difflib
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Literal

import griffe

from annotate.source.snapshot import MODULES

if TYPE_CHECKING:
    from annotate.source.snapshot import Snapshot

Kind = Literal["module", "class", "function", "attribute"]


@dataclass(frozen=True, kw_only=True)
class ObjectInfo:
    """Where one object lives."""

    path: str
    """Canonical griffe path, e.g. `torch.nn.modules.module.Module.to`."""
    kind: Kind
    """What griffe says it is."""
    file: str
    """The snapshotted file, e.g. `torch/nn/modules/module.py`."""
    lineno: int
    """First line, decorators included (1-based)."""
    endlineno: int
    """Last line (inclusive)."""
    overloads: tuple[tuple[int, int], ...] = ()
    """For a function, the first and last line of each of its `@overload` stubs, which stand
    before it, outside its span."""

    @property
    def name(self) -> str:
        """The last part of the path."""
        return self.path.rsplit(".", 1)[-1]

    @property
    def short(self) -> str:
        """The path inside its module, e.g. `Module.to`."""
        module = next(m for m in MODULES if self.path == m or self.path.startswith(m + "."))
        return self.path[len(module) + 1 :] or self.path


@dataclass(kw_only=True)
class ObjectIndex:
    """Look-up of objects by canonical, public (`torch.nn.Module.to`) or short (`Module.to`) path."""

    objects: dict[str, ObjectInfo] = field(default_factory=dict)
    """Canonical path to object, in file order."""
    redirects: dict[str, str] = field(default_factory=dict)
    """Assigned methods (`Module.__call__` to `Module._wrapped_call_impl`), by canonical path."""
    public: dict[str, str] = field(default_factory=dict)
    """Public name of a class to its canonical path."""
    lines: dict[str, list[str]] = field(default_factory=dict)
    """Each file's lines, without line ends."""

    def canonical(self, path: str) -> str | None:
        """The canonical path `path` names, or `None`."""
        path = path.strip()
        for candidate in self._spellings(path):
            if candidate in self.objects:
                return self.redirects.get(candidate, candidate)
        return None

    def get(self, path: str) -> ObjectInfo | None:
        """The object `path` names (following assigned methods), or `None`."""
        canonical = self.canonical(path)
        return self.objects[canonical] if canonical else None

    def candidates(self, path: str, *, limit: int = 3) -> list[str]:
        """Paths close to `path`, for a "did you mean" message, in their short spelling."""
        shorts = {info.short: info.path for info in self.objects.values()}
        wanted = path.strip()
        for module in (*MODULES, "torch.nn.modules", "torch.nn"):
            if wanted.startswith(module + "."):
                wanted = wanted[len(module) + 1 :]
                break
        close = difflib.get_close_matches(wanted, list(shorts), n=limit, cutoff=0.6)
        if not close:
            tail = wanted.rsplit(".", 1)[-1]
            close = [short for short in shorts if short.rsplit(".", 1)[-1] == tail][:limit]
        return close

    def public_path(self, path: str) -> str | None:
        """The shortest public spelling of canonical `path` (`torch.nn.Module.to`), if any."""
        spellings = [
            public + path[len(target) :]
            for public, target in self.public.items()
            if path == target or path.startswith(target + ".")
        ]
        return min(spellings, key=lambda s: (len(s), s), default=None)

    def functions(self) -> list[ObjectInfo]:
        """Functions and methods, in file order."""
        return [info for info in self.objects.values() if info.kind == "function"]

    def _spellings(self, path: str) -> list[str]:
        spellings = [path]
        for public, target in self.public.items():
            if path == public or path.startswith(public + "."):
                spellings.append(target + path[len(public) :])
        spellings.extend(f"{module}.{path}" for module in MODULES)
        return spellings


def build_index(snapshot: Snapshot) -> ObjectIndex:
    """Load both files of `snapshot` with griffe (and nothing else of torch) and index them."""
    loader = griffe.GriffeLoader(search_paths=[str(snapshot.root)])
    index = ObjectIndex(public=dict(snapshot.public))
    for module_path, relpath in MODULES.items():
        module = loader.load(module_path, try_relative_path=False)
        assert isinstance(module, griffe.Module)
        index.lines[relpath] = snapshot.path_of(relpath).read_text(encoding="utf-8").splitlines()
        _walk(module, relpath, index)
    return index


def _walk(obj: griffe.Object, relpath: str, index: ObjectIndex) -> None:
    kind: Kind = obj.kind.value  # type: ignore[assignment]
    index.objects[obj.path] = ObjectInfo(
        path=obj.path,
        kind=kind,
        file=relpath,
        lineno=obj.lineno or 1,
        endlineno=obj.endlineno or obj.lineno or len(index.lines[relpath]),
        overloads=tuple(
            (stub.lineno or 1, stub.endlineno or stub.lineno or 1)
            for stub in (obj.overloads or [] if isinstance(obj, griffe.Function) else [])
        ),
    )
    members = sorted(
        (member for member in obj.members.values() if not member.is_alias),
        key=lambda member: member.lineno or 0,
    )
    for member in members:
        if isinstance(member, griffe.Attribute) and isinstance(member.value, griffe.ExprName):
            # `__call__ = _wrapped_call_impl`: the name is the function it points at.
            pointee = obj.members.get(str(member.value))
            if isinstance(pointee, griffe.Function):
                index.redirects[member.path] = pointee.path
        if isinstance(member, griffe.Object):
            _walk(member, relpath, index)
