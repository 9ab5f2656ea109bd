"""Issue #15 item 9: every page works under the Content-Security-Policy (core/csp.py) in real
Chromium, and a script injected into a page does not run.

The conftest fails any browser test at teardown when Chromium reports a CSP violation; here the
pages where scripts matter are visited on purpose and their scripts are seen to have run."""

import re

import pytest
from helpers import PASSWORD, Staff, new_user
from playwright.sync_api import Error as PlaywrightError

from yangguang.publishing.models import Document
from yangguang.publishing.urlsutil import public_url

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def login(page, base, username, where=r"/workbench/"):
    page.context.clear_cookies()
    page.goto(f"{base}/login/")
    page.get_by_label("用户名").fill(username)
    page.get_by_label("密码").fill(PASSWORD)
    page.get_by_role("button", name="登录").click()
    page.wait_for_url(re.compile(where))


def goto(page, url):
    response = page.goto(url)
    assert response.ok, (url, response.status)
    policy = response.headers.get("content-security-policy", "")
    assert re.search(r"script-src 'self' 'nonce-[^']+'", policy), (url, policy)
    return response


def wait_for_violation(page, found, timeout_ms=3_000):
    """Chromium reports a violation as a console message; give the event a moment to arrive."""
    for _ in range(timeout_ms // 100):
        if found:
            return
        page.wait_for_timeout(100)


@pytest.fixture
def site(org_a, city):
    staff = Staff(org_a, "c")
    edition = staff.publish(staff.draft(title="关于推进政务公开工作的通知", body="<p>全面推进政务公开。</p>"))
    draft = staff.draft(title="关于政务公开工作的补充通知", body="<p>补充事项。</p>")
    return {"staff": staff, "document": Document.objects.get(pk=edition.document_id), "draft": draft,
            "supervisor": new_user("gkb", city, "supervisor")}


def test_pages_and_their_scripts_run_under_the_policy(live_server, page, csp_violations, site):
    base = live_server.url

    # Public pages: site.js (a static file) runs: the 大字号 switch works without a reload.
    goto(page, f"{base}/")
    page.get_by_role("button", name="大字号").click()
    page.wait_for_function("() => document.documentElement.classList.contains('a11y-large')")
    goto(page, f"{base}/search/?q=公开")
    assert page.locator(".hit-title a", has_text="关于推进政务公开工作的通知").count() == 1
    goto(page, base + public_url(site["document"]))
    assert page.get_by_role("heading", level=1, name="关于推进政务公开工作的通知").is_visible()

    # The workbench: htmx (a static file) loads the live screening into the editor.
    login(page, base, site["staff"].clerk.username)
    goto(page, f"{base}/workbench/")
    goto(page, f"{base}/workbench/e/{site['draft'].pk}/edit/")
    page.wait_for_function(
        "() => !document.getElementById('live-findings').textContent.includes('正在审查')")

    # The supervision dashboard: ECharts and supervision-charts.js draw both charts.
    login(page, base, site["supervisor"].username)
    goto(page, f"{base}/workbench/supervision/")
    page.locator("#chart-trend canvas, #chart-trend svg").first.wait_for()
    page.locator("#chart-orgs canvas, #chart-orgs svg").first.wait_for()

    # The API docs: django-ninja's Swagger UI (its own static bundle) renders the operations.
    page.context.clear_cookies()
    goto(page, f"{base}/api/v1/docs")
    page.locator(".swagger-ui .info .title", has_text="阳光政务开放接口").wait_for()
    assert page.locator(".swagger-ui .opblock").count() > 0

    # The admin: its login page, then a list and a form page of its own scripts.
    goto(page, f"{base}/admin/login/")
    admin = new_user("root", site["staff"].org)
    admin.is_staff = admin.is_superuser = True
    admin.save(update_fields=["is_staff", "is_superuser"])
    page.get_by_label("用户名").fill("root")
    page.get_by_label("密码").fill(PASSWORD)
    page.locator("input[type=submit]").click()
    page.wait_for_url(f"{base}/admin/")
    goto(page, f"{base}/admin/orgs/organization/")
    goto(page, f"{base}/admin/orgs/organization/{site['staff'].org.pk}/change/")
    page.wait_for_load_state("load")

    assert csp_violations == []


def test_injected_inline_script_and_handler_are_refused(live_server, page, csp_violations, site):
    goto(page, live_server.url + public_url(site["document"]))

    with pytest.raises(PlaywrightError, match="Content Security Policy"):
        page.add_script_tag(content="window.__injected = 'script';")
    wait_for_violation(page, csp_violations)
    assert page.evaluate("() => window.__injected") is None
    assert any("inline script" in v for v in csp_violations), csp_violations
    csp_violations.clear()

    # Markup with an event handler, as an escaping bug would put it into the page.
    page.evaluate("""() => { document.querySelector("main").insertAdjacentHTML("beforeend",
        '<img alt="" src="data:," onload="window.__injected = \\'handler\\'">'); }""")
    wait_for_violation(page, csp_violations)
    assert page.evaluate("() => window.__injected") is None
    assert any("event handler" in v for v in csp_violations), csp_violations
    csp_violations.clear()
