"""The plugin keeps no build alive through what other libraries cache between builds."""

from __future__ import annotations

import ctypes
import gc
import platform
import weakref

import pytest
from mkdocs.exceptions import PluginError

from annotate.mkdocs_adapter.caches import forget_markdown_instances, release_freed_memory, weakly


class _Build:
    def format(self, source: str) -> str:
        return f"<pre>{source}</pre>"


def test_a_fence_formatter_does_not_keep_its_build_alive():
    build = _Build()
    fence = weakly(build.format)
    assert fence("x") == "<pre>x</pre>"
    alive = weakref.ref(build)
    del build
    gc.collect()
    assert alive() is None
    with pytest.raises(PluginError, match="outlived its build"):
        fence("x")


def test_the_caches_of_past_builds_are_emptied():
    from markdown import Markdown
    from markdown_exec._internal import rendering

    md = Markdown()
    rendering._register_headings_processors(md)
    assert rendering._register_headings_processors.cache_info().currsize >= 1
    forget_markdown_instances()
    assert rendering._register_headings_processors.cache_info().currsize == 0


def test_freed_memory_is_handed_back_without_error():
    # On glibc the trim is really called (the symbol resolves); elsewhere it is skipped.
    if platform.libc_ver()[0] == "glibc":
        assert callable(ctypes.CDLL(None).malloc_trim)
    assert release_freed_memory() is None
    release_freed_memory()  # and again: nothing is left in a state that breaks a second call
