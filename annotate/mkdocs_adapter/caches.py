"""What other libraries keep of past builds, which under `mkdocs serve` would keep them alive."""

from __future__ import annotations

import ctypes
import importlib
import sys
import weakref
from typing import TYPE_CHECKING, Any

from mkdocs.exceptions import PluginError

if TYPE_CHECKING:
    from collections.abc import Callable

_CACHES = (
    ("markdown_exec._internal.rendering", "_register_headings_processors"),
    ("mkdocstrings_handlers.python._internal.rendering", "_test_existing_template"),
)
"""Module and name of each cached function keyed by an object of one build."""


def weakly(method: Callable[..., str], /) -> Callable[..., str]:
    """`method`, called through a weak reference.

    Libraries keep configurations of past builds in caches of their own (mkdocstrings keeps
    each build's Jinja environment, with its Markdown options); through the fence formatter,
    those would keep this plugin's whole build alive under `mkdocs serve`.
    """
    ref = weakref.WeakMethod(method)

    def call(*args: Any, **kwargs: Any) -> str:
        bound = ref()
        if bound is None:
            raise PluginError("annotate: an example fence outlived its build")
        return bound(*args, **kwargs)

    return call


def forget_markdown_instances() -> None:
    """Empty two caches keyed by objects of one build, which would keep every build alive.

    markdown-exec caches every Markdown instance it has seen, without bound; mkdocstrings-python
    caches template look-ups by Jinja environment. Under `mkdocs serve` they kept about 40 MB a
    rebuild; each only saves a look-up on a live object.
    """
    for module, name in _CACHES:
        try:
            cached = getattr(importlib.import_module(module), name, None)
        except ImportError:
            continue
        clear = getattr(cached, "cache_clear", None)
        if callable(clear):
            clear()


def release_freed_memory() -> None:
    """Hand the memory freed by a build back to the system: glibc's `malloc_trim(0)` (on other
    C libraries, nothing).

    glibc keeps freed memory in its arenas for the process to reuse, so under `mkdocs serve` the
    resident memory stays at the largest a build ever reached though nothing holds it.
    """
    if not sys.platform.startswith("linux"):
        return
    try:
        trim = ctypes.CDLL(None).malloc_trim
    except (OSError, AttributeError):  # not glibc (musl has no `malloc_trim`)
        return
    trim.argtypes = [ctypes.c_size_t]
    trim.restype = ctypes.c_int
    trim(0)
