"""A guide per torch release line for the published site, each built by mike into one git branch.

`release_guides` chooses them from a folder of release trees (`<version>/torch/`, as
`scripts/collect_history.py --releases` reads them): the latest patch of each minor line. The
release the lock file names builds as any build does (an orphaned note fails it); every other
one with `orphans: list`, which leaves its orphaned notes out and lists them. `publish` builds
each with `mike deploy` into a local branch, the newest line also as `latest`, the site's
default; nothing is pushed. `fetch_releases` downloads the trees a folder lacks.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from annotate.drift.lock import Lock
from annotate.errors import AnnotateError, SnapshotError
from annotate.history.collect import download_release
from annotate.history.record import version_key
from annotate.source.snapshot import find_torch

LATEST = "latest"
"""The alias of the newest release line's guide, which the site's root leads to."""
VERSIONS_PROVIDER = "ANNOTATE_VERSIONS"
"""Set to `mike` for a build of the published site: `mkdocs.yml` gives Material's version
selector that provider (any other build has none)."""
_RELEASE = re.compile(r"\d+\.\d+\.\d+")


class PublishError(AnnotateError):
    """The guides cannot be published: a release tree is missing, or a build failed."""


@dataclass(frozen=True, kw_only=True)
class ReleaseGuide:
    """One release line's guide on the published site."""

    line: str
    """The minor release line, `2.13`: the guide's folder on the site."""
    version: str
    """The release it is built from, `2.13.0`: the latest patch of its line in the folder."""
    torch_root: Path
    """That release's `torch` package folder, the build's `torch_root`."""
    locked: bool
    """The release the lock file names: an orphaned note fails its build, as in any build."""
    latest: bool
    """The newest line: also published as `latest`, the site's default."""

    @property
    def orphans(self) -> Literal["fail", "list"]:
        """The `annotate` plugin's `orphans` option for this guide."""
        return "fail" if self.locked else "list"

    def environment(self) -> dict[str, str]:
        """What `mkdocs.yml` reads from the environment to build this guide."""
        return {
            "ANNOTATE_TORCH_ROOT": str(self.torch_root),
            "ANNOTATE_ORPHANS": self.orphans,
            VERSIONS_PROVIDER: "mike",
        }


def release_line(version: str, /) -> str:
    """`2.13` for `2.13.0` (or `2.13.0+cpu`)."""
    return ".".join(version.split("+", 1)[0].split(".")[:2])


def latest_patches(versions: Iterable[str], /) -> list[str]:
    """The latest patch of each minor line among `versions`, oldest line first."""
    newest: dict[str, str] = {}
    for version in sorted(set(versions), key=version_key):
        newest[release_line(version)] = version
    return sorted(newest.values(), key=version_key)


def releases_in(folder: Path, /) -> list[str]:
    """The releases `folder` holds a tree of (`<version>/torch/`), oldest first."""
    if not folder.is_dir():
        return []
    found = [
        p.name for p in folder.iterdir() if _RELEASE.fullmatch(p.name) and (p / "torch").is_dir()
    ]
    return sorted(found, key=version_key)


def locked_release(lock: Lock, /) -> str | None:
    """The release the lock file names (the newest, where notes were locked against several)."""
    named = {entry.torch.split("+", 1)[0] for entry in lock.entries.values()}
    return max(named, key=version_key) if named else None


def release_guides(
    folder: Path,
    /,
    *,
    lock: Lock,
    lines: Sequence[str] = (),
) -> list[ReleaseGuide]:
    """The guide of each release line, newest first, from the trees under `folder`.

    `lines` (`2.13`) keeps only those lines. Raises `PublishError` naming what is missing.
    """
    known = latest_patches(releases_in(folder))
    if not known:
        raise PublishError(
            f"{folder} holds no release trees (`<version>/torch/`); give the folder of unpacked "
            "releases, or add --fetch to download them"
        )
    newest = release_line(known[-1])
    unknown = sorted(set(lines) - {release_line(v) for v in known}, key=version_key)
    if unknown:
        raise PublishError(
            f"no release of line {', '.join(unknown)} in {folder}; the lines there are "
            f"{', '.join(release_line(v) for v in known)}"
        )
    locked = locked_release(lock)
    guides = []
    for version in reversed(known):
        line = release_line(version)
        if lines and line not in lines:
            continue
        try:
            package = find_torch(folder / version / "torch")
        except SnapshotError as error:
            raise PublishError(f"{error} (torch {version}'s files, from its wheel)") from None
        guides.append(
            ReleaseGuide(
                line=line,
                version=version,
                torch_root=package,
                locked=version == locked,
                latest=line == newest,
            )
        )
    return guides


def fetch_releases(
    folder: Path,
    versions: Iterable[str],
    /,
    *,
    download: Callable[[str, Path], Path] = download_release,
) -> list[str]:
    """Download the tree of each latest patch among `versions` that `folder` lacks.

    Each comes from the release's wheel (`download_release`: `pip download --no-deps`, only the
    files the guide reads) into `folder/<version>/torch/`. Returns the releases fetched.
    """
    wanted = latest_patches([*versions, *releases_in(folder)])
    missing = [v for v in wanted if not (folder / v / "torch").is_dir()]
    folder.mkdir(parents=True, exist_ok=True)
    for version in missing:
        with tempfile.TemporaryDirectory(prefix="annotate-fetch-", dir=folder) as scratch:
            package = download(version, Path(scratch))
            shutil.move(package.parent, folder / version)
    return missing


