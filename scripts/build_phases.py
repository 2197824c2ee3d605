"""Where the time of an in-process MkDocs build of the guide goes, phase by phase.

`install()` wraps the functions each phase runs in (MkDocs', the plugins' and the guide's own),
timing each exclusively: a phase called inside another (mkdocstrings inside a page's Markdown,
the Chinese build inside mkdocs-static-i18n's `on_post_build`) counts for itself only, so the
shares add up to the whole build. Used by `scripts/benchmark.py`; nothing here is part of the
guide.
"""

from __future__ import annotations

import functools
import importlib
import time
from collections import defaultdict
from typing import Any

# (label, module, attribute path): the first phase listed for a function wins.
PHASES = (
    ("configuration (load_config)", "mkdocs.config", "load_config"),
    ("files (get_files)", "mkdocs.commands.build", "get_files"),
    ("guide: read notes and index", "annotate.mkdocs_adapter.setup", "read"),
    ("guide: pages judged before publishing", "annotate.mkdocs_adapter.site_files", "unchecked"),
    ("guide: examples' first pass", "annotate.site.build", "SiteBuild.run_examples_first"),
    (
        "examples: worker start (import torch)",
        "annotate.examples.process",
        "WorkerProcess.__init__",
    ),
    ("examples: run in the worker", "annotate.examples.process", "WorkerProcess.run"),
    ("examples: render output", "annotate.examples.fences", "ExampleFences.format"),
    ("Markdown of pages", "mkdocs.structure.pages", "Page.render"),
    (
        "mkdocstrings: objects",
        "mkdocstrings_handlers.python._internal.handler",
        "PythonHandler.render",
    ),
    ("guide: page completion", "annotate.mkdocs_adapter.pages", "complete_html"),
    ("autorefs: cross-references", "mkdocs_autorefs._internal.plugin", "AutorefsPlugin.on_env"),
    (
        "search: index pages",
        "material.plugins.search.plugin",
        "SearchIndex.add_entry_from_context",
    ),
    ("search: write index", "material.plugins.search.plugin", "SearchPlugin.on_post_build"),
    ("theme templates and page output", "mkdocs.commands.build", "_build_page"),
    ("static files and other", "mkdocs.commands.build", "build"),
)

totals: dict[str, float] = defaultdict(float)
_stack: list[list[Any]] = []


def _timed(label: str, function: Any) -> Any:
    @functools.wraps(function)
    def timed(*args: Any, **kwargs: Any) -> Any:
        now = time.perf_counter()
        if _stack:
            totals[_stack[-1][0]] += now - _stack[-1][1]
        _stack.append([label, now])
        try:
            return function(*args, **kwargs)
        finally:
            end = time.perf_counter()
            totals[label] += end - _stack.pop()[1]
            if _stack:
                _stack[-1][1] = end

    return timed


def install() -> None:
    """Wrap every phase's function; call before the first build."""
    for label, module_name, path in PHASES:
        owner: Any = importlib.import_module(module_name)
        *parents, name = path.split(".")
        for parent in parents:
            owner = getattr(owner, parent)
        setattr(owner, name, _timed(label, getattr(owner, name)))


def reset() -> dict[str, float]:
    """The seconds of each phase since the last reset."""
    shares = dict(totals)
    totals.clear()
    return shares
