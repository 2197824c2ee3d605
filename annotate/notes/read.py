"""Read note files: Markdown with YAML front matter naming a target, plus optional line notes.

A note file looks like this::

    ---
    target: torch.nn.Module.to
    lang: en
    ---
    Commentary on the whole function.

    ## `return self._apply(convert)`

    Commentary on the line that contains that text.

A level-2 heading made only of one code span starts a line note; its text is a quoted piece of
the code, never a line number, so the note follows the code when lines move.
"""

from __future__ import annotations

import dataclasses
import difflib
import re
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

import yaml

from annotate.errors import NoteError, Problem, did_you_mean
from annotate.notes.active import find_active_content, find_unclosed_markup

if TYPE_CHECKING:
    from collections.abc import Callable

    from annotate.notes.active import Finding
    from annotate.notes.verdicts import Verdicts

FIELDS = {
    "target": "the object the note explains, by griffe or public path (`torch.nn.Module.to`)",
    "lang": "the language of the note, a code from LANGUAGES (default `en`)",
    "title": "an optional heading for the note",
    "translates": "in a translation, the English note it translates, by file name (`Module.to.md`)",
}
"""Front matter fields a note may have."""

LANGUAGES = ("en", "zh", "ja", "ko", "fr", "de", "es", "pt", "ru")
"""Language codes a note may declare."""

MAX_NOTE_BYTES = 100_000
"""A note is commentary on one function: longer than this is refused (and would slow every build)."""
MAX_NESTING = 20
"""Lists or quotes nested deeper than this are refused: Markdown's parser recurses on them."""

_CONTROL_CHARACTER = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
_NESTED = re.compile(r"^(?:[ \t]*(?:[>*+-]|\d+[.)])[ \t]+)+|^[ \t]*(?:>[ \t]*)+")


class _NoteLoader(yaml.SafeLoader):
    """Safe YAML without anchors and aliases (an alias bomb) and with each key once."""

    def compose_node(self, parent, index):  # type: ignore[no-untyped-def]
        if self.check_event(yaml.AliasEvent) or getattr(self.peek_event(), "anchor", None):
            event = self.peek_event()
            raise yaml.MarkedYAMLError(
                problem="anchors and aliases (`&x`, `*x`) are not allowed",
                problem_mark=event.start_mark,
            )
        return super().compose_node(parent, index)

    def construct_mapping(self, node, deep=False):  # type: ignore[no-untyped-def]
        seen = set()
        for key_node, _ in node.value:
            key = self.construct_object(key_node, deep=deep)
            if key in seen:
                raise yaml.MarkedYAMLError(
                    problem=f"the field `{key}` is given twice", problem_mark=key_node.start_mark
                )
            seen.add(key)
        return super().construct_mapping(node, deep=deep)


_LINE_NOTE = re.compile(r"^##[ \t]+(?P<ticks>`+)[ \t]?(?P<code>.+?)[ \t]?(?P=ticks)[ \t]*#*[ \t]*$")
_COMMENT = re.compile(r"<!--.*?-->", re.S)
_FENCE = re.compile(r"^[ \t]{0,3}(`{3,}|~{3,})")


@dataclass(frozen=True, kw_only=True)
class LineNote:
    """Commentary on the line of the target that contains `anchor`."""

    anchor: str
    """The quoted piece of code."""
    body: str
    """Markdown."""
    line: int
    """Line of the heading in the note file."""
    body_line: int = 0
    """Line of the note file where `body` starts."""


@dataclass(frozen=True, kw_only=True)
class Note:
    """One note file."""

    file: Path
    """Where the note lives."""
    name: str
    """`file` relative to the notes folder, with `/` separators: the note's stable name."""
    target: str
    """The target as written."""
    target_line: int
    """Line of the `target:` field in `file`."""
    lang: str
    """Language code."""
    title: str
    """Optional heading."""
    body: str
    """Markdown on the whole target (may be empty when there are line notes)."""
    line_notes: tuple[LineNote, ...]
    """Commentary on single lines, in file order."""
    body_line: int = 0
    """Line of `file` where `body` starts, so that a problem in it is told at its line."""
    translates: str = ""
    """In a translation, the name of the English note it translates (`module/Module.to.md`)."""
    translates_line: int = 0
    """Line of the `translates:` field."""

    def texts(self) -> list[tuple[int, str]]:
        """The body and every line note's body, each with the line of `file` it starts at."""
        return [(self.body_line, self.body), *((n.body_line, n.body) for n in self.line_notes)]