@dataclass(frozen=True, kw_only=True)
class Published:
    """One guide built and committed."""

    guide: ReleaseGuide
    seconds: float
    """Wall time of its build and commit."""


def deploy_command(guide: ReleaseGuide, /, *, config_file: Path, branch: str) -> list[str]:
    """The `mike deploy` that builds `guide` into `branch`; the newest line also as `latest`.

    Aliases are redirects: `latest/...` leads to the same page of the newest line's guide.
    """
    command = ["mike", "deploy", "--config-file", str(config_file), "--branch", branch]
    command += ["--alias-type", "redirect", "--title", guide.version]
    if guide.latest:
        return [*command, "--update-aliases", guide.line, LATEST]
    return [*command, guide.line]


def default_command(*, config_file: Path, branch: str) -> list[str]:
    """The `mike set-default` that makes the site's root lead to the `latest` guide."""
    return ["mike", "set-default", "--config-file", str(config_file), "--branch", branch, LATEST]


def publish(
    guides: Sequence[ReleaseGuide],
    /,
    *,
    config_file: Path,
    branch: str = "gh-pages",
    environment: dict[str, str] | None = None,
    report: Callable[[str], None] = print,
) -> list[Published]:
    """Build every guide with mike into the local `branch` of the repository of `config_file`.

    Runs in that repository, with the environment `environment` (default: this process's) and
    what each guide needs; the site's root leads to `latest` once the newest line is built.
    Raises `PublishError` naming the release whose build failed and how to see why.
    """
    if shutil.which("mike", path=_path(environment)) is None:
        raise PublishError(
            "mike is not installed in this Python; install it with `pip install -e '.[publish]'`"
        )
    base = dict(os.environ if environment is None else environment)
    base["PATH"] = _path(environment)
    for variable, key in (
        ("GIT_COMMITTER_NAME", "user.name"),
        ("GIT_COMMITTER_EMAIL", "user.email"),
    ):
        asked = subprocess.run(
            ["git", "config", key], cwd=config_file.parent, env=base, capture_output=True
        )
        if not base.get(variable) and asked.returncode:
            raise PublishError(
                f"mike commits to {branch} as git's committer: set `git config {key}` or {variable}"
            )
    done = []
    for guide in guides:
        report(f"{guide.line}: torch {guide.version}, orphans: {guide.orphans} ...")
        start = time.perf_counter()
        command = deploy_command(guide, config_file=config_file, branch=branch)
        if subprocess.run(
            command, cwd=config_file.parent, env={**base, **guide.environment()}
        ).returncode:
            settings = " ".join(
                f"{k}={v}" for k, v in guide.environment().items() if k != VERSIONS_PROVIDER
            )
            raise PublishError(
                f"the guide of torch {guide.version} did not build; see why with "
                f"`{settings} mkdocs build --strict`"
            )
        done.append(Published(guide=guide, seconds=time.perf_counter() - start))
        report(f"{guide.line}: built in {done[-1].seconds:.1f} s")
    latest = next((guide for guide in guides if guide.latest), None)
    if latest is not None:
        command = default_command(config_file=config_file, branch=branch)
        if subprocess.run(command, cwd=config_file.parent, env=base).returncode:
            raise PublishError(f"`{' '.join(command)}` failed")
        root_404(latest, repository=config_file.parent, branch=branch, environment=base)
    return done


def root_404(
    guide: ReleaseGuide, /, *, repository: Path, branch: str, environment: dict[str, str]
) -> None:
    """Commit `guide`'s 404 page to the root of `branch`: the pages host answers every unknown
    address of the site with the root's, and mike writes a 404 page only inside each guide.

    Its links are absolute (`mkdocs.yml`'s `site_url`, with the guide's folder), so they hold
    from wherever the reader landed. mike has no command to add a file: git's plumbing does it.
    """

    # mike commits as git's committer alone; a commit also needs an author: the same one.
    ident = {
        f"GIT_AUTHOR_{kind}": environment[f"GIT_COMMITTER_{kind}"]
        for kind in ("NAME", "EMAIL")
        if environment.get(f"GIT_COMMITTER_{kind}") and not environment.get(f"GIT_AUTHOR_{kind}")
    }

    def git(*args: str, index: str = "") -> str:
        env = {**environment, **ident, **({"GIT_INDEX_FILE": index} if index else {})}
        done = subprocess.run(
            ["git", *args], cwd=repository, env=env, capture_output=True, check=False
        )
        if done.returncode:
            raise PublishError(f"`git {' '.join(args[:2])}` failed: {done.stderr.decode()[-500:]}")
        return done.stdout.decode().strip()

    page = git("rev-parse", "--verify", "--quiet", f"{branch}:{guide.line}/404.html")
    with tempfile.TemporaryDirectory(prefix="annotate-404-") as folder:
        index = str(Path(folder) / "index")
        git("read-tree", branch, index=index)
        git("update-index", "--add", "--cacheinfo", f"100644,{page},404.html", index=index)
        tree = git("write-tree", index=index)
    message = f"The site's 404 page: the one of the torch {guide.version} guide"
    commit = git("commit-tree", tree, "-p", branch, "-m", message)
    git("update-ref", f"refs/heads/{branch}", commit)


def _path(environment: dict[str, str] | None) -> str:
    """`PATH` with this Python's scripts first: mike runs `mkdocs` from it."""
    path = (os.environ if environment is None else environment).get("PATH", os.defpath)
    return os.pathsep.join([str(Path(sys.executable).parent), path])
