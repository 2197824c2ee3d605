"""What one build computed that the next build takes again, by content.

Every build renders every page anew, though an edit to one note changes a few. A `Reuse` keeps
a value under a digest of everything it was computed from, so a later build takes it back only
when those inputs are byte for byte the same, never because of a time or a file's age. It holds
what the last build used and nothing older: each build's end drops what that build did not ask
for, so memory does not grow from rebuild to rebuild (`annotate.site.kept` also leaves it on
disk for the next process).
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from typing import TYPE_CHECKING, Generic, TypeVar

if TYPE_CHECKING:
    from collections.abc import Callable

V = TypeVar("V")


def digest(*parts: str) -> bytes:
    """A key for `parts`, each told apart from its neighbours (("ab", "c") is not ("a", "bc"))."""
    h = hashlib.sha256()
    for part in parts:
        data = part.encode("utf-8", "surrogatepass")
        h.update(len(data).to_bytes(8, "little"))
        h.update(data)
    return h.digest()


@dataclass
class ReuseStats:
    """How a build's values were found, counted since the build began."""

    reused: int = 0
    computed: int = 0


class Reuse(Generic[V]):
    """Values by the digest of their inputs, kept from one build to the next."""

    def __init__(self) -> None:
        self._last: dict[bytes, V] = {}
        self._this: dict[bytes, V] = {}
        self._ended = False
        self.stats = ReuseStats()
        """This build's, so far."""
        self.last = ReuseStats()
        """The last finished build's."""
        self.changed = False
        """The last finished build stored or dropped something: what is kept differs."""

    def get(
        self,
        key: bytes,
        compute: Callable[[], V],
        /,
        *,
        keep: Callable[[V], bool] | None = None,
        valid: Callable[[V], bool] | None = None,
    ) -> V:
        """The value kept under `key`, or `compute()`'s, kept for the next build where
        `keep(value)` allows (a value whose computing did more than make it is not kept, and
        is computed every time). Where `key` cannot name every input, `valid(value)` tells
        whether a kept value still stands for the rest (what it records it read)."""
        self._ended = False
        if key in self._this and (valid is None or valid(self._this[key])):
            self.stats.reused += 1
            return self._this[key]
        if key in self._last and (valid is None or valid(self._last[key])):
            self.stats.reused += 1
            value = self._last.pop(key)
        else:
            value = compute()
            if keep is not None and not keep(value):
                return value
            self.stats.computed += 1
        self._this[key] = value
        return value

    def end_build(self, *, failed: bool = False) -> None:
        """Keep what this build used, for the next one, and nothing else; after a build that
        `failed` (it may have stopped before asking for much), keep what it used too. Ending a
        build twice changes nothing."""
        if self._ended:
            return
        self._ended = True
        if failed:
            self.changed = bool(self._this)
            self._last.update(self._this)
            self._this = {}
        else:
            self.changed = self.stats.computed > 0 or bool(self._last)
            self._last, self._this = self._this, {}
        self.last, self.stats = self.stats, ReuseStats()

    def kept(self) -> dict[bytes, V]:
        """What the next build may take, by key."""
        return {**self._last, **self._this}

    def seed(self, values: dict[bytes, V], /) -> None:
        """Offer `values` (what an earlier process kept) to the next build."""
        self._ended = False
        self._last.update(values)

    def __len__(self) -> int:
        return len(self._last) + len(self._this)
