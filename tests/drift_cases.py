"""Notes locked against the installed torch, and edited copies of its files to read them against."""

from __future__ import annotations

import contextlib
import io
from collections.abc import Callable
from pathlib import Path

from annotate.cli import main
from tests.conftest import write_note

MODULE = "torch/nn/modules/module.py"
CONTAINER = "torch/nn/modules/container.py"

NOTES = {
    "module/Module.to.md": """---
target: torch.nn.Module.to
---
Moves and casts.

## `torch._C._nn._parse_to(`

Parses the arguments.

## `def convert(t):`

The closure.

## `return self._apply(convert)`

The walk.
""",
    "module/Module._named_members.md": """---
target: torch.nn.Module._named_members
---
The generator behind the iterators.

## `self.named_modules(prefix=prefix, remove_duplicate=remove_duplicate)`

The walk.

## `if v is None or v in memo:`

Duplicates are skipped.
""",
    "module/Module.__getattr__.md": """---
target: torch.nn.Module.__getattr__
---
Called when lookup fails.

## `return modules[name]`

Submodules.
""",
    "module/Module._save_to_state_dict.md": """---
target: torch.nn.Module._save_to_state_dict
---
The per-module half of state_dict.

## `destination[prefix + name] = param if keep_vars else param.detach()`

Detached by default.
""",
    "container/Sequential.forward.md": """---
target: torch.nn.Sequential.forward
---
Runs each module in turn.

## `input = module(input)`

One step.
""",
}
"""Note name to text: one note per kind of edit, with line notes on lines the edits keep or break."""

Edit = Callable[[str, str], str]


def edit(file: str, *replacements: tuple[str, str]) -> Edit:
    """An edit of `file` replacing each old text (which must be there) once, in order."""

    def apply(rel: str, text: str) -> str:
        if rel != file:
            return text
        for old, new in replacements:
            assert old in text, f"{old!r} is not in {rel}: the installed torch changed"
            text = text.replace(old, new, 1)
        return text

    return apply


def edits(*each: Edit) -> Edit:
    """Several edits, one after the other."""

    def apply(rel: str, text: str) -> str:
        for one in each:
            text = one(rel, text)
        return text

    return apply


HELPER = "    def _helper_added_above(self):\n        return None\n\n"
INSERTED_ABOVE = edits(
    edit(MODULE, ("    def _named_members(\n", HELPER + "    def _named_members(\n")),
    edit(CONTAINER, ("class Sequential(Module):\n", "_ADDED = 1\n\n\nclass Sequential(Module):\n")),
)
"""Three lines above `_named_members`, three above `Sequential`."""

OVERLOAD_ADDED = edits(
    edit(
        MODULE,
        (
            "    def to(self, *args, **kwargs):\n",
            "    @overload\n    def to(self, *, memory_format: Any) -> Self: ...\n\n"
            "    def to(self, *args, **kwargs):\n",
        ),
        (
            "    def _named_members(\n",
            "    @overload\n    def _named_members(self, get_members_fn: Any) -> Any: ...\n\n"
            "    def _named_members(\n",
        ),
    )
)
"""An `@overload` before `to` (which has some already) and before `_named_members` (which has none)."""

OVERLOAD_REMOVED = edit(
    MODULE,
    (
        "    @overload\n    def to(self, dtype: dtype, non_blocking: bool = ...) -> Self: ...\n\n",
        "",
    ),
)
"""One of the three `@overload` stubs of `to` deleted."""

OVERLOAD_EDITED = edit(
    MODULE,
    (
        "    def to(self, tensor: Tensor, non_blocking: bool = ...) -> Self: ...\n",
        "    def to(self, tensor: Tensor, *, non_blocking: bool = ...) -> Self: ...\n",
    ),
)
"""One stub of `to` takes `non_blocking` by keyword only: the number of stubs is the same."""

REMOVED_START = '    def __getattr__(self, name: str) -> Union[Tensor, "Module"]:\n'
GETATTR_STUB = edit(
    MODULE,
    (
        REMOVED_START,
        "    @overload\n    def __getattr__(self, name: str) -> Tensor: ...\n\n" + REMOVED_START,
    ),
)
"""An `@overload` stub added before `Module.__getattr__`, which has none."""

