"""Helpers of the portal tests."""

import io

from docx import Document as Docx

from yangguang.publishing.models import Document


def docx_bytes(text: str) -> bytes:
    d = Docx()
    d.add_paragraph(text)
    buf = io.BytesIO()
    d.save(buf)
    return buf.getvalue()


def publish(staff, title, column="tzgg", **fields):
    edition = staff.publish(staff.draft(title=title, column=column, **fields))
    return Document.objects.get(pk=edition.document_id)
