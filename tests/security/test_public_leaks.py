"""Nothing unpublished reaches the public (issue #3, "Done means").

One published document and five that must never be visible — a draft, one in review, one approved
but scheduled for later, one published and then withdrawn, and a new edition of the published one
still in review — each with its own marker word in title, body and attachment. Every public
surface is visited; the published document must show up in each (so a broken surface fails the
test instead of passing it by being empty), the others never.

The surfaces are visited once while the to-be-withdrawn document is still live, so any page cache
is warm with it; then it is withdrawn and everything is checked again.
"""

import re
from dataclasses import dataclass, field
from datetime import timedelta
from html import unescape
from urllib.parse import urlsplit

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from yangguang.publishing import services
from yangguang.publishing.models import Document, Edition

pytestmark = pytest.mark.django_db

COMMON = "leakcommonzz"  # in every document: a search for it must find the published one only
API = "/api/v1/public"


@dataclass
class Item:
    marker: str
    title: str
    edition: Edition
    attachment_urls: list[str] = field(default_factory=list)
    index_number: str | None = None
    document_id: str = ""

    @property
    def body_marker(self) -> str:
        return f"{self.marker}body"


def make(staff, marker: str, **fields) -> tuple[Edition, str]:
    title = f"关于{marker}事项的通知 {COMMON}"
    body = f"<p>{marker} 专项工作安排 {COMMON}。</p><p>{marker}body 正文末段。</p>"
    edition = staff.draft(title=title, body=body, **fields)
    services.add_attachment(edition, staff.clerk, f"{marker}附件.txt", f"附件 {marker} {COMMON}".encode())
    return edition, title


def item_for(edition: Edition, marker: str, title: str) -> Item:
    edition = Edition.objects.select_related("document").get(pk=edition.pk)
    doc = edition.document
    return Item(marker=marker, title=title, edition=edition, index_number=doc.index_number,
                document_id=str(doc.public_id),
                attachment_urls=[reverse("portal:attachment", args=[a.public_id]) for a in edition.attachments.all()])


@pytest.fixture
def scene(staff_a):
    live_ed, live_title = make(staff_a, "livemarkqa")
    live_ed = staff_a.publish(live_ed)
    live = item_for(live_ed, "livemarkqa", live_title)

    draft_ed, t = make(staff_a, "draftmarkqb")
    draft = item_for(draft_ed, "draftmarkqb", t)

    review_ed, t = make(staff_a, "reviewmarkqc")
    review_ed = services.approve(services.submit(review_ed, staff_a.clerk), staff_a.section_head, "同意")
    assert review_ed.state == "submitted" and review_ed.level == 2
    review = item_for(review_ed, "reviewmarkqc", t)

    sched_ed, t = make(staff_a, "schedmarkqd", scheduled_at=timezone.now() + timedelta(days=2))
    sched_ed = staff_a.publish(sched_ed)
    assert sched_ed.state == "scheduled"
    scheduled = item_for(sched_ed, "schedmarkqd", t)

    gone_ed, t = make(staff_a, "withdrawnmarkqe")
    gone = item_for(staff_a.publish(gone_ed), "withdrawnmarkqe", t)
    assert gone.index_number

    # A new edition of the live document, changed and sent to review: the old one stays public.
    live_doc = Document.objects.get(pk=live_ed.document_id)
    new_ed = services.start_new_edition(live_doc, staff_a.clerk)
    new_title = f"关于editmarkqf事项的通知 {COMMON}"
    new_ed = services.update_draft(new_ed, staff_a.clerk, {
        "title": new_title, "body": f"<p>editmarkqf 修改稿 {COMMON}。</p><p>editmarkqfbody。</p>",
        "change_kind": "major", "change_note": "补充内容"})
    services.add_attachment(new_ed, staff_a.clerk, "editmarkqf附件.txt", f"附件 editmarkqf {COMMON}".encode())
    new_ed = services.submit(new_ed, staff_a.clerk)
    edit = item_for(new_ed, "editmarkqf", new_title)
    edit.attachment_urls = [u for u in edit.attachment_urls if u not in live.attachment_urls]
    edit.index_number = None  # shared with the live edition, which is public
    edit.document_id = ""
    return {"org": staff_a.org, "staff": staff_a, "live": live, "gone": gone,
            "hidden": [draft, review, scheduled, edit]}


# --- reading the surfaces ----------------------------------------------------------------------

def fetch(client: Client, path: str, expect=(200,)) -> str:
    r = client.get(path)
    assert r.status_code in expect, (path, r.status_code)
    if r.streaming:
        return b"".join(r.streaming_content).decode()
    return r.content.decode()


def text_of(html: str) -> str:
    return unescape(re.sub(r"<[^>]+>", " ", html))


