"""Public pages: home, org directory, catalog, column list, document page, 404, display prefs."""

import re

import pytest
from django.test import Client
from django.urls import reverse
from portal_helpers import publish

from yangguang.portal import views
from yangguang.portal.pages import doc_path
from yangguang.publishing.urlsutil import public_url

pytestmark = pytest.mark.django_db

HIDDEN = ("已撤回的错误通知", "被下架的通知", "尚在起草的草稿通知")


def get(url, client=None, **extra):
    resp = (client or Client()).get(url, **extra)
    return resp, resp.content.decode()


def test_home_lists_latest_per_region_and_entry_points(site):
    resp, html = get("/")
    assert resp.status_code == 200
    assert "市本级" in html and "测试县人民政府" in html
    # The county's document sits in the county's region box, the city's in the city box.
    city_box = html.split('id="region-1"')[1].split("</section>")[0]
    county_box = html.split('id="region-2"')[1].split("</section>")[0]
    assert "关于公开发布的通知" in city_box and "县教育局义务教育招生公告" not in city_box
    assert "县教育局义务教育招生公告" in county_box
    for title in HIDDEN:
        assert title not in html
    assert f'href="{reverse("portal:orgs")}"' in html and f'href="{reverse("apply:apply")}"' in html
    assert "重点领域信息公开" in html and "社会救助" in html
    assert 'rel="canonical"' in html and f'href="{reverse("discovery:site_atom")}"' in html
    assert "public" in resp["Cache-Control"] and "max-age=60" in resp["Cache-Control"]


def test_org_directory_groups_and_filters_without_js(site):
    resp, html = get(reverse("portal:orgs"))
    assert resp.status_code == 200
    for name in ("测试市", "测试市教育局", "测试县人民政府", "测试县教育局"):
        assert f">{name}</a>" in html
    assert "人民政府" in html and "政府部门" in html
    assert f'href="{reverse("portal:guide", args=["jyj"])}"' in html
    _, filtered = get(reverse("portal:orgs") + "?q=县教育")
    assert ">测试县教育局</a>" in filtered and ">测试市教育局</a>" not in filtered
    assert "找到1个机构" in filtered
    _, none = get(reverse("portal:orgs") + "?q=不存在的机构")
    assert "没有找到名称相符的机构" in none and 'data-filter-empty hidden' not in none


def test_org_catalog_counts_only_public_documents(site):
    resp, html = get(reverse("portal:org", args=["jyj"]))
    assert resp.status_code == 200
    # 通知公告 holds one public, one withdrawn and one removed document (and a draft): count 1.
    item = re.search(r'href="/jyj/tzgg/">通知公告</a> <span class="count">（(\d+)', html)
    assert item and item.group(1) == "1"
    assert "共3条公开信息" in html
    assert 'type="application/rss+xml"' in html and reverse("discovery:org_atom", args=["jyj"]) in html
    assert 'property="og:title"' in html and reverse("portal:guide", args=["jyj"]) in html


def test_column_list_newest_first_paged_without_n_plus_one(site, monkeypatch, django_assert_max_num_queries):
    more = [site.public]
    for i in range(3):
        more.append(publish(site.staff, f"第{i}份补充通知"))
    monkeypatch.setattr(views, "COLUMN_PAGE_SIZE", 2)
    url = reverse("portal:column", args=["jyj", "tzgg"])
    with django_assert_max_num_queries(6):
        resp, html = get(url)
    assert resp.status_code == 200
    assert html.index("第2份补充通知") < html.index("第1份补充通知")
    assert "关于公开发布的通知" not in html  # oldest, on page 2
    assert "第1页，共2页" in html
    _, page2 = get(url + "?page=2")
    assert "关于公开发布的通知" in page2 and "第0份补充通知" in page2
    for title in HIDDEN:
        assert title not in html + page2


def test_document_page_metadata_attachments_and_links(site):
    url = public_url(site.public)
    resp, html = get(url)
    assert resp.status_code == 200
    for text in (site.public.index_number, "主题分类", "发布机构", "成文日期", "发文字号", "发布日期", "有效性", "公开的正文内容"):
        assert text in html
    assert "附件一.docx" in html and re.search(r"（Word，[\d.]+ KB）", html)
    assert f'<link rel="canonical" href="http://testserver{url}">' in html
    assert 'property="og:type" content="article"' in html
    assert "?print=1" in html and "复制本页链接" in html and f'{reverse("apply:apply")}?org=jyj' in html
    assert resp["ETag"] and "public" in resp["Cache-Control"]
    again = Client().get(url, HTTP_IF_NONE_MATCH=resp["ETag"])
    assert again.status_code == 304
    # A different display preference is a different page, so the ETag changes.
    c = Client()
    c.cookies["yg_large"] = "1"
    assert c.get(url, HTTP_IF_NONE_MATCH=resp["ETag"]).status_code == 200


