"""Query parsing: whatever a visitor types, a list of plain terms (never syntax), never an error."""

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from yangguang.core.search.query import MAX_QUERY_CHARS, MAX_TERMS, parse_query


def words(q):
    return [t.word for t in parse_query(q).terms]


def test_spaces_and_punctuation_are_separators():
    assert words("  社会救助，　低保标准！！ ") == ["社会", "救助", "低保", "标准"]
    assert parse_query("  社会救助，　低保标准！！ ").text == "社会救助, 低保标准!!"


def test_full_width_input_is_normalized():
    assert words("ＡＢＣ２０２６ 义务教育") == words("abc2026 义务教育")
    assert parse_query("ＡＢＣ").text == "ABC"  # shown back as typed, only NFKC-folded


def test_quotes_only_group():
    assert words('"社会救助" 「低保」 “标准”') == ["社会", "救助", "低保", "标准"]


@pytest.mark.parametrize("raw", [
    'NEAR(a b) OR x*', '"', "'", '"unterminated', "a AND NOT b", "title:abc", "^abc", "a | b & !c <-> d",
    "(((", ")))", "*", "-", ":", "'; DROP TABLE core_searchentry; --", "\x00\x01", "🙂🙂", "　",
])
def test_syntax_characters_become_plain_terms(raw):
    q = parse_query(raw)
    for term in q.terms:
        for w in (term.word, *term.alternatives):
            assert w.isalnum(), w  # only letters/digits ever reach the engine, as term queries


def test_operator_words_are_terms():
    q = parse_query("a OR b NOT c")
    assert [t.word for t in q.terms] == ["a", "or", "b", "not", "c"]


@pytest.mark.parametrize("raw", [None, "", "   ", "，。！？", "***", '""', "\n\t"])
def test_empty_or_nothing_searchable(raw):
    assert parse_query(raw).empty


def test_very_long_input_is_cut():
    q = parse_query("社会救助" * 5000)
    assert len(q.text) <= MAX_QUERY_CHARS
    assert len(parse_query(" ".join(f"词{i}" for i in range(500))).terms) <= MAX_TERMS


def test_bare_year_boosts_instead_of_being_required():
    q = parse_query("社会救助 2026")
    assert q.years == (2026,) and [t.word for t in q.terms] == ["社会", "救助"]
    assert parse_query("社会救助 2026年").years == (2026,)
    only = parse_query("2026")
    assert only.years == (2026,) and [t.word for t in only.terms] == ["2026"]
    assert parse_query("社会救助 12345").years == ()


def test_long_words_match_through_their_inner_words():
    (term,) = parse_query("中华人民共和国").terms
    assert term.word == "中华人民共和国" and {"中华", "人民", "共和国"} <= set(term.alternatives)
    assert parse_query("教育局").terms[0].alternatives == ()  # 3 characters: always indexed whole


def test_function_words_dropped_unless_alone():
    assert "的" not in words("学校的招生")
    assert words("的") == ["的"]


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=400))
def test_any_text_parses(raw):
    q = parse_query(raw)
    assert len(q.text) <= MAX_QUERY_CHARS
    for term in q.terms:
        assert term.word.isalnum()


# Characters around which NFKC does more than a one-to-one replacement: compatibility forms
# that compose with a following mark (Ａ + ◌́ → Á, ｶ + ﾞ → ガ), Hangul jamo, ligatures, astral
# compatibility letters (𝐀), circled digits, the 。，（） of Chinese text.
TRICKY = "Ａａ１ｶﾞﾟ\u0301\u0308\u0327e\u1100\u1161\u11a8가ﬁ①Ⅱ㎡…\xa0\u3000，。（）：；！？“”《》、—𝐀𝟘🙂中文政务公开aZ9 _-"


@settings(max_examples=400, deadline=None)
@given(st.text(alphabet=st.sampled_from(TRICKY) | st.characters(codec="utf-8"), max_size=40))
def test_normalize_is_exactly_nfkc_lower_case(text):
    """segment.normalize replaces the characters NFKC changes one by one for speed; the result
    must be NFKC + lower case exactly, whatever the text."""
    import unicodedata

    from yangguang.core.search.segment import normalize

    assert normalize(text) == unicodedata.normalize("NFKC", text).lower()
