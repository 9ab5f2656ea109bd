import io
from datetime import date

import pytest
from django.test import Client
from django.urls import reverse
from docx import Document as Docx
from helpers import new_user
from pypdf import PdfReader

from yangguang.core.errors import IllegalTransition
from yangguang.disclosure import letters, services
from yangguang.disclosure.models import Letter

pytestmark = pytest.mark.django_db


def embedded_fonts(pdf) -> list[str]:
    names = []
    for font in pdf.pages[0]["/Resources"]["/Font"].values():
        font = font.get_object()
        for desc_font in font.get("/DescendantFonts", [font]):
            desc = desc_font.get_object().get("/FontDescriptor")
            if desc is not None and any(k in desc.get_object() for k in ("/FontFile", "/FontFile2", "/FontFile3")):
                names.append(str(font.get("/BaseFont")))
    return names


@pytest.fixture
def office(city):
    return new_user("l_gkb", city, "supervisor")


@pytest.fixture
def app(city, office, settings, tmp_path):
    settings.PRIVATE_STORAGE_DIR = tmp_path
    a = services.register(city, {
        "applicant_type": "natural", "applicant_name": "张三", "contact_phone": "13812345678",
        "description": "某项信息", "channel": "online", "received_date": date(2025, 9, 26),
    })
    return services.assign(services.accept(a, office), office, city)


def test_receipt_and_reply_letters_open_as_docx_and_pdf(app, office):
    receipt = letters.issue(app, office, Letter.Kind.RECEIPT)
    with pytest.raises(IllegalTransition):
        letters.issue(app, office, Letter.Kind.REPLY)  # not replied yet
    services.reply(app, office, reply_type="partial", outcome="2", on=date(2025, 10, 20),
                   reason="涉及个人隐私的部分不予公开。", backdate_reason="补录")
    reply = app.letters.get(kind=Letter.Kind.REPLY)  # issued with the reply, in the same step
    assert reply.number != receipt.number and reply.number.endswith("-02号")
    assert "涉及个人隐私的部分不予公开。" in reply.text
    c = Client()
    c.force_login(office)
    r = c.get(reverse("applications:letter_file", args=[app.pk, reply.pk, "docx"]))
    text = "\n".join(p.text for p in Docx(io.BytesIO(b"".join(r.streaming_content))).paragraphs)
    assert "政府信息公开申请答复书" in text and "第三十七条" in text and "行政复议" in text and reply.number in text
    r = c.get(reverse("applications:letter_file", args=[app.pk, reply.pk, "pdf"]))
    pdf = PdfReader(io.BytesIO(b"".join(r.streaming_content)))
    pdf_text = "".join(p.extract_text() for p in pdf.pages)
    assert "答复书" in pdf_text and "张三" in pdf_text
    assert embedded_fonts(pdf)  # the Chinese font travels with the file
    receipt_pdf = c.get(reverse("applications:letter_file", args=[app.pk, receipt.pk, "pdf"]))
    assert "2025年10月30日" in "".join(p.extract_text() for p in PdfReader(io.BytesIO(b"".join(receipt_pdf.streaming_content))).pages).replace(" ", "")


def test_letters_only_for_case_staff(app, org_b):
    letter = letters.issue(app, None, Letter.Kind.RECEIPT)
    outsider = new_user("l_out", org_b, "handler")
    c = Client()
    c.force_login(outsider)
    assert c.get(reverse("applications:letter_file", args=[app.pk, letter.pk, "pdf"])).status_code == 404
    assert Client().get(reverse("applications:letter_file", args=[app.pk, letter.pk, "pdf"])).status_code == 302