def read_note(file: Path | str, /, *, notes_dir: Path | str | None = None) -> Note:
    """Parse one note file; raise `NoteError` with the file, the line and the fix."""
    file = Path(file)
    name = file.relative_to(notes_dir).as_posix() if notes_dir else file.name

    def fail(line: int, message: str, fix: str = "") -> NoteError:
        return NoteError([Problem(file=file, line=line, message=message, fix=fix)])

    try:
        raw = file.read_bytes()
    except OSError as error:
        raise fail(1, f"cannot read the note: {error.strerror}") from error
    if len(raw) > MAX_NOTE_BYTES:
        raise fail(
            1,
            f"the note is {len(raw) // 1000} kB, more than {MAX_NOTE_BYTES // 1000} kB",
            "split it into line notes on the lines it explains, or shorten it",
        )
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = raw[: error.start].count(b"\n") + 1
        raise fail(line, "the file is not UTF-8", "save it as UTF-8") from error
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    lines = text.split("\n")
    for number, text_line in enumerate(lines, start=1):
        control = _CONTROL_CHARACTER.search(text_line)
        if control:
            raise fail(
                number,
                f"control character U+{ord(control[0]):04X} in the text",
                "delete it (an editor's 'show invisibles' finds it)",
            )
        nested = _NESTED.match(text_line)
        if nested and len(re.findall(r"[>*+-]|\d+[.)]", nested[0])) > MAX_NESTING:
            raise fail(
                number, f"lists or quotes nested more than {MAX_NESTING} deep", "flatten them"
            )
    if not lines or lines[0].strip() != "---":
        raise fail(1, "a note starts with front matter", "put `---`, `target: <path>`, `---` first")
    try:
        end = next(i for i in range(1, len(lines)) if lines[i].strip() in ("---", "..."))
    except StopIteration:
        raise fail(1, "the front matter is never closed", "end it with a line `---`") from None
    front = "\n".join(lines[1:end])
    try:
        meta = yaml.load(front, Loader=_NoteLoader) if front.strip() else {}
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        line = 2 + mark.line if mark is not None else 1
        problem = getattr(error, "problem", None) or "invalid YAML"
        raise fail(
            line, f"malformed front matter: {problem}", "write `field: value` lines"
        ) from None
    if not isinstance(meta, dict):
        raise fail(2, "the front matter must be `field: value` lines", "write `target: <path>`")

    def field_line(key: str) -> int:
        for i in range(1, end):
            if re.match(rf"^\s*['\"]?{re.escape(str(key))}['\"]?\s*:", lines[i]):
                return i + 1
        return 2

    for key in meta:
        if key not in FIELDS:
            close = difflib.get_close_matches(str(key), list(FIELDS), n=1)
            fix = did_you_mean(close, otherwise=f"known fields: {', '.join(FIELDS)}")
            raise fail(field_line(key), f"unknown field `{key}`", fix)
    target = meta.get("target")
    if not isinstance(target, str) or not target.strip():
        raise fail(
            field_line("target"),
            "the note has no target" if target is None else "the target must be a non-empty path",
            "write `target: torch.nn.Module.<name>`",
        )
    lang = meta.get("lang", "en")
    if lang not in LANGUAGES:
        close = difflib.get_close_matches(str(lang), LANGUAGES, n=1)
        fix = did_you_mean(close, otherwise=f"use one of {', '.join(LANGUAGES)}")
        raise fail(field_line("lang"), f"unknown language `{lang}`", fix)
    title = meta.get("title", "")
    if not isinstance(title, str):
        raise fail(field_line("title"), "the title must be text", "quote it")
    stem = translated_stem(file.name)
    english = f"{stem}.md"
    suffix = file.name[len(stem) + 1 : -len(".md")]
    if suffix != ("" if lang == "en" else lang):
        raise fail(
            field_line("lang"),
            f"a note in `{lang}` is named `{stem}.{lang}.md`"
            if lang != "en"
            else f"`{file.name}` is named as a `{suffix}` translation but has no `lang: {suffix}`",
            f"rename the file `{stem}.{lang}.md`"
            if lang != "en"
            else f"add `lang: {suffix}` and `translates: {english}`",
        )
    translates = meta.get("translates")
    if lang == "en" and translates is not None:
        raise fail(
            field_line("translates"),
            "an English note translates nothing",
            "remove `translates:`, or give the note its language with `lang:`",
        )
    if lang != "en" and translates != english:
        raise fail(
            field_line("translates" if translates is not None else "lang"),
            f"a translation names the English note it translates, `{english}`"
            if translates is None
            else f"`{file.name}` translates `{english}`, not `{translates}`",
            f"write `translates: {english}`",
        )

    body, body_line, line_notes = _split_body(lines, end + 1)
    # The whole text; then, with line notes, each piece as the site renders it: apart, between
    # markup of its own, which would close whatever a piece leaves open.
    pieces: list[tuple[Callable[[str], list[Finding]], str, int]] = [
        (find_active_content, "\n".join(lines[end + 1 :]), end + 2)
    ]
    if line_notes:
        pieces.append((find_unclosed_markup, body, body_line))
        pieces += [(find_unclosed_markup, ln.body, ln.body_line) for ln in line_notes]
    for judge, text, first in pieces:
        active = judge(text)
        if active:
            raise NoteError(
                [
                    Problem(
                        file=file,
                        line=first - 1 + finding.line,
                        message=f"active content is not allowed in a note: {finding.reason}",
                        fix="remove it; plain Markdown, http(s) links and code blocks are fine",
                    )
                    for finding in active
                ]
            )
    if not _COMMENT.sub("", body).strip() and not line_notes:
        raise fail(end + 2, "the note is empty", "write the commentary below the front matter")
    for line_note in line_notes:
        if not line_note.body.strip():
            raise fail(
                line_note.line,
                f"the line note on `{line_note.anchor}` is empty",
                "write text under it",
            )
    return Note(
        file=file,
        name=name,
        target=target.strip(),
        target_line=field_line("target"),
        lang=lang,
        title=title,
        body=body,
        body_line=body_line,
        line_notes=tuple(line_notes),
        translates=(
            (Path(name).parent / english).as_posix().removeprefix("./") if lang != "en" else ""
        ),
        translates_line=field_line("translates") if lang != "en" else 0,
    )


