"""撤回 needs a leader: staff request it, 主要领导 or 分管领导 of the same org approve or refuse;
a leader may withdraw directly (request and approval in one step). Public effects as before."""

import pytest
from django.test import Client
from django.urls import reverse
from helpers import new_user

from yangguang.core.errors import IllegalTransition, InvalidInput, NotAllowed
from yangguang.core.models import AuditEvent, Notification
from yangguang.core.search import search
from yangguang.publishing import services
from yangguang.publishing.models import Document, WithdrawalRequest
from yangguang.publishing.models.withdrawal import WithdrawalAction, WithdrawalState, next_state
from yangguang.publishing.urlsutil import public_url

pytestmark = pytest.mark.django_db

EXPLANATION = "原通知中的报名时间有误，已另行发布更正通知。"


def login(user) -> Client:
    c = Client()
    c.force_login(user)
    return c


@pytest.fixture
def doc(staff_a):
    edition = staff_a.draft(title="关于举办全市中小学生科技创新大赛的通知")
    return Document.objects.get(pk=staff_a.publish(edition).document_id)


def found(q: str) -> set[int]:
    return {h.document.pk for h in search(q, per_page=100).hits}


def doc_events(doc) -> list[str]:
    return list(AuditEvent.objects.filter(object_type="publishing.document", object_id=str(doc.pk))
                .exclude(action="document.create").order_by("id").values_list("action", flat=True))


def test_clerk_alone_cannot_withdraw(staff_a, doc):
    with pytest.raises(NotAllowed, match="主要领导或分管领导"):
        services.withdraw(doc, staff_a.clerk, EXPLANATION)
    doc.refresh_from_db()
    assert doc.is_public and not WithdrawalRequest.objects.exists() and doc_events(doc) == []


def test_request_then_leader_approves_with_public_effects(staff_a, doc):
    assert found("科技创新大赛") == {doc.pk}
    ask = services.request_withdrawal(doc, staff_a.clerk, f"  {EXPLANATION}\u202e ")
    assert ask.state == WithdrawalState.PENDING and ask.explanation == EXPLANATION  # text hygiene applied
    doc.refresh_from_db()
    assert doc.is_public and found("科技创新大赛") == {doc.pk}  # nothing changes before the approval
    assert Client().get(public_url(doc)).status_code == 200
    # both leaders are told; the requester is not
    assert set(Notification.objects.filter(kind="withdrawal_request").values_list("user_id", flat=True)) == {
        staff_a.deputy.pk, staff_a.principal.pk}

    services.approve_withdrawal(ask, staff_a.principal, "同意撤回")
    doc.refresh_from_db()
    ask.refresh_from_db()
    assert ask.state == WithdrawalState.APPROVED and ask.decided_by == staff_a.principal and not ask.direct
    assert doc.withdrawn_at and doc.withdrawal_explanation == EXPLANATION and doc.index_number
    assert doc.live_edition.state == "withdrawn"
    assert not Document.objects.public().filter(pk=doc.pk).exists() and found("科技创新大赛") == set()
    page = Client().get(public_url(doc)).content.decode()
    assert EXPLANATION in page and doc.index_number in page
    assert doc_events(doc) == ["withdrawal.request", "document.withdraw"]
    event = AuditEvent.objects.get(action="document.withdraw")
    assert event.actor_id == staff_a.principal.pk
    assert event.data["request"] == ask.pk and event.data["requested_by"] == staff_a.clerk.pk
    assert event.data["direct"] is False and event.data["explanation"] == EXPLANATION
    assert Notification.objects.filter(kind="withdrawal_approved", user=staff_a.clerk).count() == 1


def test_refusal_keeps_document_public_and_allows_a_new_request(staff_a, doc):
    ask = services.request_withdrawal(doc, staff_a.clerk, EXPLANATION)
    with pytest.raises(InvalidInput, match="驳回撤回申请须填写理由"):
        services.refuse_withdrawal(ask, staff_a.deputy, "  ")
    services.refuse_withdrawal(ask, staff_a.deputy, "报名时间无误，不予撤回。")
    ask.refresh_from_db()
    doc.refresh_from_db()
    assert ask.state == WithdrawalState.REFUSED and ask.decision_comment == "报名时间无误，不予撤回。"
    assert doc.is_public and not doc.withdrawn_at
    with pytest.raises(IllegalTransition, match="已驳回"):
        services.approve_withdrawal(ask, staff_a.principal)  # a refused request stays refused
    doc.refresh_from_db()
    assert doc.is_public
    refused = AuditEvent.objects.get(action="withdrawal.refuse")
    assert refused.actor_id == staff_a.deputy.pk and refused.data["reason"] == "报名时间无误，不予撤回。"
    assert Notification.objects.filter(kind="withdrawal_refused", user=staff_a.clerk).count() == 1
    again = services.request_withdrawal(doc, staff_a.clerk, "再次申请：通知内容已过时。")
    assert again.state == WithdrawalState.PENDING


