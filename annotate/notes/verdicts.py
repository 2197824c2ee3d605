"""Judgements of notes kept between builds, signed with a key kept outside the repository.

Judging a note (its YAML, its Markdown, its HTML as a browser reads it) is most of reading the
notes, and a build in a fresh process would judge every note again. A verdict is kept on disk
by the note's name and bytes and the judging code, but anything on disk in the project may come
with a pull request: a forged verdict saying "accepted" would publish what nobody judged. So each
entry is signed (HMAC-SHA256) with a key that lives in the user's cache folder, outside the
repository, and an entry whose signature does not match is judged again, as a missing one is.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import os
import secrets
from collections.abc import Callable
from functools import cache
from pathlib import Path
from typing import Any

from annotate.signed import code_fingerprint

_KEY_BYTES = 32
_JUDGED_WITH = ("markdown", "pymdown-extensions", "html5lib", "nh3", "pyyaml", "mkdocs-autorefs")
"""The libraries a note is read and judged with."""


def key_file() -> Path:
    """Where the signing key lives: the user's cache folder, never the project's."""
    base = os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache"
    return Path(base) / "annotated-nn-module" / "verdict-key"


def signing_key(path: Path) -> bytes | None:
    """The key at `path`, made on first use; `None` where it can be neither read nor made."""
    try:
        key = path.read_bytes()
        if len(key) == _KEY_BYTES:
            return key
    except OSError:
        pass
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        staging = path.with_name(f"{path.name}.{os.getpid()}.tmp")
        staging.write_bytes(secrets.token_bytes(_KEY_BYTES))
        staging.chmod(0o600)
        staging.replace(path)
        key = path.read_bytes()  # another process may have made it first
        return key if len(key) == _KEY_BYTES else None
    except OSError:
        return None


@cache
def judging_code() -> str:
    """A fingerprint of the code that judges notes, and of the libraries it judges with: a
    verdict stands only for the code that gave it."""
    return code_fingerprint(_JUDGED_WITH)


class Verdicts:
    """Signed verdicts under `folder`, one JSON file per judged content."""

    def __init__(self, folder: Path, *, key: Path | None = None) -> None:
        self.folder = folder
        self._key = signing_key(key or key_file())

    def _name(self, content: bytes) -> str:
        return hashlib.sha256(judging_code().encode() + b"\0" + content).hexdigest()

    def _signature(self, name: str, value: str) -> str:
        assert self._key is not None
        return hmac.new(self._key, f"{name}\n{value}".encode(), hashlib.sha256).hexdigest()

    def get(self, content: bytes) -> Any | None:
        """The verdict kept for `content`; a missing, damaged or forged one is `None`."""
        if self._key is None:
            return None
        name = self._name(content)
        try:
            entry = json.loads((self.folder / f"{name}.json").read_text(encoding="utf-8"))
            value, signature = entry["value"], entry["signature"]
            if not isinstance(value, str) or not isinstance(signature, str):
                return None
            if not hmac.compare_digest(signature, self._signature(name, value)):
                return None
            return json.loads(value)
        except (OSError, ValueError, KeyError, TypeError):
            return None

    def put(self, content: bytes, verdict: Any) -> None:
        """Keep `verdict` (plain JSON data) for `content`; nothing happens where it cannot."""
        if self._key is None:
            return
        name = self._name(content)
        value = json.dumps(verdict, sort_keys=True)
        entry = {"value": value, "signature": self._signature(name, value)}
        try:
            self.folder.mkdir(parents=True, exist_ok=True)
            # Written whole under another name, then renamed: a reader never sees half an entry.
            staging = self.folder / f"{name}.{os.getpid()}.tmp"
            staging.write_text(json.dumps(entry), encoding="utf-8")
            staging.replace(self.folder / f"{name}.json")
        except OSError:
            pass

    def judged(
        self, kind: str, text: str, judge: Callable[[str], Any], *, valid: Callable[[Any], bool]
    ) -> Any:
        """What `judge` says of `text`, a `kind` of content (a page, an example's HTML): the
        verdict kept for it when there is one and it is `valid`, else judged now, and kept."""
        content = kind.encode() + b"\0" + text.encode()  # one kind's text is never another's
        kept = self.get(content)
        if kept is not None and valid(kept):
            return kept
        verdict = judge(text)
        self.put(content, verdict)
        return verdict
