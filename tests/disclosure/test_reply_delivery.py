"""A reply that delivers (issue #14 "The reply is hollow"): the released information is attached to
the reply, read and screened like a publication attachment, listed on the 答复书, fixed once the
reply is given, and downloaded by the applicant from the status page after verifying with the
tracking code and contact."""

import io
import time
from datetime import date

import docx
import pytest
from django.core.cache import caches
from django.test import Client, override_settings
from django.urls import reverse
from django_tasks_db.models import DBTaskResult
from helpers import new_user, valid_id

from yangguang.core import extract
from yangguang.core.errors import IllegalTransition, InvalidInput, NotAllowed
from yangguang.core.models import AuditEvent, Notification
from yangguang.disclosure import services
from yangguang.disclosure.models import Letter, ReplyFile

pytestmark = pytest.mark.django_db

PHONE = "13812345678"
LOCMEM = {
    "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "reply-default"},
    "ratelimit": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "reply-ratelimit"},
}


@pytest.fixture(autouse=True)
def _private(settings, tmp_path):
    settings.PRIVATE_STORAGE_DIR = tmp_path
    with override_settings(CACHES=LOCMEM):
        caches["ratelimit"].clear()
        yield


def docx_bytes(text: str) -> bytes:
    d = docx.Document()
    d.add_paragraph(text)
    buf = io.BytesIO()
    d.save(buf)
    return buf.getvalue()


@pytest.fixture
def office(city):
    return new_user("rd_gkb", city, "supervisor")


@pytest.fixture
def handler(org_a):
    return new_user("rd_cb", org_a, "handler")


@pytest.fixture
def app(city, office, org_a, handler):
    a = services.register(city, {
        "applicant_type": "natural", "applicant_name": "张小三", "contact_phone": PHONE,
        "description": "2025年本市义务教育阶段学校招生计划", "channel": "online", "received_date": date(2025, 9, 26),
    })
    return services.assign(services.accept(a, office), office, org_a, handler)


def test_released_file_is_stored_privately_listed_on_the_letter_and_downloaded_with_the_code(app, handler, tmp_path):
    data = docx_bytes("2025年招生计划：初中招生3200人。")
    f = services.add_reply_file(app, handler, "招生计划.docx", data)
    assert (f.text_state, f.warnings) == ("ready", [])
    stored = tmp_path / "replies" / f.stored_name
    assert stored.read_bytes() == data and f.stored_name not in f.original_name
    assert AuditEvent.objects.filter(action="application.reply_file_add", object_id=str(app.pk)).count() == 1

    # the applicant sees nothing before the reply
    applicant = Client()
    r = applicant.post(reverse("apply:track"), {"code": app.tracking_code, "contact": PHONE})
    assert r.status_code == 302
    assert applicant.get(reverse("apply:reply_file", args=[app.pk, f.pk])).status_code == 404

    app = services.reply(app, handler, reply_type="disclose", outcome="1", on=date(2025, 10, 20), backdate_reason="补录")
    letter = app.letters.get(kind=Letter.Kind.REPLY)
    assert "现予以提供（见附件）" in letter.text and "附件：1. 招生计划.docx" in letter.text
    reply_event = AuditEvent.objects.get(action="application.reply", object_id=str(app.pk))
    assert reply_event.data["files"] == [{"file": f.pk, "name": "招生计划.docx", "sha256": f.sha256}]
    assert reply_event.data["letter"]["number"] == letter.number

    status = applicant.get(reverse("apply:status", args=[app.pk])).content.decode()
    link = reverse("apply:reply_file", args=[app.pk, f.pk])
    assert link in status and "招生计划.docx" in status
    r = applicant.get(link)
    assert r.status_code == 200 and b"".join(r.streaming_content) == data
    assert "no-store" in r["Cache-Control"] and "private" in r["Cache-Control"]
    assert "attachment" in r["Content-Disposition"]
    assert AuditEvent.objects.filter(action="application.reply_file_download", object_id=str(app.pk)).count() == 1
    # someone with the link but not verified in their session gets nothing
    assert Client().get(link).status_code == 404

    # fixed once the reply is given
    with pytest.raises(IllegalTransition):
        services.add_reply_file(app, handler, "补充.docx", data)
    with pytest.raises(IllegalTransition):
        services.remove_reply_file(f, handler)


