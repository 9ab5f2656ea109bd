"""The public search page."""

from datetime import date

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


@pytest.fixture
def docs(publish):
    return [
        publish("mzj", "关于做好2026年社会救助工作的通知", "社会救助资金按时发放。", topic="17",
                published_date=date(2026, 3, 1)),
        publish("jyj", "关于<em>社会救助</em>与学生资助衔接的通知", "教育资助与社会救助衔接。",
                published_date=date(2025, 5, 1)),
    ]


def test_url_name():
    assert reverse("search:search") == "/search/"


def test_empty_page_has_labelled_box(client):
    resp = client.get("/search/")
    html = resp.content.decode()
    assert resp.status_code == 200
    assert '<label for="search-q">' in html and 'id="search-q"' in html and 'role="search"' in html
    assert "search.css" in html
    assert "请输入检索词" not in html
    assert "请输入检索词" in client.get("/search/?q=").content.decode()


def test_results_with_highlight_facets_and_meta(client, docs):
    resp = client.get("/search/", {"q": "社会救助"})
    html = resp.content.decode()
    assert resp.status_code == 200
    assert "共找到 2 条" in html
    assert "<mark>社会</mark><mark>救助</mark>" in html or "<mark>社会救助</mark>" in html
    assert "&lt;em&gt;" in html and "<em>" not in html
    assert docs[0].index_number in html and "测试市民政局" in html and "2026-03-01" in html
    assert 'href="/mzj/' in html  # the canonical document URL
    assert "?q=%E7%A4%BE%E4%BC%9A%E6%95%91%E5%8A%A9&amp;org=mzj" in html  # facet link
    assert 'aria-current="true">按相关度' in html


def test_active_filter_is_marked_and_clearable(client, docs):
    html = client.get("/search/", {"q": "社会救助", "org": "mzj", "sort": "date"}).content.decode()
    assert "共找到 1 条" in html
    assert 'href="?q=%E7%A4%BE%E4%BC%9A%E6%95%91%E5%8A%A9&amp;sort=date" aria-current="true"' in html
    assert "不限发布机构" in html and "清除全部" in html
    assert 'aria-current="true">按日期' in html
    # the filter survives a new query through hidden fields
    assert '<input type="hidden" name="org" value="mzj">' in html


def test_no_results_message(client, docs):
    html = client.get("/search/", {"q": "鑫鑫鑫不存在"}).content.decode()
    assert "没有找到与“鑫鑫鑫不存在”相符的公开信息" in html


@pytest.mark.parametrize("params", [
    {"q": 'NEAR(" OR *'}, {"q": "x" * 5000}, {"q": "社会救助", "page": "-1"}, {"q": "社会救助", "page": "abc"},
    {"q": "社会救助", "year": "２０２６"}, {"q": "社会救助", "org": "../../etc"}, {"q": "\x00"},
])
def test_hostile_input_never_errors(client, docs, params):
    assert client.get("/search/", params).status_code == 200


def test_paging_links(client, publish):
    for i in range(23):
        publish("mzj", f"社会救助工作简报第{i + 1}期", "社会救助。")
    html = client.get("/search/", {"q": "社会救助", "sort": "date"}).content.decode()
    assert "共找到 23 条" in html and 'rel="next"' in html and "page=2" in html
    html2 = client.get("/search/", {"q": "社会救助", "sort": "date", "page": 2}).content.decode()
    assert 'rel="prev"' in html2 and '<span aria-current="page">2</span>' in html2
