"""The public portal in real Chromium: 适老化 switch, keyboard-only use, axe-core, 360 px layout."""

import re
from pathlib import Path

import pytest
from helpers import Staff, new_org

from yangguang.publishing import services
from yangguang.publishing.models import Document
from yangguang.publishing.urlsutil import public_url

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

AXE = Path(__file__).resolve().parents[2] / "yangguang" / "static" / "vendor" / "axe" / "axe.min.js"
AXE_RUN = """async () => {
  const r = await axe.run(document, {runOnly: {type: "tag", values: ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "best-practice"]}});
  return r.violations.map(v => ({id: v.id, impact: v.impact, help: v.help,
                                 nodes: v.nodes.slice(0, 5).map(n => n.target.join(" "))}));
}"""


@pytest.fixture
def portal(org_a):
    county = new_org("测试县人民政府", "cs-county", kind="county", parent=org_a.parent)
    staff = Staff(org_a, "p")
    docs = []
    for title, column in (("关于做好义务教育招生工作的通知", "tzgg"), ("测试市教育惠民政策实施办法", "zcwj"),
                          ("图解：教育惠民政策实施办法", "zcjd")):
        edition = staff.publish(staff.draft(title=title, column=column, body="<p>第一段正文。</p><p>第二段正文。</p>"))
        docs.append(Document.objects.get(pk=edition.document_id))
    services.link_interpretation(docs[2], docs[1], "graphic", staff.clerk)
    return {"org": org_a, "county": county, "docs": docs}


def pages(portal, base):
    org = portal["org"].slug
    out = {
        "home": f"{base}/",
        "orgs": f"{base}/orgs/",
        "org": f"{base}/{org}/",
        "column": f"{base}/{org}/tzgg/",
        "document": base + public_url(portal["docs"][1]),
        "guide": f"{base}/guide/{org}/",
        "notfound": f"{base}/no-such-page/x/",
    }
    try:
        from django.urls import reverse
        out["search"] = base + reverse("search:search") + "?q=教育"
    except Exception:  # the search page is another helper's; test it when it exists
        pass
    return out


def test_large_font_switch_persists_across_pages(live_server, page, portal):
    base = live_server.url
    page.goto(f"{base}/")
    size = page.evaluate("() => getComputedStyle(document.documentElement).fontSize")
    button = page.get_by_role("button", name="大字号")
    assert button.get_attribute("aria-pressed") == "false"
    button.focus()
    page.keyboard.press("Enter")  # reachable and operable by keyboard
    page.wait_for_function("() => document.documentElement.classList.contains('a11y-large')")
    assert button.get_attribute("aria-pressed") == "true"
    large = page.evaluate("() => getComputedStyle(document.documentElement).fontSize")
    assert float(large[:-2]) > float(size[:-2])
    page.goto(f"{base}/orgs/")
    # Applied by the server from the cookie, before any script runs (no flash).
    assert re.search(r'<html[^>]*class="a11y-large', page.content())
    assert page.get_by_role("button", name="大字号").get_attribute("aria-pressed") == "true"
    page.get_by_role("button", name="大字号").click()
    page.goto(base + public_url(portal["docs"][0]))
    assert "a11y-large" not in page.evaluate("() => document.documentElement.className")


def test_high_contrast_switch_without_javascript(live_server, browser, portal):
    context = browser.new_context(java_script_enabled=False, locale="zh-CN")
    pg = context.new_page()
    pg.goto(f"{live_server.url}/orgs/")
    pg.get_by_role("button", name="高对比度").click()
    pg.wait_for_load_state()
    assert pg.url.endswith("/orgs/")
    assert "a11y-contrast" in pg.evaluate("() => document.documentElement.className")
    assert pg.get_by_role("button", name="高对比度").get_attribute("aria-pressed") == "true"
    context.close()


