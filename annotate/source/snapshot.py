"""Copy `module.py` and `container.py` out of a torch tree into a minimal `torch` package.

The copy lets griffe load `torch.nn.modules.module` in a fraction of a second instead of
walking the whole installed torch, and its manifest pins the version, commit and hashes.
The torch tree is located with `importlib.util.find_spec`, which does not import torch.
"""

from __future__ import annotations

import ast
import hashlib
import importlib.util
import json
import re
import shutil
import tempfile
from dataclasses import asdict, dataclass, field
from pathlib import Path

from annotate.errors import SnapshotError

SOURCE_FILES = ("torch/nn/modules/module.py", "torch/nn/modules/container.py")
"""The files the guide reads, relative to the folder that holds the `torch` package."""

MODULES = {
    "torch.nn.modules.module": "torch/nn/modules/module.py",
    "torch.nn.modules.container": "torch/nn/modules/container.py",
}
"""Dotted module name of each snapshotted file."""

MANIFEST = "manifest.json"
_FORMAT = 1


@dataclass(frozen=True, kw_only=True)
class Snapshot:
    """A snapshot on disk and what it was taken from."""

    root: Path
    """Folder holding the minimal `torch` package; a griffe search path."""
    source: str
    """The torch package folder the files were copied from."""
    version: str
    """`torch.__version__` of the source, e.g. `2.13.0+cpu`."""
    commit: str
    """The git commit torch was built from, or `""` when unknown."""
    sha256: dict[str, str] = field(default_factory=dict)
    """Hash of each file in `SOURCE_FILES`."""
    public: dict[str, str] = field(default_factory=dict)
    """Public name (`torch.nn.Module`) to defining path (`torch.nn.modules.module.Module`)."""

    @property
    def release(self) -> str:
        """The release the version belongs to, e.g. `2.13.0` for `2.13.0+cpu`."""
        return self.version.split("+", 1)[0]

    @property
    def fingerprint(self) -> str:
        """One hash for the whole snapshot: changes when either file changes."""
        joined = "".join(f"{name}:{digest}\n" for name, digest in sorted(self.sha256.items()))
        return hashlib.sha256(joined.encode()).hexdigest()[:16]

    def path_of(self, relpath: str) -> Path:
        """The snapshotted copy of one of `SOURCE_FILES`."""
        return self.root / relpath


def find_torch(torch_root: Path | str | None = None) -> Path:
    """Return the `torch` package folder: the installed one, or the one under `torch_root`.

    `torch_root` may be the `torch` package folder itself, or a folder that contains it (a
    source checkout, an unpacked wheel).
    """
    if torch_root is None:
        spec = importlib.util.find_spec("torch")
        if spec is None or not spec.submodule_search_locations:
            raise SnapshotError(
                "torch is not installed; install it with `pip install torch==2.13.0`, "
                "or point at a torch tree with --torch-root"
            )
        package = Path(next(iter(spec.submodule_search_locations)))
    else:
        root = Path(torch_root).expanduser().resolve()
        package = root if (root / "nn" / "modules").is_dir() else root / "torch"
    missing = [rel for rel in SOURCE_FILES if not (package.parent / rel).is_file()]
    if missing:
        raise SnapshotError(
            f"{package} is not a torch tree: {', '.join(missing)} not found; pass the folder "
            "that holds torch/nn/modules/module.py"
        )
    return package


def _read_version(package: Path) -> tuple[str, str]:
    version_py = package / "version.py"
    if version_py.is_file():
        text = version_py.read_text(encoding="utf-8")
        found = re.search(r"""^__version__\s*=\s*['"]([^'"]+)['"]""", text, re.M)
        commit = re.search(r"""^git_version\s*=\s*['"]([0-9a-f]{7,40})['"]""", text, re.M)
        return (found[1] if found else "unknown", commit[1] if commit else "")
    # A source checkout has no generated version.py: use version.txt and the git HEAD.
    checkout = package.parent
    version_txt = checkout / "version.txt"
    version = version_txt.read_text().strip() if version_txt.is_file() else "unknown"
    return version, _git_head(checkout / ".git")


