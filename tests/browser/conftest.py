import os
import shutil
from pathlib import Path
from urllib.parse import urlsplit

import pytest

# Playwright's sync API runs an event loop in this thread; the Django ORM calls the tests
# make between page actions are still synchronous and safe.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
STATIC_DIR = Path(__file__).resolve().parents[2] / "yangguang" / "static"
# Chromium's words for a refused script, style, image or connection, e.g. "Refused to execute
# inline script because it violates the following Content Security Policy directive: …".
CSP_MARK = "Content Security Policy"


@pytest.fixture(scope="session")
def browser():
    from playwright.sync_api import sync_playwright

    assert os.path.exists(CHROMIUM), "需要 Debian chromium（make test 会安装）"
    with sync_playwright() as p:
        b = p.chromium.launch(
            executable_path=CHROMIUM,
            args=["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-dev-shm-usage"],
        )
        yield b
        b.close()


@pytest.fixture
def csp_violations():
    """Content-Security-Policy violations reported by every page the test opened (console
    messages and page errors). The test fails at teardown if any is left; a test that provokes
    one on purpose checks it and clears the list."""
    return []


def _watch_csp(context, found):
    def on_console(message):
        if CSP_MARK in message.text:
            found.append(f"{message.page.url if message.page else '?'}: {message.text}")

    def on_error(web_error):
        if CSP_MARK in str(web_error.error):
            found.append(f"{web_error.page.url if web_error.page else '?'}: {web_error.error}")

    context.on("console", on_console)
    context.on("weberror", on_error)


@pytest.fixture(autouse=True)
def _no_csp_violations(request):
    """Every browser context a test opens (through the `page` fixture or browser.new_context)
    reports CSP violations into `csp_violations`; any left at the end fails the test."""
    if "browser" not in request.fixturenames:
        yield
        return
    browser = request.getfixturevalue("browser")
    found = request.getfixturevalue("csp_violations")
    new_context = browser.new_context

    def watched_new_context(*args, **kwargs):
        context = new_context(*args, **kwargs)
        _watch_csp(context, found)
        return context

    browser.new_context = watched_new_context
    try:
        yield
    finally:
        del browser.new_context  # the class's method again
    if found:
        pytest.fail("Content-Security-Policy violations:\n" + "\n".join(found), pytrace=False)


def _same_origin_script_tags(pg):
    """page.add_script_tag(path=<a file under yangguang/static>) loads it from the site's own
    /static/ URL, as the pages load their scripts: the file's text injected as an inline script
    would be refused by the CSP (script-src 'self' 'nonce-…'). Other paths and content= are
    injected as Playwright does, and an inline script is refused."""
    add_script_tag = pg.add_script_tag

    def add(url=None, path=None, content=None, type=None):
        if path is not None and url is None and content is None and pg.url.startswith("http"):
            try:
                relative = Path(path).resolve().relative_to(STATIC_DIR)
            except ValueError:
                pass
            else:
                from django.conf import settings

                origin = urlsplit(pg.url)
                url, path = f"{origin.scheme}://{origin.netloc}{settings.STATIC_URL}{relative.as_posix()}", None
        return add_script_tag(url=url, path=path, content=content, type=type)

    pg.add_script_tag = add


@pytest.fixture
def page(browser):
    context = browser.new_context(locale="zh-CN", viewport={"width": 1280, "height": 900})
    pg = context.new_page()
    pg.set_default_timeout(15_000)
    _same_origin_script_tags(pg)
    yield pg
    context.close()