def sitemap_pages(client: Client) -> dict[str, str]:
    """sitemap.xml and every file its index points at."""
    index = fetch(client, "/sitemap.xml")
    pages = {"/sitemap.xml": index}
    for loc in re.findall(r"<loc>([^<]+)</loc>", index):
        path = urlsplit(unescape(loc)).path
        pages[path] = fetch(client, path)
    assert len(pages) >= 3, pages.keys()  # orgs + columns + documents sections
    return pages


def surfaces(client: Client, org, live: Item) -> dict[str, str]:
    """Every public page that lists or counts documents, by name."""
    out = {
        "home": fetch(client, "/"),
        "org catalog": fetch(client, reverse("portal:org", args=[org.slug])),
        "column list": fetch(client, reverse("portal:column", args=[org.slug, "tzgg"])),
        "search page": fetch(client, reverse("search:search") + f"?q={COMMON}"),
        "search page by org": fetch(client, reverse("search:search") + f"?q={COMMON}&org={org.slug}"),
        "api list": fetch(client, f"{API}/documents"),
        "api list by org": fetch(client, f"{API}/documents?org={org.slug}&column=tzgg"),
        "api search": fetch(client, f"{API}/documents?q={COMMON}"),
        "api org": fetch(client, f"{API}/orgs/{org.slug}"),
        "api columns": fetch(client, f"{API}/orgs/{org.slug}/columns"),
        "site rss": fetch(client, "/feeds/rss.xml"),
        "site atom": fetch(client, "/feeds/atom.xml"),
        "org rss": fetch(client, f"/feeds/{org.slug}/rss.xml"),
        "org atom": fetch(client, f"/feeds/{org.slug}/atom.xml"),
        "column rss": fetch(client, f"/feeds/{org.slug}/tzgg/rss.xml"),
        "column atom": fetch(client, f"/feeds/{org.slug}/tzgg/atom.xml"),
        "live document page": fetch(client, doc_url(org, live)),
        "api live detail": fetch(client, f"{API}/documents/{live.document_id}"),
    }
    for path, body in sitemap_pages(client).items():
        out[f"sitemap {path}"] = body
    return out


def doc_url(org, item: Item, column: str = "tzgg") -> str:
    return reverse("portal:document", args=[org.slug, column, item.index_number.split("/")[1]])


def assert_not_on(pages: dict[str, str], item: Item, *, also_index_number: bool = True):
    for name, body in pages.items():
        for needle in (item.marker, item.title, *item.attachment_urls):
            assert needle not in body, f"{needle!r} leaked on {name}"
        if also_index_number and item.index_number:
            assert item.index_number not in body, f"索引号 {item.index_number} leaked on {name}"
            at = body.find(doc_url_key(item))
            assert at < 0 or name.startswith("api "), f"URL of {item.marker} on {name}: {body[at - 200:at + 100]}"


def doc_url_key(item: Item) -> str:
    return "/tzgg/" + item.index_number.split("/")[1] + "/"


def assert_live_on(pages: dict[str, str], live: Item):
    for name, body in pages.items():
        if name.startswith(("org catalog", "api org", "api columns", "sitemap /sitemap.xml", "sitemap /sitemap-orgs",
                            "sitemap /sitemap-columns")):
            continue  # counts and indexes: checked by number below
        assert live.marker in body or doc_url_key(live) in body, f"the published document is missing on {name}"


def counts_say_one(pages: dict[str, str], extra: int = 0):
    """Counts on the catalog page, the search page, and the API agree: the published ones only."""
    import json

    n = 1 + extra
    catalog = text_of(pages["org catalog"])
    assert re.search(rf"通知公告\s*（\s*{n}\s*条\s*）", catalog), catalog[:2000]
    assert re.search(rf"共\s*{n}\s*条公开信息", catalog)
    search = text_of(pages["search page"])
    assert re.search(rf"共找到\s*{n}\s*条", search)
    facet_counts = [int(c) for c in re.findall(r'class="facet-count">(\d+)', pages["search page"])]
    assert facet_counts and all(c == n for c in facet_counts), facet_counts
    api = json.loads(pages["api search"])
    assert api["total"] == n and all(f["count"] == n for values in api["facets"].values() for f in values)
    assert json.loads(pages["api list by org"])["total"] == n
    assert json.loads(pages["api org"])["public_documents"] == n
    tzgg = next(c for c in json.loads(pages["api columns"])["items"] if c["slug"] == "tzgg")
    assert tzgg["public_count"] == n


# --- the test ----------------------------------------------------------------------------------

