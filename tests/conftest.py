"""Helpers that build what the tests need in temporary folders: torch trees, notes, sites."""

from __future__ import annotations

import functools
import http.server
import os
import shutil
import subprocess
import sys
import threading
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest

from annotate.guide import Guide, load_guide
from annotate.source.index import ObjectIndex, build_index
from annotate.source.snapshot import SOURCE_FILES, Snapshot, find_torch, take_snapshot

ROOT = Path(__file__).resolve().parent.parent
NOTES = ROOT / "docs" / "notes"
# The hosted guide lives under a project path (GitHub Pages: https://user.github.io/<repo>/),
# so the session's site is built for one: every link must hold under it.
SITE_URL = "http://127.0.0.1:8000/annotated-nn-module/"


@pytest.fixture(scope="session")
def installed_torch() -> Path:
    """The installed `torch` package folder."""
    return find_torch()


@pytest.fixture(scope="session")
def snapshot(tmp_path_factory: pytest.TempPathFactory) -> Snapshot:
    """A snapshot of the installed torch."""
    return take_snapshot(tmp_path_factory.mktemp("snap") / "snapshot")


@pytest.fixture(scope="session")
def index(snapshot: Snapshot) -> ObjectIndex:
    """The object index of the installed torch."""
    return build_index(snapshot)


@pytest.fixture(scope="session")
def guide(tmp_path_factory: pytest.TempPathFactory) -> Guide:
    """The repository's own notes attached to the installed torch."""
    return load_guide(NOTES, snapshot_dir=tmp_path_factory.mktemp("guide") / "snapshot")


def make_torch_tree(
    root: Path, installed: Path, *, edit: Callable[[str, str], str] | None = None
) -> Path:
    """A minimal torch tree under `root` with copies of the two files, each passed through `edit(relpath, text)`."""
    for rel in (*SOURCE_FILES, "torch/version.py", "torch/nn/modules/__init__.py"):
        target = root / rel
        target.parent.mkdir(parents=True, exist_ok=True)
        text = (installed.parent / rel).read_text(encoding="utf-8")
        target.write_text(edit(rel, text) if edit else text, encoding="utf-8")
    return root


def write_note(folder: Path, name: str, text: str | bytes) -> Path:
    """Write one note file into `folder` (bytes are written as they are)."""
    path = folder / name
    path.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(text, bytes):
        path.write_bytes(text)
    else:
        path.write_text(text, encoding="utf-8")
    return path


# Builds of edited copies are English alone unless a test asks for Chinese: the session's
# `site` builds both languages.
ENGLISH_ONLY = {"ANNOTATE_CHINESE": "false"}


def run_mkdocs(site_dir: Path, *, config: Path | None = None, env: dict[str, str] | None = None):
    """`mkdocs build --strict` into `site_dir` (English alone unless `env` says otherwise);
    the completed process."""
    config = config or ROOT / "mkdocs.yml"
    return subprocess.run(
        [
            sys.executable,
            "-m",
            "mkdocs",
            "build",
            "--strict",
            "-f",
            str(config),
            "-d",
            str(site_dir),
        ],
        cwd=config.parent,
        capture_output=True,
        text=True,
        env={**os.environ, "NO_MKDOCS_2_WARNING": "1", **ENGLISH_ONLY, **(env or {})},
        timeout=900,
        check=False,
    )


@pytest.fixture(scope="session")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The guide, built once with `--strict` from the repository as it is, for `SITE_URL`."""
    site_dir = tmp_path_factory.mktemp("site")
    result = run_mkdocs(site_dir, env={"ANNOTATE_SITE_URL": SITE_URL, "ANNOTATE_CHINESE": "true"})
    assert result.returncode == 0, result.stderr[-4000:]
    return site_dir


def copy_project(dest: Path) -> Path:
    """A copy of the site sources (config and docs) to break on purpose; returns its mkdocs.yml."""
    shutil.copytree(ROOT / "docs", dest / "docs")
    shutil.copy(ROOT / "mkdocs.yml", dest / "mkdocs.yml")
    return dest / "mkdocs.yml"


def add_page(config: Path, rel: str, text: str) -> Path:
    """Write the page `rel` (under docs/) of a copied project and name it in its navigation."""
    page = write_note(config.parent / "docs", rel, text)
    config.write_text(
        config.read_text(encoding="utf-8").replace("\nnav:\n", f"\nnav:\n  - {rel}\n", 1),
        encoding="utf-8",
    )
    return page


def failed_build(
    config_file: Path, site_dir: Path, *, env: dict[str, str] | None = None, full: bool = False
) -> str:
    """What a build of `config_file` fails with, run in this process: the error and the log.

    Problems found while the plugins read the configuration stop the build there, so by default
    only that step runs; `full` runs the whole build, for problems found while pages render.
    """
    import logging

    from mkdocs.commands.build import build
    from mkdocs.config import load_config
    from mkdocs.exceptions import Abort, PluginError

    records: list[str] = []
    handler = logging.Handler()
    handler.emit = lambda record: records.append(record.getMessage())  # type: ignore[method-assign]
    logger = logging.getLogger("mkdocs")
    logger.addHandler(handler)
    env = {**ENGLISH_ONLY, **(env or {})}
    saved = {key: os.environ.get(key) for key in env}
    os.environ.update(env)
    try:
        config = load_config(str(config_file), site_dir=str(site_dir))
        config.plugins.on_startup(command="build", dirty=False)
        try:
            if full:
                build(config)
            else:
                config.plugins.on_config(config)
        except (PluginError, Abort) as error:
            return "\n".join([*records, str(error)])
        finally:
            config.plugins.on_shutdown()
    finally:
        logger.removeHandler(handler)
        for key, value in saved.items():
            if value is None:
                os.environ.pop(key, None)
            else:
                os.environ[key] = value
    raise AssertionError(f"the build of {config_file} did not fail:\n" + "\n".join(records))


@dataclass(frozen=True, kw_only=True)
class PublishedSite:
    """The site `scripts/publish.py` built into a temporary repository's `gh-pages` branch."""

    root: Path
    """The branch's files, served at `base`."""
    base: str
    """`http://127.0.0.1:<port>/annotated-nn-module/`, the address it was built for."""
    releases: Path
    """The folder of release trees it was built from."""
    older: str
    """The release of the line below the lock file's, an edited copy of the installed torch."""
    locked: str
    """The release the lock file names: a copy of the installed torch."""
    output: str
    """What the script printed."""


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:
        pass


