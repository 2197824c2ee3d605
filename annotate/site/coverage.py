"""Which classes and functions have a note, and how fresh each note is: data and an HTML map."""

from __future__ import annotations

from dataclasses import dataclass
from html import escape
from typing import TYPE_CHECKING, Final, Literal

from annotate.drift.states import NoteState
from annotate.site import labels
from annotate.source.snapshot import SOURCE_FILES

if TYPE_CHECKING:
    from collections.abc import Callable

    from annotate.guide import Guide
    from annotate.site.labels import Gettext

NO_NOTE: Final = "none"
"""The state of a cell whose object has no note."""
CellState = NoteState | Literal["none"]
"""`none` for an object without a note, else the state of its note (`Guide.states`)."""

LEGEND: dict[CellState, str] = {NO_NOTE: "no note yet", **{s: s.legend for s in NoteState}}
"""Every state of a cell, in legend order, with what it tells a contributor."""


@dataclass(frozen=True, kw_only=True)
class CoverageCell:
    """One class or function of a source file."""

    path: str
    """Canonical path, e.g. `torch.nn.modules.module.Module.to`."""
    short: str
    """Path inside its module, e.g. `Module.to`."""
    kind: Literal["class", "function"]
    """What the object is."""
    identifier: str
    """The spelling to link with: the public path when there is one (`torch.nn.Module.to`)."""
    lineno: int
    """First line."""
    endlineno: int
    """Last line."""
    note: str | None
    """Name of the note on the object, if any."""
    line_notes: int
    """How many line notes that note has."""
    state: CellState
    """`none`, or the freshness of the note."""


@dataclass(frozen=True, kw_only=True)
class FileCoverage:
    """The cells of one source file, in file order."""

    file: str
    """The source file, e.g. `torch/nn/modules/module.py`."""
    cells: tuple[CoverageCell, ...]
    """Every class and function, in file order."""

    @property
    def annotated(self) -> int:
        """How many cells have a note."""
        return sum(cell.note is not None for cell in self.cells)

    @property
    def total(self) -> int:
        """How many cells there are."""
        return len(self.cells)


@dataclass(frozen=True, kw_only=True)
class CoverageMap:
    """Coverage of every source file, plus notes whose object no cell shows."""

    files: tuple[FileCoverage, ...]
    """One entry per source file, in `SOURCE_FILES` order."""
    orphans: tuple[str, ...]
    """Notes marked `orphaned` in `Guide.states` that no cell carries."""

    @property
    def annotated(self) -> int:
        """Cells with a note, over all files."""
        return sum(f.annotated for f in self.files)

    @property
    def total(self) -> int:
        """Cells over all files."""
        return sum(f.total for f in self.files)

    def counts(self) -> dict[CellState, int]:
        """How many cells are in each state (orphans count as `orphaned`)."""
        counts: dict[CellState, int] = dict.fromkeys(LEGEND, 0)
        for file in self.files:
            for cell in file.cells:
                counts[cell.state] += 1
        counts[NoteState.ORPHANED] += len(self.orphans)
        return counts


def coverage_map(guide: Guide, /) -> CoverageMap:
    """Every class and function of the source files with its note and that note's state."""
    notes = {n.obj.path: n for n in guide.notes}
    files: list[FileCoverage] = []
    for relpath in SOURCE_FILES:
        cells = []
        for obj in guide.index.objects.values():
            if obj.file != relpath or obj.kind not in ("class", "function"):
                continue
            attached = notes.get(obj.path)
            state: CellState = NO_NOTE
            if attached is not None:
                state = NoteState.parse(guide.states.get(attached.note.name, NoteState.FRESH))
            cells.append(
                CoverageCell(
                    path=obj.path,
                    short=obj.short,
                    kind=obj.kind,
                    identifier=guide.index.public_path(obj.path) or obj.path,
                    lineno=obj.lineno,
                    endlineno=obj.endlineno,
                    note=attached.note.name if attached else None,
                    line_notes=len(attached.line_notes) if attached else 0,
                    state=state,
                )
            )
        files.append(FileCoverage(file=relpath, cells=tuple(cells)))
    shown = {cell.note for f in files for cell in f.cells}
    orphans = tuple(
        sorted(
            name
            for name, state in guide.states.items()
            if NoteState.parse(state) == NoteState.ORPHANED and name not in shown
        )
    )
    return CoverageMap(files=tuple(files), orphans=orphans)


