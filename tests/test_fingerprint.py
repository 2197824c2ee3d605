"""Fingerprints: the code one ignores comments, docstrings and layout, the exact one nothing."""

from __future__ import annotations

import pytest

from annotate.drift.fingerprint import (
    code_fingerprint,
    exact_fingerprint,
    line_fingerprint,
    normalised_tokens,
)

METHOD = '''    @property
    def size(self, dim=None):
        """How big.

        Long text.
        """
        # the sizes
        total = sum(self.sizes)  # all of them
        return total if dim is None else self.sizes[dim]'''.splitlines()

COSMETIC = '''    @property
    def size(self, dim = None):
        """How large."""
        total = sum(
            self.sizes
        )
        return (total if dim is None
                else self.sizes[dim])'''.splitlines()


def test_comments_docstrings_and_layout_leave_the_code_fingerprint_alone():
    assert code_fingerprint(COSMETIC) == code_fingerprint(METHOD)
    assert exact_fingerprint(COSMETIC) != exact_fingerprint(METHOD)


@pytest.mark.parametrize(
    ("old", "new"),
    [
        ("sum(self.sizes)", "max(self.sizes)"),
        ("dim=None", "dim=0"),
        ("    @property\n", ""),
        ("self.sizes[dim]", "self.sizes[dim - 1]"),
    ],
)
def test_any_change_to_the_code_changes_the_code_fingerprint(old, new):
    edited = "\n".join(METHOD).replace(old, new, 1).splitlines()
    assert edited != METHOD
    assert code_fingerprint(edited) != code_fingerprint(METHOD)


def test_a_string_statement_inside_a_body_is_code_not_a_docstring():
    body = ["def f():", "    x = 1", '    "not a docstring"']
    assert code_fingerprint(body) != code_fingerprint(body[:2])


def test_line_fingerprints_ignore_comments_spacing_and_quote_style():
    assert line_fingerprint(["    x = f('a')  # why"]) == line_fingerprint(['x  =  f("a")'])
    assert line_fingerprint(["x = f('a')"]) != line_fingerprint(["x = f('b')"])


def test_fragments_that_are_not_whole_statements_still_fingerprint():
    assert normalised_tokens(["        device = torch._C._nn._parse_to("]) == (
        "device = torch . _C . _nn . _parse_to ("
    )
    assert normalised_tokens(["if x:  # header of a block"]) == "if x :"
    assert code_fingerprint(["    if x:"]) == line_fingerprint(["if x :"])
