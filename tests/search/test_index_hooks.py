"""Only public documents are ever in the index; its outbox row is written in the same
transaction as the publication state, and a search never shows what is no longer public."""

from datetime import timedelta

import pytest
from django.db import transaction
from django.utils import timezone

from yangguang.core.search import search, tantivy_index
from yangguang.core.search.models import SearchChange
from yangguang.publishing import services
from yangguang.publishing.models import Document

pytestmark = pytest.mark.django_db


def found(q: str) -> set[int]:
    return {h.document.pk for h in search(q, per_page=100).hits}


def test_publish_makes_it_findable(publish):
    doc = publish("jyj", "关于做好2026年义务教育招生入学工作的通知", "各县（区）教育局：免试就近入学。")
    assert found("义务教育 招生") == {doc.pk}
    assert found("免试就近入学") == {doc.pk}
    assert found("测试市教育局") == {doc.pk}  # the org name is indexed (meta column)


def test_draft_review_and_scheduled_are_never_indexed(staff_a):
    draft = staff_a.draft(title="草稿中的义务教育招生通知")
    submitted = services.submit(staff_a.draft(title="待审中的义务教育招生通知"), staff_a.clerk)
    services.approve(submitted, staff_a.section_head, "同意")
    later = timezone.now() + timedelta(days=2)
    scheduled = staff_a.draft(title="定时发布的义务教育招生通知", scheduled_at=later)
    scheduled = staff_a.publish(scheduled)
    assert scheduled.state == "scheduled"
    assert found("义务教育 招生") == set()
    assert not SearchChange.objects.filter(op="index").exists() and tantivy_index.snapshot().documents == 0
    # When the time comes it goes live, and only then is found.
    from yangguang.publishing.services.publication import publish_due

    assert publish_due(now=later + timedelta(minutes=1)) == 1
    assert found("义务教育 招生") == {scheduled.document_id}
    assert draft.document_id not in found("草稿")


def test_withdraw_removes_it_in_the_same_transaction(publish, staff_a, settings):
    doc = publish("jyj", "关于举办2026年全市中小学生科技创新大赛的通知")
    assert found("科技创新大赛") == {doc.pk}
    settings.SEARCH_INDEX_SYNC = False  # the worker has not run yet
    with transaction.atomic():
        services.withdraw(doc, staff_a.principal, "报名时间有误，已另行发布更正通知。")
        # inside the very transaction that withdrew it, it is already gone (its removal is pending)
        assert SearchChange.objects.filter(document_id=doc.pk, op="remove", applied_in__isnull=True).exists()
        assert found("科技创新大赛") == set()
    assert found("科技创新大赛") == set()
    settings.SEARCH_INDEX_SYNC = True
    assert found("科技创新大赛") == set() and tantivy_index.snapshot().documents == 0


def test_withdraw_rolled_back_keeps_it(publish, staff_a):
    doc = publish("jyj", "关于举办2026年全市中小学生科技创新大赛的通知")
    with pytest.raises(RuntimeError), transaction.atomic():
        services.withdraw(doc, staff_a.principal, "报名时间有误，已另行发布更正通知。")
        raise RuntimeError("the caller fails after the withdrawal")
    assert found("科技创新大赛") == {doc.pk}


def test_remove_takes_it_out(publish, supervisor):
    doc = publish("mzj", "关于调整城乡最低生活保障标准的通知")
    assert found("最低生活保障") == {doc.pk}
    services.remove_document(doc, supervisor, "含有不应公开的内容")
    assert found("最低生活保障") == set()


def test_new_edition_replaces_the_old_text(publish, staff_a):
    doc = publish("jyj", "明溪市中小学校课后服务管理办法", "课后服务坚持自愿原则。")
    second = services.start_new_edition(doc, staff_a.clerk)
    second = services.update_draft(second, staff_a.clerk, {
        "title": "明溪市中小学校托管服务管理办法", "body": "托管服务实行弹性离校。",
        "change_kind": "major", "change_note": "名称改为托管服务。"})
    assert found("课后服务") == {doc.pk}  # the new edition is not live yet
    assert found("弹性离校") == set()
    staff_a.publish(second)
    assert found("弹性离校") == {doc.pk}
    assert found("课后服务") == set()
    assert tantivy_index.snapshot().documents == 1


def test_attachment_text_is_searchable(staff_a):
    import io

    import docx

    edition = staff_a.draft(title="关于公布2026年校外培训机构名单的公告")
    buf = io.BytesIO()
    d = docx.Document()
    d.add_paragraph("星光艺术培训学校 办学许可证编号")
    d.save(buf)
    services.add_attachment(edition, staff_a.clerk, "名单.docx", buf.getvalue())
    doc = Document.objects.get(pk=staff_a.publish(edition).document_id)
    assert found("星光艺术培训学校") == {doc.pk}


def test_applying_a_change_again_gives_the_same_index(publish):
    """A worker killed between the index commit and marking its rows applies them again."""
    doc = publish("jyj", "关于加强中小学生心理健康教育工作的实施意见")
    assert found("心理健康") == {doc.pk}
    SearchChange.objects.update(applied_in=None)
    assert found("心理健康") == {doc.pk} and tantivy_index.snapshot().documents == 1
    from yangguang.core.search import index_document

    index_document(Document.objects.select_related("live_edition", "org").get(pk=doc.pk))
    assert found("心理健康") == {doc.pk} and tantivy_index.snapshot().documents == 1
