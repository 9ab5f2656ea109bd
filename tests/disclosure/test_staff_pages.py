from datetime import date

import pytest
from django.test import Client
from django.urls import reverse
from helpers import new_user

from yangguang.core.models import AuditEvent
from yangguang.disclosure import services

pytestmark = pytest.mark.django_db
ID = "110101199003071233"


def client_for(user) -> Client:
    c = Client()
    c.force_login(user)
    return c


@pytest.fixture
def office(city):
    return new_user("s_gkb", city, "supervisor")


@pytest.fixture
def app(city):
    return services.register(city, {
        "applicant_type": "natural", "applicant_name": "张小三", "id_number": ID, "contact_phone": "13812345678",
        "description": "某路段拓宽工程的批复文件", "channel": "online", "received_date": date(2025, 9, 26),
    })


def test_list_and_detail_with_clock_explanation(office, app):
    c = client_for(office)
    page = c.get(reverse("applications:list")).content.decode()
    assert app.number in page and "张小三" in page and ID not in page  # the office handles it: full name
    detail = c.get(reverse("applications:detail", args=[app.pk])).content.decode()
    assert "2025-10-30" in detail and "条例第33条第二款" in detail
    assert ID not in detail and "110***********1233" in detail


def test_reveal_id_is_logged_and_only_for_case_staff(city, office, app, org_b):
    before = AuditEvent.objects.filter(action="application.view_id").count()
    r = client_for(office).post(reverse("applications:reveal_id", args=[app.pk]))
    assert ID in r.content.decode()
    assert AuditEvent.objects.filter(action="application.view_id").count() == before + 1
    colleague = new_user("city_clerk", city, "clerk")  # same org, not handling applications
    assert client_for(colleague).post(reverse("applications:reveal_id", args=[app.pk])).status_code == 404
    colleague_page = client_for(colleague).get(reverse("applications:detail", args=[app.pk])).content.decode()
    assert ID not in colleague_page and "张小三" not in colleague_page and "张*三" in colleague_page
    outsider = new_user("b_handler", org_b, "handler")
    assert client_for(outsider).get(reverse("applications:detail", args=[app.pk])).status_code == 404
    assert app.number not in client_for(outsider).get(reverse("applications:list")).content.decode()


def test_actions_through_the_page(office, app, org_a):
    c = client_for(office)
    c.post(reverse("applications:act", args=[app.pk, "accept"]))
    c.post(reverse("applications:act", args=[app.pk, "assign"]), {"department": org_a.pk})
    handler = new_user("a_handler", org_a, "handler")
    h = client_for(handler)
    assert h.get(reverse("applications:detail", args=[app.pk])).status_code == 200
    r = h.post(reverse("applications:act", args=[app.pk, "reply"]),
               {"reply_type": "published", "outcome": "3.1", "on": "2025-10-10"}, follow=True)
    assert "不一致" in r.content.decode()
    h.post(reverse("applications:act", args=[app.pk, "reply"]),
           {"reply_type": "partial", "outcome": "2", "on": "2025-10-10", "reason": "涉及个人隐私的部分不予公开。", "backdate_reason": "补录",
            "confirm": "1"})
    app.refresh_from_db()
    assert app.state == "closed" and app.outcome == "2"


def test_register_letter_with_real_receipt_date(office):
    c = client_for(office)
    r = c.post(reverse("applications:register"), {
        "channel": "registered_mail", "received_date": "2025-09-30", "applicant_type": "business",
        "applicant_name": "某某有限公司", "contact_phone": "0871-1234567", "description": "招标文件",
    })
    assert r.status_code == 302
    bad = c.post(reverse("applications:register"), {"channel": "registered_mail", "received_date": "2999-01-01",
                                                    "applicant_type": "business", "applicant_name": "x",
                                                    "description": "y", "contact_phone": "1"})
    assert "不能晚于今天" in bad.content.decode()


def test_proof_files_private_and_logged(city, office, app, settings, tmp_path):
    from django.core.files.uploadedfile import SimpleUploadedFile

    settings.PRIVATE_STORAGE_DIR = tmp_path
    png = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64
    c = client_for(office)
    c.post(reverse("applications:upload_proof", args=[app.pk]), {"file": SimpleUploadedFile("id.png", png)})
    proof = app.proof_files.get()
    assert (tmp_path / "applications" / proof.stored_name).exists()
    r = c.get(reverse("applications:proof_file", args=[app.pk, proof.pk]))
    assert r.status_code == 200 and b"".join(r.streaming_content) == png
    assert AuditEvent.objects.filter(action="application.proof_view").count() == 1
    colleague = new_user("city_clerk2", city, "clerk")
    assert client_for(colleague).get(reverse("applications:proof_file", args=[app.pk, proof.pk])).status_code == 404
    bad = c.post(reverse("applications:upload_proof", args=[app.pk]),
                 {"file": SimpleUploadedFile("id.png", b"<html><script>x</script></html>")}, follow=True)
    assert "未能上传" in bad.content.decode() and app.proof_files.count() == 1


def test_remedy_recorded_from_the_page(office, app):
    c = client_for(office)
    c.post(reverse("applications:act", args=[app.pk, "remedy"]),
           {"kind": "reconsideration", "on": "2025-11-20", "result": "corrected", "result_date": "2025-12-30"})
    remedy = app.remedies.get()
    assert (remedy.kind, remedy.result, str(remedy.result_date)) == ("reconsideration", "corrected", "2025-12-30")
    assert "行政复议" in c.get(reverse("applications:detail", args=[app.pk])).content.decode()


def test_published_reply_and_article_35_from_the_page(office, app, staff_a):
    from yangguang.publishing.models import Document

    c = client_for(office)
    c.post(reverse("applications:act", args=[app.pk, "article35"]),
           {"on": "2025-10-09", "new_due": "2025-12-31", "reason": "申请数量明显超过合理范围"})
    assert services.clock_of(app).due == date(2025, 12, 31)
    doc = Document.objects.get(pk=staff_a.publish(staff_a.draft(title="已公开的通知")).document_id)
    c.post(reverse("applications:act", args=[app.pk, "accept"]))
    r = c.post(reverse("applications:act", args=[app.pk, "reply"]),
               {"reply_type": "published", "outcome": "1", "on": "2025-10-10", "index_number": "不存在"}, follow=True)
    assert "正在公开的文件" in r.content.decode()
    c.post(reverse("applications:act", args=[app.pk, "reply"]),
           {"reply_type": "published", "outcome": "1", "on": "2025-10-10", "index_number": doc.index_number, "backdate_reason": "补录",
            "confirm": "1"})
    app.refresh_from_db()
    assert app.state == "closed" and app.published_document_id == doc.pk
