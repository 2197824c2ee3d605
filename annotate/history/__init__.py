"""Each class and function of `module.py` and `container.py` across every recorded torch release.

`scripts/collect_history.py` reads release trees (`read_release`) into the committed record
(`releases.json`); `history` gives one object's changes, `release_diff` what changed between
two releases.
"""

from annotate.history.changes import (
    Change,
    ChangeKind,
    ObjectHistory,
    ReleaseChange,
    classify,
    history,
    release_diff,
)
from annotate.history.collect import read_release
from annotate.history.record import Entry, Record, RecordError, Release, read_record, write_record

__all__ = [
    "Change",
    "ChangeKind",
    "Entry",
    "ObjectHistory",
    "Record",
    "RecordError",
    "Release",
    "ReleaseChange",
    "classify",
    "history",
    "read_record",
    "read_release",
    "release_diff",
    "write_record",
]