def test_who_may_request_and_who_may_decide(staff_a, staff_b, supervisor, doc):
    with pytest.raises(NotAllowed):
        services.request_withdrawal(doc, staff_b.clerk, EXPLANATION)  # another org
    with pytest.raises(NotAllowed):
        services.request_withdrawal(doc, supervisor, EXPLANATION)  # 政务公开办 removes, it does not withdraw
    handler = new_user("a_cb", staff_a.org, "handler")
    with pytest.raises(NotAllowed):
        services.request_withdrawal(doc, handler, EXPLANATION)  # no publishing rights
    ask = services.request_withdrawal(doc, staff_a.section_head, EXPLANATION)  # a reviewer may ask
    for not_leader in (staff_a.clerk, staff_a.section_head, staff_a.secrecy, staff_b.principal, supervisor):
        with pytest.raises(NotAllowed):
            services.approve_withdrawal(ask, not_leader)
        with pytest.raises(NotAllowed):
            services.refuse_withdrawal(ask, not_leader, "不同意")
    doc.refresh_from_db()
    assert doc.is_public and WithdrawalRequest.objects.get().state == WithdrawalState.PENDING
    services.approve_withdrawal(ask, staff_a.deputy)
    doc.refresh_from_db()
    assert not doc.is_public


def test_one_pending_request_and_no_double_approval(staff_a, doc):
    ask = services.request_withdrawal(doc, staff_a.clerk, EXPLANATION)
    with pytest.raises(IllegalTransition, match="待审批的撤回申请"):
        services.request_withdrawal(doc, staff_a.secrecy, "另一份撤回申请说明")
    with pytest.raises(IllegalTransition, match="请直接批准或驳回该申请"):
        services.withdraw(doc, staff_a.principal, "领导想另写一份说明")
    services.approve_withdrawal(ask, staff_a.principal)
    with pytest.raises(IllegalTransition, match="已批准"):
        services.approve_withdrawal(ask, staff_a.deputy)
    with pytest.raises(IllegalTransition):
        services.request_withdrawal(doc, staff_a.clerk, EXPLANATION)  # already withdrawn
    assert AuditEvent.objects.filter(action="document.withdraw").count() == 1


def test_leader_direct_withdrawal_is_request_and_approval_in_one_audited_step(staff_a, doc):
    with pytest.raises(InvalidInput, match="至少5个字"):
        services.withdraw(doc, staff_a.principal, "有误")
    services.withdraw(doc, staff_a.deputy, EXPLANATION)
    doc.refresh_from_db()
    assert doc.withdrawn_at and doc.withdrawal_explanation == EXPLANATION
    ask = WithdrawalRequest.objects.get()
    assert ask.direct and ask.state == WithdrawalState.APPROVED
    assert ask.requested_by == ask.decided_by == staff_a.deputy
    assert doc_events(doc) == ["document.withdraw"]
    data = AuditEvent.objects.get(action="document.withdraw").data
    assert data["direct"] is True and data["request"] == ask.pk


def test_withdrawal_state_table():
    assert next_state(WithdrawalState.PENDING, WithdrawalAction.APPROVE) == WithdrawalState.APPROVED
    assert next_state(WithdrawalState.PENDING, WithdrawalAction.REFUSE) == WithdrawalState.REFUSED
    for state in (WithdrawalState.APPROVED, WithdrawalState.REFUSED):
        for action in WithdrawalAction:
            with pytest.raises(IllegalTransition, match="撤回申请"):
                next_state(state, action)


def test_workbench_request_approve_and_stale_form(staff_a, doc):
    url = reverse("workbench:edition", args=[doc.live_edition_id])
    clerk, leader = login(staff_a.clerk), login(staff_a.principal)
    page = clerk.get(url).content.decode()
    assert "申请撤回" in page and reverse("workbench:withdraw_request", args=[doc.pk]) in page
    assert f'action="{reverse("workbench:withdraw", args=[doc.pk])}"' not in page
    leader_page = leader.get(url).content.decode()
    assert f'action="{reverse("workbench:withdraw", args=[doc.pk])}"' in leader_page  # direct for leaders

    r = clerk.post(reverse("workbench:withdraw", args=[doc.pk]), {"reason": EXPLANATION})
    assert r.status_code == 302
    doc.refresh_from_db()
    assert doc.is_public  # the direct route refuses a clerk
    r = clerk.post(reverse("workbench:withdraw_request", args=[doc.pk]), {"reason": EXPLANATION}, follow=True)
    body = r.content.decode()
    assert "撤回申请已提交" in body and "撤回申请待审批" in body and "等待本机构主要领导或分管领导审批" in body
    assert "批准撤回" not in body  # the clerk cannot decide
    ask = WithdrawalRequest.objects.get()

    page = leader.get(url).content.decode()
    assert "撤回申请待审批" in page and EXPLANATION in page
    assert "批准撤回" in page and "驳回撤回申请" in page
    r = leader.post(reverse("workbench:withdraw_approve", args=[doc.pk]), {"request": ask.pk + 1, "reason": ""},
                    follow=True)
    assert "该撤回申请已被处理或已变更" in r.content.decode()
    doc.refresh_from_db()
    assert doc.is_public
    r = leader.post(reverse("workbench:withdraw_approve", args=[doc.pk]), {"request": ask.pk, "reason": "同意"},
                    follow=True)
    assert "已批准撤回" in r.content.decode()
    doc.refresh_from_db()
    assert doc.withdrawn_at and doc.withdrawal_explanation == EXPLANATION
    history = leader.get(url).content.decode()
    assert "申请撤回" in history and "批准撤回" in history


def test_workbench_refuse(staff_a, doc):
    ask = services.request_withdrawal(doc, staff_a.clerk, EXPLANATION)
    leader = login(staff_a.deputy)
    r = leader.post(reverse("workbench:withdraw_refuse", args=[doc.pk]), {"request": ask.pk, "reason": "不同意撤回"},
                    follow=True)
    assert "已驳回撤回申请" in r.content.decode()
    ask.refresh_from_db()
    doc.refresh_from_db()
    assert ask.state == WithdrawalState.REFUSED and doc.is_public