COSMETIC = edit(
    MODULE,
    (
        "Move and/or cast the parameters and buffers.",
        "Move or cast this module's parameters and buffers.",
    ),
    (
        "        return self._apply(convert)\n",
        "        return  self._apply(convert)  # the walk\n",
    ),
    (
        "        for name, param in self._parameters.items():\n            if param is not None:\n"
        "                destination[prefix + name]",
        "        # Parameters first, then buffers.\n"
        "        for name, param in self._parameters.items():\n            if param is not None:\n"
        "                destination[prefix + name]",
    ),
)
"""The docstring of `to` reworded, its last line re-spaced and commented, a comment added to `_save_to_state_dict`."""

DOCSTRING_SENTENCE = edit(
    MODULE,
    (
        "        This is typically passed to an optimizer.\n",
        "        This is typically passed to an optimizer. The exact order of the returned\n"
        "        parameters is unspecified.\n",
    ),
)
"""A sentence added to the docstring of `parameters`, as torch 2.14.1 adds one."""

PARAMETERS_NOTE = {
    "module/Module.parameters.md": """---
target: torch.nn.Module.parameters
---
Yields every parameter, in a fixed order.

## `for _name, param in self.named_parameters(recurse=recurse):`

The names are dropped.
"""
}
"""A note the docstring sentence contradicts."""

STATEMENT_CHANGED = edit(
    MODULE,
    (
        '"nn.Module.to only accepts floating point or complex "',
        '"Module.to accepts only floating point or complex "',
    ),
)
"""One statement inside `to` changed (a line no line note quotes)."""

RENAMED = edit(
    MODULE,
    ("    def _save_to_state_dict(self, destination", "    def _save_own_state(self, destination"),
)
REMOVED_END = (
    "            f\"'{type(self).__name__}' object has no attribute '{name}'\"\n        )\n"
)


def remove_getattr(rel: str, text: str) -> str:
    """`Module.__getattr__` deleted whole."""
    if rel != MODULE:
        return text
    start = text.index(REMOVED_START)
    end = text.index(REMOVED_END, start) + len(REMOVED_END)
    return text[:start] + text[end:]


DUPLICATED = edit(
    MODULE,
    (
        "                if v is None or v in memo:\n                    continue\n",
        "                if v is None or v in memo:\n                    continue\n"
        "                if v is None or v in memo:\n                    continue\n",
    ),
)
"""The quoted `if v is None or v in memo:` of `_named_members` now on two lines."""


def run_cli(*argv: str) -> tuple[int, str]:
    """Run `annotate ARGV`; its exit code and everything it printed."""
    out = io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(out):
        code = main(list(argv))
    return code, out.getvalue()


def locked_notes(folder: Path, cache: Path, notes: dict[str, str] = NOTES) -> Path:
    """Write `notes` into `folder` and lock them against the installed torch with `annotate refresh --all`."""
    for name, text in notes.items():
        write_note(folder, name, text)
    code, out = run_cli("refresh", "--all", "--notes", str(folder), "--cache", str(cache))
    assert code == 0, out
    return folder


GONE_NOTES = {
    "module/Module._helper_added_above.md": """---
target: torch.nn.Module._helper_added_above
---
A helper only the edited torch has.
""",
    "module/Module.cuda.md": """---
target: torch.nn.Module.cuda
---
Moves to the GPU; compare [the helper][torch.nn.Module._helper_added_above].
""",
}
"""Notes locked against a torch with `_helper_added_above` (`INSERTED_ABOVE`): against the
installed one, the first note's target is gone, and the second links to it."""


def lock_gone_notes(folder: Path, tree: Path, cache: Path) -> None:
    """Write `GONE_NOTES` into `folder` and lock them against the torch `tree` with the helper."""
    for name, text in GONE_NOTES.items():
        write_note(folder, name, text)
    code, out = run_cli(
        "refresh",
        *GONE_NOTES,
        "--notes",
        str(folder),
        "--cache",
        str(cache),
        "--torch-root",
        str(tree),
    )
    assert code == 0, out
