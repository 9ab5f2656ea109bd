"""Filters, facets on the matched set, sort, paging, highlighting."""

from datetime import date

import pytest

from yangguang.core.search import search
from yangguang.core.search.highlight import highlight, snippet

pytestmark = pytest.mark.django_db


@pytest.fixture
def corpus(publish):
    d = {}
    d["a"] = publish("mzj", "关于做好2026年社会救助工作的通知", "社会救助资金按时发放。", topic="17", genre="notice",
                     published_date=date(2026, 3, 1))
    d["b"] = publish("mzj", "2025年社会救助工作总结", "全年社会救助对象一万人。", topic="17", genre="other_doc",
                     published_date=date(2025, 12, 1))
    d["c"] = publish("jyj", "关于家庭经济困难学生社会救助衔接的通知", "教育资助与社会救助衔接。", topic="11",
                     genre="notice", published_date=date(2026, 5, 1))
    d["d"] = publish("mzj", "关于调整2024年社会救助标准的通知", "标准已调整。", topic="17", genre="normative",
                     published_date=date(2024, 1, 2), validity="expired", validity_date=date(2025, 1, 1))
    d["e"] = publish("jyj", "关于做好义务教育招生工作的通知", "免试就近入学。", topic="11", genre="notice",
                     published_date=date(2026, 6, 1))
    return d


def test_facets_count_the_matched_set(corpus):
    res = search("社会救助")
    assert res.total == 4
    assert res.facets["org"] == [("mzj", "测试市民政局", 3), ("jyj", "测试市教育局", 1)]
    assert res.facets["topic"] == [("17", "民政、扶贫、救灾", 3), ("11", "科技、教育", 1)]
    assert dict((v, n) for v, _l, n in res.facets["genre"]) == {"notice": 2, "other_doc": 1, "normative": 1}
    assert res.facets["year"] == [("2026", "2026", 2), ("2025", "2025", 1), ("2024", "2024", 1)]
    assert res.facets["validity"] == [("valid", "有效", 3), ("expired", "失效", 1)]


def test_filters_and_facets_of_other_dimensions(corpus):
    res = search("社会救助", org="mzj")
    assert res.total == 3 and {h.document.pk for h in res.hits} == {corpus[k].pk for k in "abd"}
    # the active facet still lists the alternatives; the others count within the filter
    assert res.facets["org"] == [("mzj", "测试市民政局", 3), ("jyj", "测试市教育局", 1)]
    assert res.facets["year"] == [("2026", "2026", 1), ("2025", "2025", 1), ("2024", "2024", 1)]
    res = search("社会救助", org="mzj", year=2026)
    assert [h.document.pk for h in res.hits] == [corpus["a"].pk]
    assert res.facets["org"] == [("jyj", "测试市教育局", 1), ("mzj", "测试市民政局", 1)]  # ties by name
    assert search("社会救助", validity="expired").total == 1
    assert search("社会救助", genre="notice", topic="11").total == 1
    assert search("社会救助", year="2023").total == 0


def test_unknown_filter_values_are_ignored(corpus):
    res = search("社会救助", org="no-such-org", topic="99", genre="<x>", year="abc", validity="maybe")
    assert res.total == 4 and res.filters == {}


def test_sort_by_date_and_by_relevance(corpus):
    by_date = [h.document.pk for h in search("社会救助", sort="date").hits]
    assert by_date == [corpus[k].pk for k in ("c", "a", "b", "d")]
    by_rel = search("社会救助 2026").hits
    assert {h.document.pk for h in by_rel[:2]} == {corpus["a"].pk, corpus["c"].pk}  # the year first
    assert by_rel[0].score >= by_rel[1].score and by_rel[2].score >= by_rel[3].score
    assert search("社会救助", sort="nonsense").sort == "relevance"


def test_paging(corpus):
    pages = [search("社会救助", sort="date", page=p, per_page=3) for p in (1, 2)]
    assert [r.pages for r in pages] == [2, 2] and [len(r.hits) for r in pages] == [3, 1]
    assert not {h.document.pk for h in pages[0].hits} & {h.document.pk for h in pages[1].hits}
    assert search("社会救助", page=99, per_page=3).page == 2  # clamped to the last page
    assert search("社会救助", page="x").page == 1


def test_relevance_puts_title_hits_first_and_pages_each_match_once(corpus, publish):
    """BM25 with the title weighted ×10 over the body: every title hit ranks above body-only hits,
    a body repeating the word ranks above one that has it once, and paging shows every match
    exactly once in the same order as one long page."""
    # Body-only matches, newer than every title match, and one that repeats the word (higher score).
    late = publish("fgw", "关于开展春季植树活动的通知", "社会救助。", published_date=date(2026, 9, 1))
    strong = publish("fgw", "关于城市道路养护的通知", "社会救助" * 6 + "。", published_date=date(2026, 8, 1))
    titles = {corpus[k].pk for k in ("a", "b", "c", "d")}
    full = search("社会救助", per_page=10).hits
    order = [h.document.pk for h in full]
    assert set(order[:4]) == titles and order[4:] == [strong.pk, late.pk]
    scores = [h.score for h in full]
    assert scores == sorted(scores, reverse=True) and scores[-1] > 0
    pages = [search("社会救助", per_page=2, page=p) for p in (1, 2, 3)]
    assert [h.document.pk for r in pages for h in r.hits] == order


def test_empty_and_nonsense_queries_give_no_results(corpus):
    for q in ("", "   ", "！？", 'NEAR(" OR *', "'; drop table x; --", "x" * 10000, "不存在的词语组合鑫"):
        res = search(q)
        assert res.total == 0 and res.hits == []


def test_highlight_marks_and_escapes(publish):
    doc = publish("jyj", "<script>alert(1)</script>关于义务教育招生的通知 & 说明", "招生<b>简章</b>见附件。")
    (hit,) = search("义务教育 招生").hits
    assert hit.document.pk == doc.pk
    assert "<script>" not in hit.title_html and "&lt;script&gt;" in hit.title_html
    assert "<mark>义务教育</mark>" in hit.title_html and "<mark>招生</mark>" in hit.title_html
    assert "&amp; 说明" in hit.title_html
    assert "<b>" not in hit.snippet_html
    # a query for "script" finds it, and the mark is inside the escaped text
    (hit,) = search("script").hits
    assert "&lt;<mark>script</mark>&gt;" in hit.title_html


def test_highlight_full_width_and_snippet_window():
    assert str(highlight("ＡＢＣ公司", ["abc"])) == "<mark>ＡＢＣ</mark>公司"
    text = "开头" + "无关内容。" * 60 + "这里讲社会救助标准。" + "其他内容。" * 60
    s = str(snippet(text, ["社会", "救助", "标准"]))
    assert s.startswith("…") and s.endswith("…") and "<mark>救助</mark>" in s and len(s) < 250
    assert str(snippet("短文", ["无"])) == "短文"


def test_a_facet_lists_its_values_with_most_results_and_the_chosen_one(monkeypatch):
    from yangguang.core.search import engine

    monkeypatch.setattr(engine, "FACET_LIMIT", 2)
    counts = {1: 5, 2: 9, 3: 1, 4: 7}
    assert engine._top(counts, None) == {2: 9, 4: 7}
    assert engine._top(counts, 3) == {2: 9, 4: 7, 3: 1}  # the chosen value stays, to be unselected
    assert engine._top({1: 5, 2: 9}, None) == {1: 5, 2: 9}