def test_unpublished_documents_never_reach_the_public(scene):
    org, live, gone, hidden = scene["org"], scene["live"], scene["gone"], scene["hidden"]
    anon = Client()

    # Before the withdrawal: the soon-withdrawn document is visible like any published one, and
    # whatever the pages cache now holds it.
    before = surfaces(anon, org, live)
    assert_live_on(before, live)
    for name in ("column list", "org rss", "column atom", "search page", "api list"):
        assert gone.marker in before[name], name
    counts_say_one(before, extra=1)
    for item in hidden:
        assert_not_on(before, item)

    services.withdraw(Document.objects.get(public_id=gone.document_id), scene["staff"].principal,
                      "本件因内容调整已撤回，特此说明。")

    after = surfaces(anon, org, live)
    assert_live_on(after, live)
    counts_say_one(after)
    for item in [*hidden, gone]:
        assert_not_on(after, item)

    # Searching for each marker finds nothing (the query itself is echoed in the search box).
    for item in [*hidden, gone]:
        page = fetch(anon, reverse("search:search") + f"?q={item.marker}")
        assert re.search(r"共找到\s*0\s*条", text_of(page)) or "没有找到" in page, item.marker
        assert item.title not in page and not any(u in page for u in item.attachment_urls)
        api = anon.get(f"{API}/documents", {"q": item.marker}).json()
        assert api["total"] == 0 and api["items"] == []
    assert anon.get(f"{API}/documents", {"q": live.marker}).json()["total"] == 1

    # Detail by id and by 索引号: 404, with the same body as an id that never existed.
    missing = anon.get(f"{API}/documents/00000000-0000-4000-8000-000000000000")
    assert missing.status_code == 404
    for item in [*hidden[:3], gone]:
        r = anon.get(f"{API}/documents/{item.document_id}")
        assert (r.status_code, r.content) == (404, missing.content), item.marker
    code, serial = gone.index_number.split("/")
    assert anon.get(f"{API}/index-numbers/{code}/{serial}").content == missing.content
    # The live document's API detail still shows the published edition, not the one in review.
    detail = anon.get(f"{API}/documents/{live.document_id}").json()
    assert detail["title"] == live.title and detail["edition"] == 1

    # Attachments: every file of an unpublished edition is a 404 for anonymous visitors.
    for item in [*hidden, gone]:
        assert item.attachment_urls, item.marker
        for url in item.attachment_urls:
            assert anon.get(url).status_code == 404, (item.marker, url)
            named = anon.get(url + f"{item.marker}附件.txt")
            assert named.status_code == 404, (item.marker, url)
    assert all(anon.get(u).status_code == 200 for u in live.attachment_urls)

    # The withdrawn page keeps its 索引号 and explains the withdrawal — no body, no attachments.
    for path in (doc_url(org, gone), doc_url(org, gone) + "?print=1"):
        r = anon.get(path)
        assert r.status_code in (200, 404, 410), path
        body = r.content.decode()
        assert gone.body_marker not in body and "专项工作安排" not in body
        assert not any(u in body for u in gone.attachment_urls)
        if r.status_code == 200:
            assert "本件因内容调整已撤回" in body

    # Guessing document URLs: only the two documents that ever had a 索引号 exist.
    year = timezone.localdate().year
    for column in ("tzgg", "zcwj", "gzdt"):
        for serial in range(0, 8):
            r = anon.get(reverse("portal:document", args=[org.slug, column, f"{year}-{serial:05d}"]))
            key = f"{year}-{serial:05d}"
            if column == "tzgg" and key in (live.index_number.split("/")[1], gone.index_number.split("/")[1]):
                continue
            assert r.status_code == 404, (column, key)
        for item in hidden[:3]:  # by 公开编号 instead of 索引号
            assert anon.get(f"/{org.slug}/{column}/{item.document_id}/").status_code == 404
    live_page = fetch(anon, doc_url(org, live))
    for item in hidden:
        assert item.marker not in live_page and item.body_marker not in live_page


def test_scheduled_document_appears_only_when_due(scene):
    """The scheduled one turns public by `publish_due`, at which point it reaches every surface —
    so its absence above was the schedule, not a broken surface."""
    org, scheduled = scene["org"], scene["hidden"][2]
    anon = Client()
    assert services.publish_due(now=timezone.now() + timedelta(days=3)) == 1
    doc = Document.objects.get(public_id=scheduled.document_id)
    assert doc.is_public
    for path in (reverse("portal:column", args=[org.slug, "tzgg"]), f"/feeds/{org.slug}/rss.xml",
                 reverse("search:search") + f"?q={scheduled.marker}", f"{API}/documents/{scheduled.document_id}"):
        assert scheduled.marker in fetch(anon, path), path
    assert anon.get(scheduled.attachment_urls[0]).status_code == 200