def test_interpretation_links_both_ways(site):
    _, policy_html = get(public_url(site.policy))
    _, interp_html = get(public_url(site.interpretation))
    assert "相关解读" in policy_html and public_url(site.interpretation) in policy_html and "（图解）" in policy_html
    assert "解读的政策文件" in interp_html and public_url(site.policy) in interp_html


def test_print_view(site):
    resp, html = get(public_url(site.public) + "?print=1")
    assert resp.status_code == 200
    assert "print-view" in html and 'name="robots" content="noindex"' in html and "打印本页" in html
    assert "public-nav" not in html


def test_withdrawn_shows_explanation_not_content(site):
    resp, html = get(public_url(site.withdrawn))
    assert resp.status_code == 200
    assert "本信息已撤回" in html and "该通知内容有误，已重新发布。" in html
    assert "公开的正文内容" not in html


def test_removed_and_unknown_documents_are_404_in_chinese(site):
    resp, html = get(public_url(site.removed))
    assert resp.status_code == 404
    resp, html = get("/no-such-org/x/2026-00001/")
    assert resp.status_code == 404
    assert "页面不存在" in html and "返回网站首页" in html and 'lang="zh-CN"' in html
    assert doc_path("jyj", "tzgg", 2026, 99999) and get(doc_path("jyj", "tzgg", 2026, 99999))[0].status_code == 404


def test_display_prefs_without_js(site):
    c = Client()
    resp = c.get(reverse("portal:display") + "?large=1&next=/orgs/")
    assert resp.status_code == 302 and resp["Location"] == "/orgs/"
    assert c.cookies["yg_large"].value == "1"
    _, html = get("/orgs/", c)
    assert 'class="a11y-large' in html
    assert re.search(r'data-pref="large" aria-pressed="true"', html)
    assert re.search(r'data-pref="contrast" aria-pressed="false"', html)
    resp = c.get(reverse("portal:display") + "?large=0&next=https://evil.example/")
    assert resp["Location"] == "/"
    _, html = get("/orgs/", c)
    assert "a11y-large" not in html


def test_cached_pages_follow_withdrawal_and_new_interpretations(site):
    from yangguang.publishing import services

    column_url = reverse("portal:column", args=["jyj", "tzgg"])
    doc_url = public_url(site.public)
    policy_url = public_url(site.policy)
    for _ in range(2):  # the second round is served from the page cache
        assert "关于公开发布的通知" in get(column_url)[1]
        assert "公开的正文内容" in get(doc_url)[1]
        assert "第二份解读" not in get(policy_url)[1]
    services.withdraw(site.public, site.staff.principal, "内容需要更正，暂时撤回。")
    assert "关于公开发布的通知" not in get(column_url)[1]
    html = get(doc_url)[1]
    assert "内容需要更正" in html and "公开的正文内容" not in html
    second = publish(site.staff, "第二份解读", column="zcjd", genre="interpretation")
    services.link_interpretation(second, site.policy, "text", site.staff.clerk)
    assert "第二份解读" in get(policy_url)[1]


def test_column_page_cache_follows_each_change_the_list_shows(site, supervisor):
    """The column page is cached under the column's listing version: publication, withdrawal
    and removal each bump it in their transaction; a draft does not."""
    from yangguang.publishing import services
    from yangguang.publishing.models import Column

    def version(slug):
        return Column.objects.get(org__slug="jyj", slug=slug).listing_version

    url = reverse("portal:column", args=["jyj", "zcjd"])
    get(url)
    before = version("zcjd")
    site.staff.draft(title="还在起草的解读", column="zcjd", genre="interpretation")
    assert version("zcjd") == before and "还在起草的解读" not in get(url)[1]
    doc = publish(site.staff, "新发布的解读", column="zcjd", genre="interpretation")
    assert version("zcjd") == before + 1
    html = get(url)[1]
    assert "新发布的解读" in html
    services.withdraw(doc, site.staff.principal, "内容需要更正，暂时撤回。")
    assert version("zcjd") == before + 2 and "新发布的解读" not in get(url)[1]
    notices = reverse("portal:column", args=["jyj", "tzgg"])
    assert "关于公开发布的通知" in get(notices)[1]  # now in the page cache
    services.remove_document(site.public, supervisor, "违规发布，予以下架。")
    assert "关于公开发布的通知" not in get(notices)[1]


