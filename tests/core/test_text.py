"""core.text: the one hygiene function for user text (issue #15, item 3 and the bidi part of 10)."""

import unicodedata
import xml.etree.ElementTree as ET

from hypothesis import given
from hypothesis import strategies as st

from yangguang.core.text import BIDI_CONTROLS, clean_multiline, clean_text, xml_safe


def test_nul_and_c1_are_removed_and_words_line_break_becomes_a_space_in_a_title():
    assert clean_text("关于\x0b做好\x00工作的\x85通知") == "关于 做好工作的通知"


def test_line_breaks_and_tabs_in_a_one_line_field_become_spaces():
    assert clean_text(" 第一行\r\n第二行\t末尾 ") == "第一行 第二行 末尾"


def test_multiline_keeps_lines_and_tabs_and_normalises_crlf():
    assert clean_multiline("甲\r\n乙\r丙\t丁\x0c") == "甲\n乙\n丙\t丁"


def test_bidi_overrides_are_removed_so_a_name_reads_as_typed():
    assert clean_text("张\u202e三\u202c") == "张三"
    assert clean_text("\u2067李四\u2069") == "李四"


def test_nfc():
    assert clean_text("e\u0301") == "\u00e9"


@given(st.text())
def test_cleaned_text_is_valid_xml_and_idempotent(value):
    for fn in (clean_text, clean_multiline):
        out = fn(value)
        assert fn(out) == out
        assert not any(c in BIDI_CONTROLS for c in out)
        assert unicodedata.is_normalized("NFC", out)
        ET.fromstring(f"<t>{xml_safe(out).replace('&', '&amp;').replace('<', '&lt;')}</t>")


@given(st.text())
def test_xml_safe_output_always_parses(value):
    escaped = xml_safe(value).replace("&", "&amp;").replace("<", "&lt;")
    ET.fromstring(f"<t>{escaped}</t>")
