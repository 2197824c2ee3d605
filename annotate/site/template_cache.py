"""Compiled templates kept between builds, signed as the notes' verdicts are.

Jinja compiles every template of an environment on every build; its bytecode cache keeps the
compiled code on disk. But that code is loaded as code (`marshal`), and the project's cache
folder may come with a pull request: a file slipped into it would run inside the build. So each
file carries an HMAC-SHA256 of its bytes, with the key kept outside the repository
(`verdicts.key_file`), and one that does not verify is compiled again, as a missing one is.
"""

from __future__ import annotations

import contextlib
import hashlib
import hmac
import os
import stat
import tempfile
from typing import TYPE_CHECKING

from jinja2 import BytecodeCache

from annotate.notes.verdicts import key_file, signing_key

if TYPE_CHECKING:
    from pathlib import Path

    from jinja2.bccache import Bucket

_MAC_BYTES = hashlib.sha256().digest_size


class SignedBytecodeCache(BytecodeCache):
    """Jinja's compiled templates in `folder`, each signed with the key at `key`."""

    def __init__(self, folder: Path, *, key: Path | None = None) -> None:
        self._folder = folder
        self._key = signing_key(key or key_file())

    def _path(self, bucket: Bucket) -> Path:
        return self._folder / f"{bucket.key}.cache"

    def _mac(self, bucket: Bucket, body: bytes) -> bytes:
        assert self._key is not None
        return hmac.new(self._key, bucket.key.encode() + b"\0" + body, hashlib.sha256).digest()

    def load_bytecode(self, bucket: Bucket) -> None:
        if self._key is None:
            return
        data = _read_file(self._path(bucket))
        if data is None:
            return
        mac, body = data[:_MAC_BYTES], data[_MAC_BYTES:]
        if hmac.compare_digest(mac, self._mac(bucket, body)):
            # Jinja still checks the template source's checksum and its own format.
            bucket.bytecode_from_string(body)

    def dump_bytecode(self, bucket: Bucket) -> None:
        if self._key is None:
            return
        body = bucket.bytecode_to_string()
        staging = None
        try:
            self._folder.mkdir(parents=True, exist_ok=True)
            # A fresh file of its own (never one a name in the folder points to), then renamed.
            handle, staging = tempfile.mkstemp(dir=self._folder, suffix=".tmp")
            with os.fdopen(handle, "wb") as out:
                out.write(self._mac(bucket, body) + body)
            os.replace(staging, self._path(bucket))
        except OSError:
            if staging is not None:
                with contextlib.suppress(OSError):
                    os.unlink(staging)


def _read_file(path: Path) -> bytes | None:
    """The bytes of the regular file at `path`; `None` for anything else (a link, a pipe that
    would block the build, a folder) or what cannot be read."""
    try:
        handle = os.open(path, os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK)
    except OSError:
        return None
    with os.fdopen(handle, "rb") as file:
        try:
            if not stat.S_ISREG(os.fstat(file.fileno()).st_mode):
                return None
            return file.read()
        except OSError:
            return None
