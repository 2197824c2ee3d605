"""Whatever a note file holds, reading it gives a Note or the project's own NoteError."""

from __future__ import annotations

import tempfile
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from annotate.errors import NoteError
from annotate.notes.read import Note, read_note

_keys = st.sampled_from(["target", "lang", "title", "tagret", "", "- x", "a: b", "?", "&a", "*a"])
_values = st.one_of(
    st.text(max_size=30),
    st.integers(),
    st.none(),
    st.lists(st.text(max_size=5), max_size=3),
    st.sampled_from(["torch.nn.Module.to", "en", "zh", "[", "{", "!!python/object:os.system", "|"]),
)
_front = st.lists(st.tuples(_keys, _values).map(lambda kv: f"{kv[0]}: {kv[1]}"), max_size=5).map(
    "\n".join
)
_body = st.lists(
    st.one_of(
        st.text(max_size=40),
        st.sampled_from(
            ["## `x`", "## ``a ` b``", "```", "~~~", "---", "<script>", "\r\n", "\x00"]
        ),
    ),
    max_size=8,
).map("\n".join)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(front=_front, body=_body, raw=st.binary(max_size=64), shape=st.integers(0, 3))
def test_the_note_reader_raises_nothing_but_its_own_error(front, body, raw, shape):
    texts = [
        f"---\n{front}\n---\n{body}".encode(),
        f"---\n{front}\n{body}".encode(),
        raw,
        b"---\n" + raw + b"\n---\nbody\n",
    ]
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "note.md"
        path.write_bytes(texts[shape])
        try:
            note = read_note(path)
        except NoteError as error:
            assert error.problems and all(p.file == path and p.line >= 1 for p in error.problems)
        else:
            assert isinstance(note, Note) and note.target.strip()
