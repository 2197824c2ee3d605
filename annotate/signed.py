"""Files the build keeps in the project's cache folder and trusts only with its own signature.

The cache folder may come with a pull request, so what the build reads back from it as code or
as HTML carries an HMAC-SHA256 made with a key outside the repository (`verdicts.key_file`); a
file that does not verify is ignored, as a missing one is.
"""

from __future__ import annotations

import contextlib
import hashlib
import hmac
import importlib.metadata
import os
import stat
import tempfile
from pathlib import Path

import annotate

MAC_BYTES = hashlib.sha256().digest_size
LARGEST = 256 * 1024 * 1024
"""Bytes past which a file is not read: the build's own are a few MB; a larger one was put
there to exhaust memory."""


def _mac(key: bytes, context: bytes, body: bytes) -> bytes:
    return hmac.new(key, context + b"\0" + body, hashlib.sha256).digest()


def read_signed(path: Path, *, key: bytes, context: bytes) -> bytes | None:
    """The body of the file at `path` signed with `key` for `context`; `None` for a missing,
    unsigned or forged file, or anything but a regular file."""
    data = read_regular(path)
    if data is None:
        return None
    mac, body = data[:MAC_BYTES], data[MAC_BYTES:]
    return body if hmac.compare_digest(mac, _mac(key, context, body)) else None


def write_signed(
    path: Path, body: bytes, *, key: bytes, context: bytes, below: Path | None = None
) -> None:
    """`body` signed with `key` for `context` at `path`; nothing happens where it cannot, or
    where a folder between `below` and `path` is a link (one that came with a pull request
    would have the build write outside the project)."""
    if below is not None and _linked(path.parent, below):
        return
    staging = None
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        # A fresh file of its own (never one a name in the folder points to), then renamed.
        handle, staging = tempfile.mkstemp(dir=path.parent, suffix=".tmp")
        with os.fdopen(handle, "wb") as out:
            out.write(_mac(key, context, body) + body)
        os.replace(staging, path)
    except OSError:
        if staging is not None:
            with contextlib.suppress(OSError):
                os.unlink(staging)


def _linked(folder: Path, below: Path) -> bool:
    """Whether a folder from `below` (exclusive) down to `folder` is a link, or `folder` is not
    under `below` at all."""
    try:
        relative = folder.absolute().relative_to(below.absolute())
    except ValueError:
        return True
    current = below.absolute()
    for part in relative.parts:
        current = current / part
        if current.is_symlink():
            return True
    return False


def read_regular(path: Path) -> bytes | None:
    """The bytes of the regular file at `path`; `None` for anything else (a link, a pipe that
    would block the build, a folder, a file larger than `LARGEST`) or what cannot be read."""
    try:
        handle = os.open(path, os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK)
    except OSError:
        return None
    with os.fdopen(handle, "rb") as file:
        try:
            status = os.fstat(file.fileno())
            if not stat.S_ISREG(status.st_mode) or status.st_size > LARGEST:
                return None
            return file.read(LARGEST + 1)
        except OSError:
            return None


def code_fingerprint(distributions: tuple[str, ...], /, *, pattern: str = "*.py") -> str:
    """A fingerprint of this package's files matching `pattern` and of the versions of
    `distributions`: what is kept stands only for the code that made it."""
    h = hashlib.sha256()
    for distribution in distributions:
        try:
            version = importlib.metadata.version(distribution)
        except importlib.metadata.PackageNotFoundError:
            version = ""
        h.update(f"{distribution}={version}\n".encode())
    package = Path(annotate.__file__).parent
    files = (p for p in package.rglob(pattern) if p.is_file() and "__pycache__" not in p.parts)
    for source in sorted(files):
        h.update(source.relative_to(package).as_posix().encode() + b"\0")
        h.update(source.read_bytes())
    return h.hexdigest()
