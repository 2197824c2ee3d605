"""Compiled templates kept between builds, signed as the notes' verdicts are.

Jinja compiles every template of an environment on every build; its bytecode cache keeps the
compiled code on disk. But that code is loaded as code (`marshal`), and the project's cache
folder may come with a pull request: a file slipped into it would run inside the build. So each
file carries an HMAC-SHA256 of its bytes, with the key kept outside the repository
(`verdicts.key_file`), and one that does not verify is compiled again, as a missing one is.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from jinja2 import BytecodeCache

from annotate.notes.verdicts import key_file, signing_key
from annotate.signed import read_signed, write_signed

if TYPE_CHECKING:
    from pathlib import Path

    from jinja2.bccache import Bucket


class SignedBytecodeCache(BytecodeCache):
    """Jinja's compiled templates in `folder`, each signed with the key at `key`."""

    def __init__(self, folder: Path, *, key: Path | None = None, below: Path | None = None) -> None:
        """Nothing is written where a folder between `below` and `folder` is a link."""
        self._folder = folder
        self._key = signing_key(key or key_file())
        self._below = below

    def _path(self, bucket: Bucket) -> Path:
        return self._folder / f"{bucket.key}.cache"

    def load_bytecode(self, bucket: Bucket) -> None:
        if self._key is None:
            return
        body = read_signed(self._path(bucket), key=self._key, context=bucket.key.encode())
        if body is not None:
            # Jinja still checks the template source's checksum and its own format.
            bucket.bytecode_from_string(body)

    def dump_bytecode(self, bucket: Bucket) -> None:
        if self._key is None:
            return
        write_signed(
            self._path(bucket),
            bucket.bytecode_to_string(),
            key=self._key,
            context=bucket.key.encode(),
            below=self._below,
        )
