import re
from datetime import timedelta

import pytest
from django.utils import timezone

from yangguang.core.errors import IllegalTransition, InvalidInput, NotAllowed, ServiceError
from yangguang.core.models import AuditEvent
from yangguang.publishing import services
from yangguang.publishing.models import Document, Edition
from yangguang.publishing.services.review import review_queue
from yangguang.publishing.workflow import TRANSITIONS, Action, State, next_state

pytestmark = pytest.mark.django_db


def test_full_chain_publishes_with_index_number(staff_a):
    edition = staff_a.draft()
    assert edition.state == State.DRAFT
    edition = services.submit(edition, staff_a.clerk)
    assert (edition.state, edition.level) == (State.SUBMITTED, 1)
    for level, reviewer in enumerate(staff_a.chain, start=1):
        assert edition.level == level
        edition = services.approve(edition, reviewer, "同意")
    doc = Document.objects.get(pk=edition.document_id)
    assert edition.state == State.PUBLISHED
    assert doc.live_edition_id == edition.pk and doc.is_public
    year = timezone.localdate().year
    assert doc.index_number == f"{staff_a.org.code}/{year}-00001"
    assert re.fullmatch(r"[0-9A-Z]{18}/\d{4}-\d{5}", doc.index_number)
    actions = list(AuditEvent.objects.filter(object_id=str(edition.pk), object_type="publishing.edition")
                   .values_list("action", flat=True))
    assert actions == ["edition.submit"] + ["edition.approve"] * 4 + ["edition.publish"]


def test_serials_count_per_org_and_never_reuse(staff_a, staff_b):
    a1 = Document.objects.get(pk=staff_a.publish(staff_a.draft()).document_id)
    discarded = staff_a.draft(title="作废的草稿")
    services.discard_draft(discarded, staff_a.clerk)
    a2 = Document.objects.get(pk=staff_a.publish(staff_a.draft(title="第二份")).document_id)
    b1 = Document.objects.get(pk=staff_b.publish(staff_b.draft()).document_id)
    assert (a1.index_serial, a2.index_serial, b1.index_serial) == (1, 2, 1)
    services.withdraw(a2, staff_a.principal, "该信息内容已过时，予以撤回。")
    a3 = Document.objects.get(pk=staff_a.publish(staff_a.draft(title="第三份")).document_id)
    assert a3.index_serial == 3  # a withdrawn document keeps its serial


def test_return_goes_back_to_author_with_reason(staff_a):
    edition = services.submit(staff_a.draft(), staff_a.clerk)
    edition = services.approve(edition, staff_a.section_head)
    with pytest.raises(InvalidInput):
        services.return_edition(edition, staff_a.secrecy, "  ")
    edition = services.return_edition(edition, staff_a.secrecy, "附件中有个人信息，请删除后再报")
    assert edition.state == State.RETURNED and edition.return_reason.startswith("附件中")
    edition = services.update_draft(edition, staff_a.clerk, {"title": "修改后的标题"})
    edition = services.submit(edition, staff_a.clerk)
    assert edition.level == 1  # a resubmission starts the chain again


def test_wrong_reviewer_and_self_review_refused(staff_a):
    edition = services.submit(staff_a.draft(), staff_a.clerk)
    with pytest.raises(NotAllowed):
        services.approve(edition, staff_a.secrecy)  # level 2 reviewer at level 1
    with pytest.raises(NotAllowed):
        services.approve(edition, staff_a.clerk)


def test_illegal_transitions_are_clear_errors(staff_a):
    edition = staff_a.draft()
    with pytest.raises(IllegalTransition, match="草稿"):
        services.approve(edition, staff_a.section_head)
    published = staff_a.publish(staff_a.draft(title="已发布"))
    with pytest.raises(IllegalTransition):
        services.submit(published, staff_a.clerk)
    with pytest.raises(IllegalTransition):
        services.update_draft(published, staff_a.clerk, {"title": "直接改已发布的"})
    # The table is the single place: every pair outside it is refused.
    for state in State.values:
        for action in Action.values:
            if (state, action) not in TRANSITIONS:
                with pytest.raises(IllegalTransition):
                    next_state(state, action)


