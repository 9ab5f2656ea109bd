"""The publication-date span filter (issue #20's 发布日期 from–to): inclusive, counted exactly,
facets counted inside it, bad dates ignored, a span given backwards turned round."""

from datetime import date

from yangguang.core.search import search


def test_a_date_span_filters_hits_counts_and_facets(publish):
    days = [date(2024, 12, 31), date(2025, 1, 1), date(2025, 6, 30), date(2025, 7, 1)]
    docs = [publish("jyj", f"关于学校安全检查的通知（{d}）", published_date=d) for d in days]
    assert search("安全检查").total == 4
    res = search("安全检查", date_from="2025-01-01", date_to=date(2025, 6, 30), per_page=50)
    assert {h.document.pk for h in res.hits} == {docs[1].pk, docs[2].pk} and res.total == 2
    assert dict((k, n) for k, _label, n in res.facets["year"]) == {"2025": 2}
    assert res.filters == {"date_from": "2025-01-01", "date_to": "2025-06-30"}
    assert search("安全检查", date_from="2025-01-02").total == 2  # open end
    assert search("安全检查", date_to="2024-12-31").total == 1  # open start, the last day included
    assert search("安全检查", date_from="2025-07-01", date_to="2025-01-01").total == 3  # turned round
    res = search("安全检查", date_from="2025-13-45", date_to="明天")
    assert res.total == 4 and res.filters == {}  # not dates: ignored
