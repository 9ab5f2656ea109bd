"""Staff of one org never read another org's unpublished work — the cases not already covered by
tests/publishing/test_security.py (edition pages, the edition API, drafts list of a clerk)."""

from datetime import timedelta

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from helpers import new_org, new_user

from yangguang.core.models import AuditEvent
from yangguang.publishing import services
from yangguang.publishing.models import Document

pytestmark = pytest.mark.django_db


def login(user) -> Client:
    c = Client()
    c.force_login(user)
    return c


@pytest.fixture
def a_work(staff_a):
    """Org A's unpublished work in every state, each with an attachment, and one published document."""
    draft = staff_a.draft(title="甲机构草稿xq1")
    services.add_attachment(draft, staff_a.clerk, "草稿附件.txt", "草稿附件内容".encode())
    review = staff_a.draft(title="甲机构审核中xq2")
    services.add_attachment(review, staff_a.clerk, "审核附件.txt", "审核附件内容".encode())
    review = services.submit(review, staff_a.clerk)
    scheduled = staff_a.draft(title="甲机构定时发布xq3", scheduled_at=timezone.now() + timedelta(days=1))
    services.add_attachment(scheduled, staff_a.clerk, "定时附件.txt", "定时附件内容".encode())
    scheduled = staff_a.publish(scheduled)
    live = staff_a.publish(staff_a.draft(title="甲机构已发布xq4"))
    return {"draft": draft, "review": review, "scheduled": scheduled, "live": live}


SECRET_TITLES = ("甲机构草稿xq1", "甲机构审核中xq2", "甲机构定时发布xq3")


def test_other_org_staff_cannot_download_unpublished_attachments(a_work, staff_a, staff_b):
    for key in ("draft", "review", "scheduled"):
        att = a_work[key].attachments.get()
        url = reverse("portal:attachment", args=[att.public_id])
        for user in (staff_b.clerk, staff_b.principal):
            assert login(user).get(url).status_code == 404, (key, user)
        assert login(staff_a.clerk).get(url).status_code == 200, key


def test_other_org_workbench_pages_show_nothing_of_org_a(a_work, staff_b):
    for user in (staff_b.clerk, staff_b.section_head, staff_b.principal):
        c = login(user)
        for name in ("workbench:home", "workbench:documents", "workbench:catalog", "workbench:register"):
            body = c.get(reverse(name)).content.decode()
            assert not any(t in body for t in SECRET_TITLES), (name, user)
        for state in ("draft", "submitted", "scheduled", "approved"):
            body = c.get(reverse("workbench:documents"), {"state": state}).content.decode()
            assert not any(t in body for t in SECRET_TITLES), (state, user)
    # The level-1 reviewer of org B has nothing in the queue; org A's has the submitted one.
    assert "甲机构审核中xq2" not in login(staff_b.section_head).get(reverse("workbench:home")).content.decode()


def test_own_org_reviewer_sees_the_queue(a_work, staff_a):
    assert "甲机构审核中xq2" in login(staff_a.section_head).get(reverse("workbench:home")).content.decode()


def test_other_org_staff_api_hides_every_state(a_work, staff_b):
    c = login(staff_b.clerk)
    for state in (None, "draft", "submitted", "scheduled", "published"):
        params = {"state": state} if state else {}
        listed = c.get("/api/v1/staff/editions", params).json()
        assert not any(e["title"] in SECRET_TITLES for e in listed), state
    for key in ("review", "scheduled", "live"):
        assert c.get(f"/api/v1/staff/editions/{a_work[key].pk}").status_code == 404, key


def test_other_org_cannot_act_on_org_a_documents(a_work, staff_b):
    doc = Document.objects.get(pk=a_work["live"].document_id)
    before = AuditEvent.objects.count()
    for user in (staff_b.clerk, staff_b.principal):
        c = login(user)
        for name, data in (("workbench:new_edition", {}), ("workbench:withdraw", {"reason": "乙机构试图撤回此文件"}),
                           ("workbench:retro", {"reason": "x"}), ("workbench:interpretation", {"form": "text"})):
            assert c.post(reverse(name, args=[doc.pk]), data).status_code == 404, (name, user)
        att = a_work["draft"].attachments.get()
        r = c.post(reverse("workbench:remove_attachment", args=[a_work["draft"].pk, att.public_id]))
        assert r.status_code == 404
    doc.refresh_from_db()
    assert doc.is_public and doc.editions.count() == 1 and doc.withdrawn_at is None
    assert a_work["draft"].attachments.count() == 1
    assert AuditEvent.objects.count() == before


def test_other_org_cannot_link_to_org_a_draft_as_policy(a_work, staff_b):
    own = Document.objects.get(pk=staff_b.publish(staff_b.draft(title="乙机构解读")).document_id)
    draft_doc = Document.objects.get(pk=a_work["draft"].document_id)
    login(staff_b.clerk).post(reverse("workbench:interpretation", args=[own.pk]),
                              {"policy": draft_doc.pk, "form": "text"})
    own.refresh_from_db()
    assert own.interpretation_of_id is None


def test_interpretation_link_does_not_tell_existing_from_missing_ids(a_work, staff_b):
    """Another org's draft id and an id that does not exist get the same answer (no id probing)."""
    own = Document.objects.get(pk=staff_b.publish(staff_b.draft(title="乙机构解读2")).document_id)
    draft_doc = Document.objects.get(pk=a_work["draft"].document_id)
    missing = Document.objects.order_by("-pk").first().pk + 1000
    url = reverse("workbench:interpretation", args=[own.pk])
    answers = []
    for policy in (draft_doc.pk, missing):
        resp = login(staff_b.clerk).post(url, {"policy": policy, "form": "text"}, follow=True)
        answers.append([str(m) for m in resp.context["messages"]])
    assert answers[0] == answers[1] and answers[0], answers
    own.refresh_from_db()
    assert own.interpretation_of_id is None


def test_supervisor_of_another_region_reads_nothing(a_work, city):
    other_city = new_org("另一市", "othercity", "city")
    outsider = new_user("gkb_other", other_city, "supervisor")
    c = login(outsider)
    for key in ("draft", "review", "scheduled"):
        assert c.get(reverse("workbench:edition", args=[a_work[key].pk])).status_code == 404, key
        assert c.get(f"/api/v1/staff/editions/{a_work[key].pk}").status_code == 404, key
        att = a_work[key].attachments.get()
        assert c.get(reverse("portal:attachment", args=[att.public_id])).status_code == 404, key
    body = c.get(reverse("workbench:documents")).content.decode()
    assert not any(t in body for t in SECRET_TITLES)
    # The region's own supervisor does read them (the scope is the subtree, not nothing at all).
    inside = login(new_user("gkb_city", city, "supervisor"))
    assert inside.get(reverse("workbench:edition", args=[a_work["review"].pk])).status_code == 200