def _git_head(git_dir: Path) -> str:
    head = git_dir / "HEAD"
    if not head.is_file():
        return ""
    ref = head.read_text().strip()
    if not ref.startswith("ref: "):
        return ref
    ref_file = git_dir / ref[5:]
    return ref_file.read_text().strip() if ref_file.is_file() else ""


def _public_names(package: Path) -> dict[str, str]:
    """Names `torch/nn/modules/__init__.py` re-exports from the two files (`torch.nn` star-imports them)."""
    init = package / "nn" / "modules" / "__init__.py"
    public: dict[str, str] = {}
    if not init.is_file():
        return public
    for node in ast.parse(init.read_text(encoding="utf-8")).body:
        if (
            isinstance(node, ast.ImportFrom)
            and node.level == 1
            and node.module in ("module", "container")
        ):
            for alias in node.names:
                name = alias.asname or alias.name
                target = f"torch.nn.modules.{node.module}.{alias.name}"
                public[f"torch.nn.{name}"] = target
                public[f"torch.nn.modules.{name}"] = target
    return public


def _sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def load_snapshot(root: Path | str) -> Snapshot | None:
    """Read the manifest of the snapshot in `root`, or `None` if there is none or it is stale in format."""
    manifest = Path(root) / MANIFEST
    try:
        data = json.loads(manifest.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    if not isinstance(data, dict) or data.pop("format", None) != _FORMAT:
        return None
    try:
        return Snapshot(root=Path(root), **data)
    except TypeError:  # written by another version of this code: take the snapshot again
        return None


def take_snapshot(root: Path | str, /, *, torch_root: Path | str | None = None) -> Snapshot:
    """Make `root` hold a snapshot of the torch tree, copying only when the files changed."""
    root = Path(root)
    package = find_torch(torch_root)
    version, commit = _read_version(package)
    sha = {rel: _sha256(package.parent / rel) for rel in SOURCE_FILES}
    public = _public_names(package)
    current = load_snapshot(root)
    if (
        current is not None
        and current.sha256 == sha
        and current.version == version
        and current.commit == commit
        and current.source == str(package)
        and current.public == public
        and all(current.path_of(rel).is_file() for rel in SOURCE_FILES)
    ):
        return current

    root.parent.mkdir(parents=True, exist_ok=True)
    # A folder of its own, so that a build and the command line refreshing at once never mix.
    staging = Path(tempfile.mkdtemp(prefix=root.name + ".", dir=root.parent))
    modules = staging / "torch" / "nn" / "modules"
    modules.mkdir(parents=True)
    for rel in SOURCE_FILES:
        shutil.copyfile(package.parent / rel, staging / rel)
    (staging / "torch" / "__init__.py").write_text(f'__version__ = "{version}"\n')
    (staging / "torch" / "nn" / "__init__.py").write_text(
        _reexports(public, "torch.nn.", ".modules.")
    )
    (modules / "__init__.py").write_text(_reexports(public, "torch.nn.modules.", "."))
    snapshot = Snapshot(
        root=root, source=str(package), version=version, commit=commit, sha256=sha, public=public
    )
    data = {"format": _FORMAT, **asdict(snapshot)}
    del data["root"]
    (staging / MANIFEST).write_text(json.dumps(data, indent=2, sort_keys=True) + "\n")
    # Swap in whole so a reader never sees half a snapshot: the old one is renamed away first.
    old = Path(tempfile.mkdtemp(prefix=root.name + ".old.", dir=root.parent))
    if root.exists():
        root.rename(old / "snapshot")
    staging.rename(root)
    shutil.rmtree(old, ignore_errors=True)
    return snapshot


def _reexports(public: dict[str, str], prefix: str, relative: str) -> str:
    lines = []
    for name, target in sorted(public.items()):
        if name.startswith(prefix) and "." not in name[len(prefix) :]:
            module = target.rsplit(".", 2)[-2]
            lines.append(f"from {relative}{module} import {target.rsplit('.', 1)[1]}\n")
    return "".join(lines)