def test_blocking_finding_cannot_be_approved_by_any_path(staff_a):
    edition = staff_a.draft(body="机密★1年\n本通知仅供内部使用。")
    assert edition.findings.filter(severity="blocking").exists()
    edition = services.submit(edition, staff_a.clerk)
    with pytest.raises(ServiceError, match="阻断"):
        services.approve(edition, staff_a.section_head)
    finding = edition.findings.get(severity="blocking")
    with pytest.raises(NotAllowed):
        services.accept_finding(finding, staff_a.section_head, "我认为没问题")
    returned = services.return_edition(edition, staff_a.section_head, "含密级标志")
    with pytest.raises(ServiceError, match="阻断"):
        services.urgent_publish(returned, staff_a.principal, "紧急")
    assert not Document.objects.get(pk=edition.document_id).is_public


def test_blocking_finding_in_attachment_stops_approval(staff_a):
    from helpers import valid_id

    edition = staff_a.draft()
    text = f"申请人身份证号：{valid_id('11010519491231002')}\n".encode()
    services.add_attachment(edition, staff_a.clerk, "名单.txt", text)
    edition = services.submit(edition, staff_a.clerk)
    assert edition.findings.filter(kind="id_card", source__startswith="attachment:").exists()
    with pytest.raises(ServiceError):
        services.approve(edition, staff_a.section_head)


def test_warning_must_be_accepted_with_reason_before_final_approval(staff_a):
    edition = staff_a.draft(body="咨询电话：13812345678。")
    edition = services.submit(edition, staff_a.clerk)
    for reviewer in staff_a.chain[:-1]:
        edition = services.approve(edition, reviewer)
    with pytest.raises(ServiceError, match="警告"):
        services.approve(edition, staff_a.principal)
    warning = edition.findings.get(kind="mobile")
    with pytest.raises(InvalidInput):
        services.accept_finding(warning, staff_a.principal, "")
    services.accept_finding(warning, staff_a.principal, "该号码为单位公开咨询电话")
    edition = services.approve(edition, staff_a.principal)
    assert edition.state == State.PUBLISHED


def test_new_edition_keeps_live_until_published(staff_a):
    first = staff_a.publish(staff_a.draft(title="原标题"))
    doc = Document.objects.get(pk=first.document_id)
    second = services.start_new_edition(doc, staff_a.clerk)
    with pytest.raises(IllegalTransition):
        services.start_new_edition(doc, staff_a.clerk)
    with pytest.raises(InvalidInput):  # the change kind is required for later editions
        services.update_draft(second, staff_a.clerk, {"title": "新标题"})
    second = services.update_draft(second, staff_a.clerk, {"title": "新标题", "change_kind": "major",
                                                            "change_note": "调整了申报时间"})
    services.submit(second, staff_a.clerk)
    doc.refresh_from_db()
    assert doc.live_edition_id == first.pk
    for reviewer in staff_a.chain:
        second = services.approve(second, reviewer)
    doc.refresh_from_db()
    first.refresh_from_db()
    assert doc.live_edition_id == second.pk and first.state == State.SUPERSEDED
    assert second.published_date == first.published_date  # 发布日期 stays; the update shows its own date
    assert doc.index_serial == 1