def test_blocking_finding_refuses_the_file_and_warnings_must_be_checked(app, handler, tmp_path):
    person_id = valid_id("53010219880315123")
    with pytest.raises(InvalidInput) as refused:
        services.add_reply_file(app, handler, "名单.txt", f"张三 身份证号 {person_id}".encode())
    assert "不得公开" in refused.value.message and "居民身份证号" in " ".join(refused.value.details)
    assert person_id not in " ".join(refused.value.details)  # masked
    folder = tmp_path / "replies"
    assert not app.reply_files.exists() and not (folder.exists() and list(folder.iterdir()))

    with pytest.raises(InvalidInput, match="未能上传"):
        services.add_reply_file(app, handler, "页面.txt", b"<html><script>alert(1)</script></html>")

    f = services.add_reply_file(app, handler, "联系表.txt", "联系电话：13912345678".encode())
    assert f.text_state == "ready" and [w["label"] for w in f.warnings] == ["手机号码"]
    assert "13912345678" not in str(f.warnings)
    with pytest.raises(InvalidInput, match="核实"):
        services.reply(app, handler, reply_type="disclose", outcome="1", on=date(2025, 10, 20), backdate_reason="补录")
    app = services.reply(app, handler, reply_type="disclose", outcome="1", on=date(2025, 10, 20), files_checked=True, backdate_reason="补录")
    assert app.state == "closed"
    assert AuditEvent.objects.get(action="application.reply", object_id=str(app.pk)).data["files_checked"] is True


def test_only_delivering_replies_carry_files_and_only_case_staff_attach(app, handler, org_b):
    f = services.add_reply_file(app, handler, "表.txt", "统计表".encode())
    with pytest.raises(InvalidInput, match="请先删除答复附件"):
        services.reply(app, handler, reply_type="refuse", outcome="3.6", on=date(2025, 10, 20), reason="属于过程性信息。", backdate_reason="补录")
    outsider = new_user("rd_out", org_b, "handler")
    with pytest.raises(NotAllowed):
        services.add_reply_file(app, outsider, "表.txt", b"x")
    with pytest.raises(NotAllowed):
        services.remove_reply_file(f, outsider)
    services.remove_reply_file(f, handler)
    assert not app.reply_files.exists()
    app = services.reply(app, handler, reply_type="refuse", outcome="3.6", on=date(2025, 10, 20), reason="属于过程性信息。", backdate_reason="补录")
    assert app.state == "closed"


def _slow(text: str, seconds: float):
    def parse(data: bytes) -> str:
        time.sleep(seconds)
        return text

    return parse


def test_a_file_not_read_within_a_second_is_read_by_the_worker_before_the_reply(
        app, handler, monkeypatch, settings, django_capture_on_commit_callbacks):
    settings.EXTRACT_LIMITS = {"inline_seconds": 0.3, "timeout_seconds": 5}
    monkeypatch.setitem(extract._EXTRACTORS, extract.MIME_DOCX, _slow("公开的内容。", 1.0))
    before = DBTaskResult.objects.count()
    with django_capture_on_commit_callbacks(execute=True):
        f = services.add_reply_file(app, handler, "大表.docx", docx_bytes("x"))
    assert f.text_state == "pending" and DBTaskResult.objects.count() == before + 1
    with pytest.raises(InvalidInput, match="正在读取和审查"):
        services.reply(app, handler, reply_type="disclose", outcome="1", on=date(2025, 10, 20), backdate_reason="补录")
    assert services.read_reply_file(f.pk) == "ready"
    assert services.read_reply_file(f.pk) == "skipped"  # idempotent
    app = services.reply(app, handler, reply_type="disclose", outcome="1", on=date(2025, 10, 20), backdate_reason="补录")
    assert app.state == "closed"


def test_the_worker_refuses_a_file_with_a_blocking_finding_and_tells_the_uploader(
        app, handler, monkeypatch, settings):
    settings.EXTRACT_LIMITS = {"inline_seconds": 0.3, "timeout_seconds": 5}
    card = valid_id("11010119900307123")
    monkeypatch.setitem(extract._EXTRACTORS, extract.MIME_DOCX, _slow(f"身份证号 {card}", 1.0))
    f = services.add_reply_file(app, handler, "名单.docx", docx_bytes("x"))
    assert services.read_reply_file(f.pk) == "refused"
    f.refresh_from_db()
    assert "居民身份证号" in f.refusal and card not in f.refusal
    assert Notification.objects.filter(user=handler, kind="reply_file_refused").count() == 1
    with pytest.raises(InvalidInput, match="未通过"):
        services.reply(app, handler, reply_type="disclose", outcome="1", on=date(2025, 10, 20), backdate_reason="补录")


def test_staff_upload_and_download_through_the_case_page(app, handler, office, city):
    from django.core.files.uploadedfile import SimpleUploadedFile

    c = Client()
    c.force_login(handler)
    r = c.post(reverse("applications:reply_file_upload", args=[app.pk]),
               {"file": SimpleUploadedFile("计划.txt", "招生计划".encode())}, follow=True)
    assert "已上传并通过审查" in r.content.decode()
    f = ReplyFile.objects.get(application=app)
    got = c.get(reverse("applications:reply_file", args=[app.pk, f.pk]))
    assert b"".join(got.streaming_content) == "招生计划".encode()
    reader = Client()
    reader.force_login(new_user("rd_clerk", city, "clerk"))  # reads the case, does not handle it
    assert reader.get(reverse("applications:reply_file", args=[app.pk, f.pk])).status_code == 404
    c.post(reverse("applications:reply_file_remove", args=[app.pk, f.pk]))
    assert not ReplyFile.objects.filter(pk=f.pk).exists()