def translated_stem(file_name: str) -> str:
    """`Module.to` of `Module.to.md` and of `Module.to.zh.md` (a path works the same)."""
    base = file_name.removesuffix(".md")
    head, _, last = base.rpartition(".")
    return head if head and last in LANGUAGES else base


def _trimmed(lines: list[str], first: int) -> tuple[str, int]:
    """`lines` (the first at line `first`) joined, blank lines around them taken off."""
    text = "\n".join(lines)
    kept = text.strip("\n")
    return kept, first + (len(text) - len(text.lstrip("\n")) if kept else 0)


def _split_body(lines: list[str], start: int) -> tuple[str, int, list[LineNote]]:
    body: list[str] = []
    notes: list[tuple[str, int, list[str]]] = []
    fence: str | None = None
    for number, line in enumerate(lines[start:], start=start + 1):
        opener = _FENCE.match(line)
        if fence is None and opener:
            fence = opener[1]
        elif fence is not None and line.strip().startswith(fence):
            fence = None
        heading = _LINE_NOTE.match(line) if fence is None else None
        if heading:
            notes.append((heading["code"], number, []))
        elif notes:
            notes[-1][2].append(line)
        else:
            body.append(line)
    found = []
    for code, number, text in notes:
        line_body, body_line = _trimmed(text, number + 1)
        found.append(LineNote(anchor=code, body=line_body, line=number, body_line=body_line))
    return (*_trimmed(body, start + 1), found)


