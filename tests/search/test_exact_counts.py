"""Every count is exact (issue #17: no estimates): the total and each facet of a broad query over
thousands of documents equal the counts taken from the documents themselves, with and without
filters, and with documents whose withdrawal is not applied yet left out.

The documents are written to the index directly (tantivy_index.Writer), as the worker would."""

from collections import Counter
from datetime import date, timedelta

import pytest

from yangguang.core.search import engine, tantivy_index
from yangguang.core.search.models import SearchChange
from yangguang.core.search.query import parse_query
from yangguang.core.search.tantivy_index import FACETS, Prepared

pytestmark = pytest.mark.django_db

N = 3000


def _doc(pk: int) -> Prepared:
    published = date(2019, 1, 1) + timedelta(days=pk)  # 2019 … 2027
    topic = ("11", "17", "01")[pk % 3]
    genre = ("notice", "normative", "other_doc", "plan")[pk % 4]
    body = "政务 公开 工作" + (" 救助" if pk % 7 == 0 else "")
    return Prepared(pk, pk % 5 + 1, topic, genre, "expired" if pk % 11 == 0 else "valid", published,
                    "政务 公开 报告" if pk % 10 == 0 else "其他 通知", "", body)


@pytest.fixture
def index(settings):
    settings.SEARCH_INDEX_SYNC = False
    docs = [_doc(pk) for pk in range(1, N + 1)]
    with tantivy_index.writing() as w:
        w.index(docs, replace=False)
        w.commit()
    return docs


def _expected(docs, word: str, filters: dict, gone=()) -> tuple[int, dict]:
    def value(d, name):
        return {"org": d.org, "year": d.published.year}.get(name, getattr(d, name, None))

    matched = [d for d in docs if word in (d.title + " " + d.body).split() and d.doc_id not in gone]
    counts = {}
    for name in FACETS:
        base = [d for d in matched if all(value(d, f) == v for f, v in filters.items() if f != name)]
        counts[name] = dict(Counter(value(d, name) for d in base))
    total = sum(1 for d in matched if all(value(d, f) == v for f, v in filters.items()))
    return total, counts


@pytest.mark.parametrize("word, filters", [
    ("政务", {}), ("政务", {"topic": "17"}), ("政务", {"org": 2, "year": 2022}),
    ("救助", {"genre": "plan", "validity": "expired"}), ("报告", {"year": 2026}),
])
def test_totals_and_facets_are_counted_exactly(index, word, filters):
    snap = tantivy_index.snapshot()
    q = parse_query(word)
    total, counts = _expected(index, word, filters)
    assert total > 0
    assert snap.page(q, filters, set(), "relevance", 20, 0)[0] == total
    assert snap.page(q, filters, set(), "date", 20, 0)[0] == total
    assert snap.facets(q, filters, set()) == counts


def test_pending_withdrawals_leave_the_counts_exactly(index):
    gone = {pk for pk in range(1, N + 1) if pk % 13 == 0}
    SearchChange.objects.bulk_create([SearchChange(document_id=pk, op="remove") for pk in gone])
    snap = tantivy_index.snapshot()
    exclude = engine.withdrawn_since(snap.commit)
    assert exclude == gone
    q = parse_query("政务")
    total, counts = _expected(index, "政务", {"topic": "11"}, gone)
    assert snap.page(q, {"topic": "11"}, exclude, "relevance", 20, 0)[0] == total
    assert snap.facets(q, {"topic": "11"}, exclude) == counts


def test_date_order_is_newest_first_then_id(index):
    snap = tantivy_index.snapshot()
    total, hits = snap.page(parse_query("报告"), {}, set(), "date", 50, 20)
    ids = [pk for pk, _score in hits]
    expected = sorted((d for d in index if d.doc_id % 10 == 0), key=lambda d: (d.published, d.doc_id), reverse=True)
    assert total == len(expected) and ids == [d.doc_id for d in expected][20:70]


def test_the_search_result_says_nothing_is_estimated(index):
    res = engine.search("政务")
    assert res.total == N and not res.total_estimated and res.estimated == frozenset()