def test_keyboard_only_from_skip_link_to_a_document(live_server, page, portal):
    base = live_server.url
    target = public_url(portal["docs"][0])
    page.goto(f"{base}/{portal['org'].slug}/tzgg/")
    page.keyboard.press("Tab")
    assert page.evaluate("() => document.activeElement.className") == "skip-link"
    assert page.evaluate("() => getComputedStyle(document.activeElement).outlineStyle") != "none"
    page.keyboard.press("Enter")
    for _ in range(40):
        page.keyboard.press("Tab")
        href = page.evaluate("() => document.activeElement.getAttribute('href')")
        if href == target:
            break
    else:
        pytest.fail("Tab never reached the document link")
    # After the skip link, focus starts inside <main>: the header was skipped.
    assert page.evaluate("() => !!document.activeElement.closest('main')")
    page.keyboard.press("Enter")
    page.wait_for_url(f"{base}{target}")
    assert page.get_by_role("heading", level=1, name="关于做好义务教育招生工作的通知").is_visible()


def test_axe_no_serious_or_critical_violations(live_server, page, portal):
    assert AXE.exists()
    problems = {}
    for name, url in pages(portal, live_server.url).items():
        page.goto(url)
        page.add_script_tag(path=str(AXE))
        bad = [v for v in page.evaluate(AXE_RUN) if v["impact"] in ("serious", "critical")]
        if bad:
            problems[name] = bad
    assert not problems, problems


def test_axe_in_large_font_and_high_contrast_modes(live_server, page, portal):
    base = live_server.url
    page.context.add_cookies([{"name": "yg_large", "value": "1", "url": base},
                              {"name": "yg_contrast", "value": "1", "url": base}])
    for url in (f"{base}/", base + public_url(portal["docs"][1])):
        page.goto(url)
        page.add_script_tag(path=str(AXE))
        bad = [v for v in page.evaluate(AXE_RUN) if v["impact"] in ("serious", "critical")]
        assert not bad, (url, bad)


def test_no_horizontal_scroll_at_360px(live_server, browser, portal):
    context = browser.new_context(viewport={"width": 360, "height": 740}, locale="zh-CN")
    pg = context.new_page()
    for cookies in ([], [{"name": "yg_large", "value": "1", "url": live_server.url}]):
        context.add_cookies(cookies) if cookies else None
        for name, url in pages(portal, live_server.url).items():
            pg.goto(url)
            width = pg.evaluate("() => document.documentElement.scrollWidth")
            assert width <= 360, (name, cookies, width)
    context.close()


def test_search_filter_open_result_and_follow_interpretation(live_server, page, portal):
    """Issue #3: a citizen searches in Chinese, narrows by 发布机构, opens the policy and follows its
    interpretation link."""
    county_staff = Staff(portal["county"], "cz")
    county_staff.publish(county_staff.draft(title="县里开展教育惠民政策宣传活动", column="gzdt",
                                            body="<p>教育惠民政策进社区。</p>"))
    base = live_server.url
    page.goto(f"{base}/")
    box = page.get_by_role("searchbox").first
    box.fill("教育惠民 政策")
    box.press("Enter")
    page.wait_for_url(re.compile(r"/search/\?"))
    hits = page.locator(".hit-title a")
    assert hits.count() == 3  # the policy, its interpretation and the county's news item
    assert page.locator(".hit-title mark").first.inner_text() in ("教育", "惠民", "政策", "教育惠民")
    page.locator(".facet a", has_text=portal["org"].name).first.click()
    page.wait_for_url(re.compile(r"org=" + portal["org"].slug))
    assert hits.count() == 2
    assert "县里开展" not in page.locator(".search-results, main").first.inner_text()
    page.locator(".hit-title a", has_text="测试市教育惠民政策实施办法").click()
    page.wait_for_url(f"{base}{public_url(portal['docs'][1])}")
    page.get_by_role("link", name="图解：教育惠民政策实施办法").click()
    page.wait_for_url(f"{base}{public_url(portal['docs'][2])}")
    assert page.get_by_role("heading", level=1, name="图解：教育惠民政策实施办法").is_visible()