def test_withdraw_needs_public_explanation_and_a_leader(staff_a):
    doc = Document.objects.get(pk=staff_a.publish(staff_a.draft()).document_id)
    with pytest.raises(InvalidInput):
        services.request_withdrawal(doc, staff_a.clerk, "")
    with pytest.raises(NotAllowed):
        services.withdraw(doc, staff_a.clerk, "该通知已被新通知替代。")  # a clerk alone cannot withdraw
    ask = services.request_withdrawal(doc, staff_a.clerk, "该通知已被新通知替代。")
    doc.refresh_from_db()
    assert doc.is_public  # still public until a leader approves
    services.approve_withdrawal(ask, staff_a.deputy)
    doc.refresh_from_db()
    assert doc.withdrawn_at and not doc.is_public and doc.index_number
    assert doc.withdrawal_explanation == "该通知已被新通知替代。"
    assert not Document.objects.public().filter(pk=doc.pk).exists()
    with pytest.raises(IllegalTransition):
        services.withdraw(doc, staff_a.principal, "再撤回一次试试")


def test_scheduled_publication(staff_a):
    later = timezone.now() + timedelta(hours=2)
    edition = staff_a.publish(staff_a.draft(scheduled_at=later))
    assert edition.state == State.SCHEDULED
    doc = Document.objects.get(pk=edition.document_id)
    assert not doc.is_public and doc.index_number is None
    assert services.publish_due(now=timezone.now()) == 0
    assert services.publish_due(now=later + timedelta(minutes=1)) == 1
    assert services.publish_due(now=later + timedelta(minutes=2)) == 0  # safe to run twice
    doc.refresh_from_db()
    assert doc.is_public and doc.index_number


def test_urgent_publish_lands_in_retro_queue(staff_a):
    edition = staff_a.draft()
    with pytest.raises(NotAllowed):
        services.urgent_publish(edition, staff_a.clerk, "紧急")
    with pytest.raises(InvalidInput):
        services.urgent_publish(edition, staff_a.principal, "")
    edition = services.urgent_publish(edition, staff_a.principal, "防汛预警须立即发布")
    doc = Document.objects.get(pk=edition.document_id)
    assert doc.is_public and doc.retro_review_pending
    services.complete_retro_review(doc, staff_a.principal, "已复核")
    doc.refresh_from_db()
    assert not doc.retro_review_pending


def test_review_queue_oldest_first_and_only_my_level(staff_a):
    e1 = services.submit(staff_a.draft(title="一"), staff_a.clerk)
    e2 = services.submit(staff_a.draft(title="二"), staff_a.clerk)
    Edition.objects.filter(pk=e2.pk).update(submitted_at=e1.submitted_at - timedelta(hours=1))
    assert [e.title for e in review_queue(staff_a.section_head)] == ["二", "一"]
    assert review_queue(staff_a.secrecy) == []
    services.approve(e1, staff_a.section_head)
    assert [e.title for e in review_queue(staff_a.secrecy)] == ["一"]


def test_empty_title_and_broken_dates_refused_with_nothing_written(staff_a):
    before = (Document.objects.count(), AuditEvent.objects.count())
    with pytest.raises(InvalidInput) as exc:
        staff_a.draft(title="  ", written_date=timezone.localdate() + timedelta(days=3))
    assert "标题不能为空。" in exc.value.details
    assert any("成文日期" in d for d in exc.value.details)
    with pytest.raises(InvalidInput):
        staff_a.draft(validity="abolished")
    assert (Document.objects.count(), AuditEvent.objects.count()) == before


def test_body_is_sanitised(staff_a):
    edition = staff_a.draft(body='<p onclick="x()">正文</p><script>alert(1)</script><a href="javascript:x">链接</a>')
    assert "<script" not in edition.body and "onclick" not in edition.body and "javascript:" not in edition.body
    assert "正文" in edition.body_text


def test_interpretation_links_both_ways(staff_a):
    policy = Document.objects.get(pk=staff_a.publish(staff_a.draft(title="政策", column="zcwj", genre="normative")).document_id)
    interp = staff_a.draft(title="《政策》解读", column="zcjd", genre="interpretation")
    services.link_interpretation(interp.document, policy, "text", staff_a.clerk)
    assert list(policy.interpretations.all()) == [interp.document]
    assert interp.document.interpretation_of == policy