def test_document_page_version_follows_policy_and_interpretations(site):
    """A document page is cached under its page version: its own changes, its policy's and its
    interpretations' bump it; a draft does not."""
    from yangguang.publishing import services
    from yangguang.publishing.models import Document

    def v(doc):
        return Document.objects.get(pk=doc.pk).page_version

    policy, interp = site.policy, site.interpretation
    p0, i0 = v(policy), v(interp)
    site.staff.draft(title="又一份草稿", column="zcjd", genre="interpretation")
    assert (v(policy), v(interp)) == (p0, i0)
    assert public_url(policy) in get(public_url(interp))[1]  # links to its policy; cached now
    services.withdraw(policy, site.staff.principal, "政策文件需要修订，暂时撤回。")
    assert v(policy) == p0 + 1 and v(interp) == i0 + 1  # the interpretation links to the policy
    assert public_url(policy) not in get(public_url(interp))[1]  # link gone at once, not after 60 s


def test_page_cache_is_not_shared_by_visitors_with_messages_or_session(site):
    from django.core.cache import cache

    cache.clear()
    url = public_url(site.public)
    c = Client()
    c.cookies["messages"] = "x"
    get(url, c)
    assert not cache._cache  # rendered for this visitor only
    get(url)
    assert cache._cache  # an anonymous visitor's page is cached


def test_500_page_is_chinese_with_a_way_back(rf):
    from yangguang.core.views import server_error

    html = server_error(rf.get("/x/")).content.decode()
    assert "服务器内部错误" in html and 'href="/"' in html and 'lang="zh-CN"' in html


def test_directory_path_is_a_reserved_org_slug():
    from yangguang.orgs.services import org_problems

    assert any("系统保留" in p for p in org_problems(code="", name="x", kind="department", slug="orgs"))


def test_a_renamed_column_address_answers_at_once(site):
    """The document page finds its column through an in-process address map (portal/state.py);
    renaming a column's slug empties it, so the old address is 404 and the new one works at once."""
    url = public_url(site.public)
    assert get(url)[0].status_code == 200
    column = site.public.column
    column.slug = "tzgg2"
    column.save()
    site.public.refresh_from_db()
    assert get(url)[0].status_code == 404
    assert get(public_url(site.public))[0].status_code == 200


@pytest.mark.django_db(transaction=True)
def test_page_state_survives_a_dropped_database_connection(site):
    """On PostgreSQL the page state is read straight through libpq on the open connection
    (portal/state.py); when the server has dropped that connection (a restart), the read falls
    back to Django's cursor, which reconnects, instead of failing the request."""
    import psycopg
    from django.db import connection

    from yangguang.portal.state import column_state, document_state

    doc = site.public
    address = (doc.org.slug, doc.column.slug)
    row = document_state(*address, doc.index_year, doc.index_serial)
    assert row is not None and row[0] == doc.pk
    if connection.vendor == "postgresql":
        pid = connection.connection.info.backend_pid
        s = connection.settings_dict
        with psycopg.connect(host=s["HOST"], port=s["PORT"] or 5432, user=s["USER"], dbname=s["NAME"],
                             autocommit=True) as other:
            other.execute("SELECT pg_terminate_backend(%s)", [pid])
    else:
        connection.close()
    assert document_state(*address, doc.index_year, doc.index_serial) == row
    if connection.vendor == "postgresql":
        assert connection.connection.info.backend_pid != pid  # a new connection answered
    assert column_state(*address)[0] == doc.column_id
    assert document_state(*address, doc.index_year, 99999) is None


def test_page_state_takes_one_prepared_statement_on_postgresql(site):
    """The cached page's state query bypasses Django's cursor on PostgreSQL (no health check
    round trip, a prepared statement of the connection), also when the process forgot which
    statements it had prepared; on SQLite it goes through Django's cursor."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from yangguang.portal import state

    doc = site.public
    args = (doc.org.slug, doc.column.slug, doc.index_year, doc.index_serial)
    expected = state.document_state(*args)
    for forget in (False, True):
        if forget:
            state._PREPARED.clear()
        with CaptureQueriesContext(connection) as ctx:
            assert state.document_state(*args) == expected
            assert state.column_state(doc.org.slug, doc.column.slug)[0] == doc.column_id
        assert len(ctx) == (0 if connection.vendor == "postgresql" else 2)


def test_page_state_in_a_failed_transaction_raises_and_keeps_the_connection(site):
    """A state read inside a transaction that a failed statement aborted raises the database's own
    error (PostgreSQL) instead of a closed connection, and works again once the transaction is
    rolled back to its savepoint; SQLite does not abort the transaction and just answers."""
    from django.db import DatabaseError, connection, transaction

    from yangguang.portal.state import document_state

    doc = site.public
    args = (doc.org.slug, doc.column.slug, doc.index_year, doc.index_serial)
    expected = document_state(*args)
    with pytest.raises(DatabaseError), transaction.atomic():
        with pytest.raises(DatabaseError), connection.cursor() as cursor:
            cursor.execute("SELECT * FROM no_such_table")
        if connection.vendor == "postgresql":
            document_state(*args)  # raises: the transaction is aborted
        else:
            assert document_state(*args) == expected
            raise DatabaseError("roll back")
    assert document_state(*args) == expected