def publish_script(*argv: str, cwd: Path, env: dict[str, str] | None = None):
    """`python scripts/publish.py ARGV`, English alone unless `env` says otherwise."""
    return subprocess.run(
        [sys.executable, str(ROOT / "scripts" / "publish.py"), *argv],
        cwd=cwd,
        capture_output=True,
        text=True,
        env={**os.environ, "NO_MKDOCS_2_WARNING": "1", **ENGLISH_ONLY, **(env or {})},
        timeout=3600,
        check=False,
    )


@pytest.fixture(scope="session")
def published_site(tmp_path_factory: pytest.TempPathFactory, installed_torch: Path):
    """A guide per release, in both languages, built by `scripts/publish.py` from two releases
    made of the installed torch: the one the lock file names, and the line below it, whose
    quoted line of `Module._named_members` is on two lines (an orphaned line note). Where the
    real release trees are (`ANNOTATE_TORCH_RELEASES`), torch 2.1.2 too. Served on 127.0.0.1.
    """
    from annotate.drift.lock import LOCK_NAME, read_lock
    from annotate.history.publish import locked_release
    from tests import drift_cases as cases
    from tests.test_history import RELEASES

    root = tmp_path_factory.mktemp("published")
    locked = locked_release(read_lock(NOTES / LOCK_NAME))
    assert locked is not None
    major, minor, _ = locked.split(".")
    older = f"{major}.{int(minor) - 1}.0"
    installed_version = find_torch().joinpath("version.py").read_text(encoding="utf-8")

    def as_older(rel: str, text: str) -> str:
        if rel == "torch/version.py":
            return text.replace(f"'{locked}", f"'{older}")
        return cases.DUPLICATED(rel, text)

    releases = root / "releases"
    make_torch_tree(releases / locked, installed_torch)
    make_torch_tree(releases / older, installed_torch, edit=as_older)
    assert f"'{locked}" in installed_version
    if (RELEASES / "2.1.2" / "torch").is_dir():
        (releases / "2.1.2").symlink_to(RELEASES / "2.1.2")
    config = copy_project(root / "repo")
    identity = {
        "GIT_AUTHOR_NAME": "t",
        "GIT_AUTHOR_EMAIL": "t@example.invalid",
        "GIT_COMMITTER_NAME": "t",
        "GIT_COMMITTER_EMAIL": "t@example.invalid",
    }
    git_env = {**os.environ, **identity}
    for command in (["init", "-q"], ["add", "-A"], ["commit", "-qm", "sources"]):
        subprocess.run(["git", *command], cwd=config.parent, env=git_env, check=True)
    served = root / "served"
    site = served / "annotated-nn-module"
    site.mkdir(parents=True)
    handler = functools.partial(_QuietHandler, directory=str(served))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    server.daemon_threads = True
    base = f"http://127.0.0.1:{server.server_address[1]}/annotated-nn-module/"
    thread = threading.Thread(target=server.serve_forever, name="published-site", daemon=True)
    thread.start()
    try:
        result = publish_script(
            str(releases),
            "--config-file",
            str(config),
            cwd=config.parent,
            env={**identity, "ANNOTATE_SITE_URL": base, "ANNOTATE_CHINESE": "true"},
        )
        assert result.returncode == 0, result.stdout[-2000:] + result.stderr[-4000:]
        archive = subprocess.run(
            ["git", "archive", "gh-pages"], cwd=config.parent, capture_output=True, check=True
        )
        subprocess.run(["tar", "-x", "-C", str(site)], input=archive.stdout, check=True)
        yield PublishedSite(
            root=site,
            base=base,
            releases=releases,
            older=older,
            locked=locked,
            output=result.stdout + result.stderr,
        )
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=10)
