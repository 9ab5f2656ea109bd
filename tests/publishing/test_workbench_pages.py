import pytest
from django.test import Client
from django.urls import reverse

from yangguang.publishing.models import Document, Edition

pytestmark = pytest.mark.django_db


def client_for(user) -> Client:
    c = Client()
    c.force_login(user)
    return c


def test_create_form_errors_in_chinese_nothing_saved(staff_a):
    c = client_for(staff_a.clerk)
    r = c.post(reverse("workbench:create"), {"title": "", "written_date": "2026-02-30", "topic": "02",
                                              "genre": "notice", "validity": "valid"})
    body = r.content.decode()
    assert r.status_code == 200
    assert "标题不能为空" in body and "请选择栏目" in body
    assert not Document.objects.exists()


def test_create_and_detail_show_highlighted_findings(staff_a):
    c = client_for(staff_a.clerk)
    column = staff_a.column()
    r = c.post(reverse("workbench:create"), {
        "title": "关于征集意见的通知", "column": column.pk, "topic": "02", "genre": "notice", "validity": "valid",
        "body": "联系人：张三，电话：13812345678，邮箱 zhangsan@example.com。",
    })
    assert r.status_code == 302
    assert Edition.objects.count() == 1
    page = c.get(r["Location"]).content.decode()
    assert "<mark" in page and "13812345678" in page


def test_live_screening_endpoint(staff_a):
    c = client_for(staff_a.clerk)
    r = c.post(reverse("workbench:screen"), {"title": "标题", "body": "秘密★5年\n正文"})
    assert r.status_code == 200 and "阻断" in r.content.decode()
    r = c.post(reverse("workbench:screen"), {"title": "标题", "body": "普通正文，没有问题。"})
    assert "阻断" not in r.content.decode()


def test_upload_through_view_refuses_disguised_file(staff_a):
    c = client_for(staff_a.clerk)
    edition = staff_a.draft()
    from django.core.files.uploadedfile import SimpleUploadedFile

    f = SimpleUploadedFile("报告.pdf", b"<!DOCTYPE html><html><body>x</body></html>", content_type="application/pdf")
    r = c.post(reverse("workbench:upload", args=[edition.pk]), {"file": f}, follow=True)
    assert "未能上传" in r.content.decode()
    assert not edition.attachments.exists()


def test_home_shows_queue_for_reviewer(staff_a):
    from yangguang.publishing import services

    services.submit(staff_a.draft(title="待审的通知"), staff_a.clerk)
    assert "待审的通知" in client_for(staff_a.section_head).get("/workbench/").content.decode()
    assert "待审的通知" not in client_for(staff_a.secrecy).get("/workbench/").content.decode()


def test_catalog_lists_columns_and_unpublished_documents(staff_a):
    staff_a.draft(title="尚未发布的草稿")
    staff_a.publish(staff_a.draft(title="已经发布的通知"))
    page = client_for(staff_a.clerk).get(reverse("workbench:catalog")).content.decode()
    assert "尚未发布的草稿" in page and "已经发布的通知" in page and "通知公告" in page