def collect_notes(
    notes_dir: Path | str, /, *, verdicts: Verdicts | None = None
) -> tuple[list[Note], list[Problem]]:
    """Every `*.md` under `notes_dir` that reads as a note, and the problems of those that do not.

    Every other file is a problem too (but the lock file): a note saved as `X.markdown` or
    `X.MD` would otherwise never be shown, and a link to a file outside the folder would
    publish what nobody reviewed. `verdicts` keeps what each note's bytes were judged to be
    between builds.
    """
    notes_dir = Path(notes_dir)
    notes: list[Note] = []
    problems: list[Problem] = []
    seen: dict[tuple[Path, Path, bytes], Any] = {}
    inside = notes_dir.resolve()
    for file in sorted(p for p in notes_dir.rglob("*") if p.is_file() or p.is_symlink()):
        if file.is_symlink() and not file.resolve().is_relative_to(inside):
            problems.append(
                Problem(
                    file=file,
                    line=1,
                    message=f"a link to {file.resolve()}, outside {notes_dir}",
                    fix="put the note itself in the folder",
                )
            )
            continue
        if file.suffix != ".md":
            if file.name not in IGNORED_FILES:
                problems.append(_misnamed(file))
            continue
        note, unread = _read_again(file, notes_dir, seen, verdicts)
        if note is not None:
            notes.append(note)
        problems.extend(unread)
    _LAST_READ.clear()
    _LAST_READ.update(seen)
    return notes, problems


_LAST_READ: dict[tuple[Path, Path, bytes], tuple[Note | None, tuple[Problem, ...]]] = {}
"""What the last `collect_notes` read, by file and content: `mkdocs serve` reads every note again
after each edit, and judging a note (its Markdown, its HTML as a browser reads it) is the cost."""


def _read_again(
    file: Path,
    notes_dir: Path,
    seen: dict[tuple[Path, Path, bytes], Any],
    verdicts: Verdicts | None,
) -> tuple[Note | None, tuple[Problem, ...]]:
    """`read_note`, or what it returned for the same bytes of `file` in the last collection
    (or, signed, in an earlier build)."""
    try:
        key = (file, notes_dir, file.read_bytes())
    except OSError:
        key = None  # read_note says why
    if key is not None and key in _LAST_READ:
        seen[key] = _LAST_READ[key]
        return seen[key]
    content = b""
    if key is not None and verdicts is not None:
        content = file.relative_to(notes_dir).as_posix().encode() + b"\0" + key[2]
        kept = _from_verdict(verdicts.get(content), file)
        if kept is not None:
            seen[key] = kept
            return kept
    try:
        result: tuple[Note | None, tuple[Problem, ...]] = (
            read_note(file, notes_dir=notes_dir),
            (),
        )
    except NoteError as error:
        result = (None, tuple(error.problems))
    if key is not None:
        seen[key] = result
        if verdicts is not None and all(p.file == file for p in result[1]):
            verdicts.put(content, _to_verdict(result))
    return result


def _to_verdict(result: tuple[Note | None, tuple[Problem, ...]]) -> dict[str, Any]:
    note, problems = result
    fields = None
    if note is not None:
        fields = {
            f.name: getattr(note, f.name) for f in dataclasses.fields(note) if f.name != "file"
        }
        fields["line_notes"] = [dataclasses.asdict(n) for n in note.line_notes]
    return {
        "note": fields,
        "problems": [{"line": p.line, "message": p.message, "fix": p.fix} for p in problems],
    }


def _from_verdict(data: Any, file: Path) -> tuple[Note | None, tuple[Problem, ...]] | None:
    """The verdict `_to_verdict` kept, for `file`; `None` for one of another shape."""
    if not isinstance(data, dict):
        return None
    try:
        fields = data["note"]
        note = None
        if fields is not None:
            line_notes = tuple(LineNote(**n) for n in fields["line_notes"])
            note = Note(file=file, **{**fields, "line_notes": line_notes})
        problems = tuple(Problem(file=file, **p) for p in data["problems"])
    except (KeyError, TypeError):
        return None
    return note, problems


IGNORED_FILES = frozenset({"notes.lock.json", ".gitkeep", ".DS_Store"})
"""Files of the notes folder that are not notes."""


def _misnamed(file: Path) -> Problem:
    name, lower = file.name, file.name.lower()
    for suffix in (".md", ".markdown", ".mdown", ".mkd"):
        if suffix + "." in lower or lower.endswith(suffix):
            name = name[: lower.rindex(suffix)]
            break
    return Problem(
        file=file,
        line=1,
        message="not read as a note: only `.md` files are notes",
        fix=f"rename it `{name}.md`, or move it out of the notes folder",
    )


def read_notes(notes_dir: Path | str, /) -> list[Note]:
    """`collect_notes`, raising one `NoteError` listing every bad file."""
    notes, problems = collect_notes(notes_dir)
    if problems:
        raise NoteError(problems)
    return notes