def _groups(
    cells: tuple[CoverageCell, ...],
) -> list[tuple[CoverageCell | None, list[CoverageCell]]]:
    """Runs of cells in file order: each top-level class with its members, and module-level functions."""
    groups: list[tuple[CoverageCell | None, list[CoverageCell]]] = []
    for cell in cells:
        top_level = "." not in cell.short
        if top_level and cell.kind == "class":
            groups.append((cell, [cell]))
        elif top_level and (not groups or groups[-1][0] is not None):
            groups.append((None, [cell]))
        else:
            groups[-1][1].append(cell)
    return groups


def render_coverage(
    cmap: CoverageMap, /, *, link: Callable[[CoverageCell, str], str], language: str = "en"
) -> str:
    """HTML of the map in `language`; `link(cell, inner_html)` wraps a cell's content in a link
    to its object."""
    _ = labels.gettext(language)
    legend_counts = cmap.counts()
    legend = "".join(
        f'<li><span class="an-cov-cell an-cov-{state}" aria-hidden="true"></span>'
        f'{escape(_(label))} <span class="an-cov-count">{legend_counts[state]}</span></li>'
        for state, label in LEGEND.items()
    )
    parts = [
        f'<div class="an-coverage" data-an-annotated="{cmap.annotated}" data-an-total="{cmap.total}">',
        _figure(cmap.annotated, cmap.total, _("classes and functions of both files have a note")),
        f'<ul class="an-cov-legend" data-search-exclude>{legend}</ul>',
    ]
    for file in cmap.files:
        name = file.file.rsplit("/", 1)[-1]
        stem = name.removesuffix(".py")
        parts.append(
            f'<section class="an-cov-file" data-an-file="{escape(file.file)}">'
            f'<h2 id="coverage-{escape(stem)}"><code>{escape(name)}</code></h2>'
            f'<p class="an-cov-path"><code>{escape(file.file)}</code></p>'
            + _figure(file.annotated, file.total, _("have a note"))
        )
        for head, members in _groups(file.cells):
            label = escape(head.short) if head else _("module-level functions")
            cells = "".join(_cell(cell, link, _) for cell in members)
            # Kept out of search, where every name would match: Material's parser skips an
            # excluded element up to the first closing tag of the same name, so no div inside.
            parts.append(
                f'<div class="an-cov-group" data-search-exclude><span class="an-cov-label">{label}</span>'
                f'<ol class="an-cov-cells">{cells}</ol></div>'
            )
        parts.append("</section>")
    if cmap.orphans:
        items = "".join(f"<li><code>{escape(name)}</code></li>" for name in cmap.orphans)
        parts.append(
            '<section class="an-cov-orphans"><h2 id="coverage-orphans">'
            f"{_('Notes whose code is gone')}</h2><ul>{items}</ul></section>"
        )
    parts.append("</div>")
    return "".join(parts)


def _figure(annotated: int, total: int, what: str) -> str:
    share = 100 * annotated / total if total else 0.0
    return (
        f'<p class="an-cov-figure"><strong>{annotated} / {total}</strong> {escape(what)} '
        f"({share:.1f}%)"
        f'<meter class="an-cov-meter" min="0" max="{total}" value="{annotated}"></meter></p>'
    )


def _cell(cell: CoverageCell, link: Callable[[CoverageCell, str], str], _: Gettext) -> str:
    lines = f"L{cell.lineno}–{cell.endlineno}"
    about = _(LEGEND[cell.state])
    if cell.line_notes == 1:
        about += _(", 1 line note")
    elif cell.line_notes:
        about += _(", %(count)s line notes", count=cell.line_notes)
    tip = f"{cell.short} · {lines} · {about}"
    inner = (
        f'<span class="an-cov-cell an-cov-{cell.state} an-cov-{cell.kind}" '
        f'data-an-path="{escape(cell.path)}" data-an-state="{cell.state}" title="{escape(tip)}">'
        f'<span class="an-cov-name">{escape(tip)}</span></span>'
    )
    return f"<li>{link(cell, inner)}</li>"
