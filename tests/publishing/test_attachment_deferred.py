"""An attachment the upload request cannot read within EXTRACT_INLINE_SECONDS is read by the task
worker (issue #15 item 2: a hostile or merely huge file never holds a web worker for longer). The
slow parsers below run in the real child process; nothing here measures time."""

import time

import docx
import pytest
from django.test import Client
from django.urls import reverse
from django_tasks_db.models import DBTaskResult

from yangguang.core import extract
from yangguang.core.errors import ServiceError
from yangguang.core.models import AuditEvent, Notification
from yangguang.publishing import services
from yangguang.publishing.models import Attachment
from yangguang.publishing.services.attachments import read_pending

pytestmark = pytest.mark.django_db


def docx_bytes(text: str) -> bytes:
    import io

    doc = docx.Document()
    doc.add_paragraph(text)
    buf = io.BytesIO()
    doc.save(buf)
    return buf.getvalue()


def slow_then(text: str, seconds: float):
    def parse(data: bytes) -> str:
        time.sleep(seconds)
        return text

    return parse


def forever(data: bytes) -> str:
    while True:
        pass


@pytest.fixture
def short_limits(settings, tmp_path):
    settings.PRIVATE_STORAGE_DIR = tmp_path
    settings.EXTRACT_LIMITS = {"inline_seconds": 0.3, "timeout_seconds": 5}


def test_slow_attachment_is_read_by_the_worker_and_screened(staff_a, monkeypatch, short_limits,
                                                           django_capture_on_commit_callbacks):
    monkeypatch.setitem(extract._EXTRACTORS, extract.MIME_DOCX, slow_then("联系电话13912345678。", 1.0))
    edition = staff_a.draft()
    tasks_before = DBTaskResult.objects.count()
    with django_capture_on_commit_callbacks(execute=True):
        att = services.add_attachment(edition, staff_a.clerk, "大表.docx", docx_bytes("x"))
    assert (att.text_state, att.text) == ("pending", "")
    assert DBTaskResult.objects.count() == tasks_before + 1  # queued for the worker after commit
    with pytest.raises(ServiceError, match="正在读取和审查"):
        services.submit(edition, staff_a.clerk)
    # the page never says 审查通过 while a file is unread
    client = Client()
    client.force_login(staff_a.clerk)
    page = client.get(reverse("workbench:edition", args=[edition.pk])).content.decode()
    assert "审查未完成：附件“大表.docx”读取审查中" in page and "审查通过" not in page

    assert read_pending(att.pk) == "ready"
    att.refresh_from_db()
    assert att.text == "联系电话13912345678。"
    edition.refresh_from_db()
    # the worker's text is screened: the mobile number is a finding located in this attachment
    assert list(edition.findings.values_list("kind", "source_label")) == [("mobile", "附件：大表.docx")]
    assert AuditEvent.objects.filter(action="attachment.read", object_id=str(att.pk)).count() == 1
    assert read_pending(att.pk) == "skipped"  # idempotent
    services.submit(edition, staff_a.clerk)


def test_attachment_the_worker_cannot_read_is_refused_and_blocks_review(staff_a, monkeypatch, settings, tmp_path):
    settings.PRIVATE_STORAGE_DIR = tmp_path
    settings.EXTRACT_LIMITS = {"inline_seconds": 0.3, "timeout_seconds": 1}
    monkeypatch.setitem(extract._EXTRACTORS, extract.MIME_DOCX, forever)
    edition = staff_a.draft()
    att = services.add_attachment(edition, staff_a.clerk, "构造.docx", docx_bytes("x"))
    assert att.text_state == "pending"
    assert read_pending(att.pk) == "refused"
    att.refresh_from_db()
    assert att.refusal.startswith("文件解析超时（超过1秒）")
    with pytest.raises(ServiceError, match="未通过：文件解析超时"):
        services.submit(edition, staff_a.clerk)
    note = Notification.objects.get(user=staff_a.clerk, kind="attachment_refused")
    assert "构造.docx" in note.title
    services.remove_attachment(att, staff_a.clerk)
    services.submit(edition, staff_a.clerk)


def test_a_quick_file_is_read_in_the_request(staff_a, short_limits):
    att = services.add_attachment(staff_a.draft(), staff_a.clerk, "通知.docx", docx_bytes("关于开展检查的通知"))
    assert (att.text_state, att.text) == (Attachment.TextState.READY, "关于开展检查的通知")
