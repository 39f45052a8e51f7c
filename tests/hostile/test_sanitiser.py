"""The one sanitiser: whatever text goes in, nothing a terminal would act on comes out,
and text that holds nothing unsafe is shown exactly as it is."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from shiptui.cli import output
from shiptui.text import clean, clean_lines
from shiptui.tui import text as console_text
from tests.hostile.corpus import PAYLOADS, SHOWN, hostile_text, is_unsafe, unsafe_in

SETTINGS = settings(max_examples=25, deadline=None)
any_text = st.one_of(hostile_text, st.text())  # st.text() also draws NUL and lone surrogates


@SETTINGS
@given(any_text)
def test_nothing_unsafe_comes_out_and_every_character_is_accounted_for(value):
    shown = clean(value)
    assert not unsafe_in(shown) and "\n" not in shown
    assert len(shown) >= len(value)


# the bidirectional marks are escaped too, though Unicode does not count them as controls
_SAFE = st.characters(codec="utf-8").filter(lambda character: not is_unsafe(character) and character not in "\u061c\u200e\u200f")


@SETTINGS
@given(st.text(_SAFE))
def test_text_without_unsafe_characters_is_shown_as_it_is(value):
    assert clean(value) == value


@SETTINGS
@given(st.lists(hostile_text, min_size=1, max_size=4))
def test_a_message_of_several_lines_keeps_its_lines_and_nothing_else(lines):
    message = clean_lines("\n".join(lines))
    assert not unsafe_in(message)
    assert message.split("\n") == [clean(line) for line in "\n".join(lines).split("\n")]


def test_each_payload_is_shown_as_its_escapes():
    assert {payload: clean(payload) for payload in PAYLOADS} == SHOWN
    assert clean("\udcff\u2028\u200f\x00") == "\\udcff\\u2028\\u200f\\x00"
    assert clean(None) == ""


def test_the_console_and_the_cli_share_the_one_sanitiser():
    assert output.safe is clean and console_text.clean is clean
