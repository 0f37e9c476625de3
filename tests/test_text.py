"""Tests of the text rule (p2c_pledges._text): what a text field takes, in every format alike."""

from __future__ import annotations

import sys

import pytest
from hypothesis import given
from hypothesis import strategies as st

from p2c_pledges._text import is_blank, takes, text_issue


_ANY = st.text(st.characters(min_codepoint=0, max_codepoint=sys.maxunicode), max_size=6)
_TRICKY = st.text(
    st.sampled_from(["\x00", "\x1b", "\x0b", "\t", "\n", "\r", " ", "\u200b", "\ufeff", "\ud800", "a", "\u0661"]),
    max_size=5,
)  # fmt: skip


class TestText:
    @given(_ANY | _TRICKY)
    def test_takes_is_the_rule(self, value: str) -> None:
        """The readers' quick test says what the model's rule says, for any text."""
        assert (not is_blank(value) and text_issue(value) is None) == takes(value)

    @pytest.mark.parametrize(
        ("value", "code"),
        [("\ud800", "text.encoding"), ("a\udfff", "text.encoding"), ("\x00", "text.control"),
         ("a\x1bb", "text.control"), ("\x0b", "text.control"), ("\x7f", None), ("a\tb\nc\rd", None)],
    )  # fmt: skip
    def test_refused_characters(self, value: str, code: str | None) -> None:
        """Lone surrogates and C0 controls (not tab, LF, CR) are refused, each with its code."""
        problem = text_issue(value)
        assert code == (problem[0] if problem else None)

    @pytest.mark.parametrize(
        ("value", "blank"),
        [("", True), (" \t\n", True), ("\u200b", True), ("\u2060\ufeff\u00ad", True),
         ("\u200bx", False), ("\u0661", False)],
    )  # fmt: skip
    def test_blank(self, value: str, *, blank: bool) -> None:
        """White space and Unicode format characters (Cf) alone show nothing."""
        assert blank == is_blank(value)
