import io

import pytest
from docx import Document as Docx
from helpers import valid_id

from yangguang.core.errors import InvalidInput
from yangguang.core.models import AuditEvent
from yangguang.publishing import services
from yangguang.publishing.models import Attachment

pytestmark = pytest.mark.django_db


def docx_bytes(text: str) -> bytes:
    d = Docx()
    d.add_paragraph(text)
    buf = io.BytesIO()
    d.save(buf)
    return buf.getvalue()


def test_docx_text_is_screened(staff_a, settings, tmp_path):
    settings.PRIVATE_STORAGE_DIR = tmp_path
    edition = staff_a.draft()
    att = services.add_attachment(edition, staff_a.clerk, "名单.docx", docx_bytes(f"身份证号 {valid_id('44030419900101001')}"))
    assert att.type_label and att.stored_name != "名单.docx" and len(att.stored_name) >= 32
    assert (tmp_path / "attachments" / att.stored_name).exists()
    finding = edition.findings.get(kind="id_card")
    assert finding.severity == "blocking" and finding.source == f"attachment:{att.public_id}"


@pytest.mark.parametrize("name,data", [
    ("通知.pdf", b"<html><script>alert(1)</script></html>"),
    ("图.svg", b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>'),
    ("工具.exe", b"MZ\x90\x00" + b"\x00" * 200),
    ("空.txt", b""),
])
def test_disguised_or_refused_files(staff_a, settings, tmp_path, name, data):
    settings.PRIVATE_STORAGE_DIR = tmp_path
    edition = staff_a.draft()
    before = AuditEvent.objects.count()
    with pytest.raises(InvalidInput) as exc:
        services.add_attachment(edition, staff_a.clerk, name, data)
    assert name in exc.value.message
    assert not Attachment.objects.exists() and AuditEvent.objects.count() == before
    assert not any((tmp_path / "attachments").glob("*")) if (tmp_path / "attachments").exists() else True


def test_oversize_refused(staff_a, settings, tmp_path):
    settings.PRIVATE_STORAGE_DIR = tmp_path
    settings.ATTACHMENT_MAX_BYTES = 1000
    with pytest.raises(InvalidInput, match="大小"):
        services.add_attachment(staff_a.draft(), staff_a.clerk, "大.txt", "字".encode() * 2000)
