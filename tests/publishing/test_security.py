"""Org scoping, anonymous access to unpublished work, and the attachment URL."""

import json
import uuid

import pytest
from django.test import Client
from django.urls import reverse

from yangguang.publishing import services
from yangguang.publishing.models import Document

pytestmark = pytest.mark.django_db


def login(user) -> Client:
    c = Client()
    c.force_login(user)
    return c


def test_other_org_cannot_read_or_change_drafts_pages(staff_a, staff_b):
    edition = staff_a.draft()
    c = login(staff_b.clerk)
    for name in ("workbench:edition", "workbench:edit"):
        assert c.get(reverse(name, args=[edition.pk])).status_code == 404
    for name in ("workbench:submit", "workbench:approve", "workbench:return", "workbench:urgent",
                 "workbench:discard", "workbench:upload"):
        assert c.post(reverse(name, args=[edition.pk]), {"reason": "x" * 10}).status_code == 404
    r = c.post(reverse("workbench:edit", args=[edition.pk]), {"title": "被篡改"})
    assert r.status_code == 404
    edition.refresh_from_db()
    assert edition.title != "被篡改" and edition.state == "draft"
    # Their own org sees it.
    assert login(staff_a.clerk).get(reverse("workbench:edition", args=[edition.pk])).status_code == 200


def test_other_org_cannot_read_or_change_drafts_api(staff_a, staff_b):
    edition = staff_a.draft()
    c = login(staff_b.clerk)
    assert c.get(f"/api/v1/staff/editions/{edition.pk}").status_code == 404
    listed = c.get("/api/v1/staff/editions").json()
    assert edition.pk not in [e["id"] for e in listed]
    r = c.post(f"/api/v1/staff/editions/{edition.pk}/submit")
    assert r.status_code in (403, 404)
    reviewer_b = login(staff_b.section_head)
    r = reviewer_b.post(f"/api/v1/staff/editions/{edition.pk}/approve", data=json.dumps({"reason": ""}),
                        content_type="application/json")
    assert r.status_code == 404
    edition.refresh_from_db()
    assert edition.state == "draft"
    own = login(staff_a.clerk)
    assert own.get(f"/api/v1/staff/editions/{edition.pk}").status_code == 200
    assert edition.pk in [e["id"] for e in own.get("/api/v1/staff/editions").json()]


def test_api_requires_login():
    assert Client().get("/api/v1/staff/editions").status_code == 401


def test_supervisor_reads_subtree_but_cannot_act(staff_a, supervisor):
    edition = services.submit(staff_a.draft(), staff_a.clerk)
    c = login(supervisor)
    assert c.get(reverse("workbench:edition", args=[edition.pk])).status_code == 200
    c.post(reverse("workbench:approve", args=[edition.pk]))
    edition.refresh_from_db()
    assert edition.level == 1


def test_anonymous_gets_404_for_unpublished_pages_and_attachments(staff_a):
    edition = staff_a.draft()
    att = services.add_attachment(edition, staff_a.clerk, "附件.txt", "附件正文".encode())
    anon = Client()
    assert anon.get(reverse("workbench:edition", args=[edition.pk])).status_code == 302  # to login
    assert anon.get(reverse("portal:attachment", args=[att.public_id])).status_code == 404
    assert anon.get(reverse("portal:attachment", args=[uuid.uuid4()])).status_code == 404
    # Guessing the public URL of the not-yet-published document (year-serial) finds nothing.
    for serial in range(0, 5):
        url = reverse("portal:document", args=[staff_a.org.slug, "tzgg", f"2026-{serial:05d}"])
        assert anon.get(url).status_code == 404
    # Staff of the org can download it; published, everybody can.
    assert login(staff_a.clerk).get(reverse("portal:attachment", args=[att.public_id])).status_code == 200
    edition = staff_a.publish(edition)
    live_att = edition.attachments.get()
    r = anon.get(reverse("portal:attachment", args=[live_att.public_id]))
    assert r.status_code == 200 and b"".join(r.streaming_content) == "附件正文".encode()
    assert r["X-Content-Type-Options"] == "nosniff"


def test_withdrawn_and_in_review_documents_not_public(staff_a):
    live = staff_a.publish(staff_a.draft(title="已发布的通知"))
    doc = Document.objects.get(pk=live.document_id)
    page = reverse("portal:document", args=[staff_a.org.slug, "tzgg", f"{doc.index_year}-{doc.index_serial:05d}"])
    att_edition = services.start_new_edition(doc, staff_a.clerk)
    services.update_draft(att_edition, staff_a.clerk, {"title": "审核中的新标题", "change_kind": "minor"})
    anon = Client()
    r = anon.get(page)
    assert r.status_code == 200 and "已发布的通知" in r.content.decode() and "审核中的新标题" not in r.content.decode()
    column = anon.get(reverse("portal:column", args=[staff_a.org.slug, "tzgg"])).content.decode()
    assert "已发布的通知" in column
    services.discard_draft(att_edition, staff_a.clerk)
    services.withdraw(doc, staff_a.principal, "内容有误，已撤回更正。")
    r = anon.get(page)
    body = r.content.decode()
    assert r.status_code == 200 and "内容有误，已撤回更正。" in body and "现将有关事项通知如下" not in body
    column = anon.get(reverse("portal:column", args=[staff_a.org.slug, "tzgg"])).content.decode()
    assert "已发布的通知" not in column
    home = anon.get("/").content.decode()
    assert "已发布的通知" not in home


def test_supervisor_lists_region_clerk_lists_own_org(staff_a, staff_b, supervisor):
    a = staff_a.draft(title="教育局草稿")
    b = staff_b.draft(title="民政局草稿")
    sup_page = login(supervisor).get(reverse("workbench:documents")).content.decode()
    assert a.title in sup_page and b.title in sup_page
    clerk_page = login(staff_a.clerk).get(reverse("workbench:documents")).content.decode()
    assert a.title in clerk_page and b.title not in clerk_page
