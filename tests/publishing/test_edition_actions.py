"""One answer to "what may this user do with this edition" (issue #16): the workbench page's buttons
and the staff API's ``actions`` come from ``services.actions.edition_actions``, built from the
permission questions, so they agree with each other and with what the services accept."""

import pytest
from django.test import Client
from django.urls import reverse
from helpers import new_user

from yangguang.core.errors import NotAllowed
from yangguang.core.models import AuditEvent
from yangguang.publishing import services
from yangguang.publishing.models import Edition
from yangguang.publishing.services.publication import publish_generated

pytestmark = pytest.mark.django_db

# action → the URL name of the form the page shows for it (on the edition, or on its document)
BUTTONS = {
    "submit": ("workbench:submit", "edition"), "review": ("workbench:approve", "edition"),
    "urgent": ("workbench:urgent", "edition"), "new_edition": ("workbench:new_edition", "doc"),
    "retro": ("workbench:retro", "doc"), "withdraw": ("workbench:withdraw", "doc"),
    "request_withdrawal": ("workbench:withdraw_request", "doc"),
    "decide_withdrawal": ("workbench:withdraw_approve", "doc"),
}


def login(user) -> Client:
    c = Client()
    c.force_login(user)
    return c


def page_offers(user, edition) -> set[str]:
    html = login(user).get(reverse("workbench:edition", args=[edition.pk])).content.decode()
    offered = set()
    for action, (name, on) in BUTTONS.items():
        if f'action="{reverse(name, args=[edition.pk if on == "edition" else edition.document_id])}"' in html:
            offered.add(action)
    if f'action="{reverse("workbench:edit", args=[edition.pk])}"' in html:
        offered.add("edit")
    return offered


def api_actions(user, edition) -> set[str]:
    r = login(user).get(f"/api/v1/staff/editions/{edition.pk}")
    assert r.status_code == 200
    return set(r.json()["actions"])


@pytest.fixture
def people(staff_a, supervisor):
    return {
        "clerk": staff_a.clerk, "section_head": staff_a.section_head, "deputy": staff_a.deputy,
        "principal": staff_a.principal, "urgent_only": new_user("a_urgent", staff_a.org, "urgent"),
        "supervisor": supervisor,
    }


def test_page_and_api_offer_the_same_actions(staff_a, people):
    draft = staff_a.draft()
    submitted = services.submit(staff_a.draft(title="关于开展2026年春季学期安全检查的通知"), staff_a.clerk)
    live = staff_a.publish(staff_a.draft(title="关于公布2026年义务教育学校名单的通知"))
    seen = set()
    for edition in (draft, submitted, live):
        edition = Edition.objects.get(pk=edition.pk)
        for label, user in people.items():
            api = api_actions(user, edition)
            assert page_offers(user, edition) == api, (label, edition.state)
            seen |= api
    # the comparison covered real buttons, not only empty sets
    assert {"edit", "submit", "review", "urgent", "new_edition", "withdraw", "request_withdrawal"} <= seen


def test_drafting_buttons_follow_the_service_rule(staff_a, people):
    """紧急发布权 without 信息员 may draft and submit (the service's can_draft): the page offers it."""
    user = people["urgent_only"]
    edition = staff_a.draft()
    assert {"edit", "submit", "urgent"} <= page_offers(user, edition)
    services.submit(edition, user)  # the service agrees
    edition.refresh_from_db()
    assert edition.state == "submitted"


def test_supervisor_reads_but_is_offered_nothing(staff_a, people):
    edition = staff_a.draft()
    assert api_actions(people["supervisor"], edition) == set()
    assert page_offers(people["supervisor"], edition) == set()


def test_publish_generated_needs_a_leader_and_marks_the_register_event(staff_a, people):
    column = staff_a.column()
    fields = {"title": "系统生成的文件", "topic": "02", "genre": "other_doc", "body": "<p>正文。</p>"}
    for label in ("clerk", "section_head", "supervisor"):
        with pytest.raises(NotAllowed):
            publish_generated(column, people[label], fields, source="test:1")
    edition = publish_generated(column, people["deputy"], fields, source="test:1")
    assert edition.state == "published" and edition.document.is_public
    event = AuditEvent.objects.get(action="edition.publish", data__document=edition.document_id)
    assert event.data["generated_from"] == "test:1" and event.actor_id == people["deputy"].pk
    again = publish_generated(column, people["principal"], {**fields, "change_note": "更正"}, source="test:2",
                              document=edition.document)
    assert again.document_id == edition.document_id and again.number == 2 and again.change_kind == "major"
