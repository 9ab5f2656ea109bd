"""Official letters as .docx and .pdf (公文式样: title, number, addressee, body, sender, date).

The same `LetterContent` feeds both writers, so the Word and PDF versions never disagree.
PDF through WeasyPrint with a CJK font embedded (Debian fonts-wqy-microhei / fonts-noto-cjk).
"""

from __future__ import annotations

import html
from dataclasses import dataclass
from io import BytesIO

from docx import Document
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml.ns import qn
from docx.shared import Pt

from yangguang.core.text import xml_safe

CJK_FONTS = '"WenQuanYi Micro Hei", "Noto Sans CJK SC", "Noto Serif CJK SC", sans-serif'
DOCX_FONT = "仿宋"  # GB/T 9704 body font; Word substitutes when it is missing


@dataclass(frozen=True)
class LetterContent:
    title: str
    number: str  # 文书编号
    addressee: str  # e.g. "张三："
    paragraphs: tuple[str, ...]
    sender: str
    date_text: str  # e.g. "2025年10月30日"


def run_font(run, size: float, bold: bool = False) -> None:
    """Size, weight and the CJK font of a python-docx run (Word needs the East Asian font set apart)."""
    run.font.size = Pt(size)
    run.font.bold = bold
    run.font.name = DOCX_FONT
    run._element.rPr.rFonts.set(qn("w:eastAsia"), DOCX_FONT)


def add_text(paragraph, text: str, size: float, bold: bool = False):
    """A run of ``text`` in the paragraph, in the letter font; characters XML cannot carry are dropped
    (python-docx refuses them, and one stored control character would break the whole document)."""
    run = paragraph.add_run(xml_safe(text))
    run_font(run, size, bold)
    return run


def to_docx(letter: LetterContent) -> bytes:
    doc = Document()
    p = doc.add_paragraph()
    p.alignment = WD_ALIGN_PARAGRAPH.CENTER
    add_text(p, letter.title, 22, bold=True)
    p = doc.add_paragraph()
    p.alignment = WD_ALIGN_PARAGRAPH.CENTER
    add_text(p, letter.number, 14)
    add_text(doc.add_paragraph(), letter.addressee, 16)
    for text in letter.paragraphs:
        para = doc.add_paragraph()
        para.paragraph_format.first_line_indent = Pt(32)
        add_text(para, text, 16)
    for text in (letter.sender, letter.date_text):
        para = doc.add_paragraph()
        para.alignment = WD_ALIGN_PARAGRAPH.RIGHT
        add_text(para, text, 16)
    buf = BytesIO()
    doc.save(buf)
    return buf.getvalue()


def to_html(letter: LetterContent) -> str:
    e = html.escape
    body = "".join(f"<p class='b'>{e(t)}</p>" for t in letter.paragraphs)
    return f"""<!doctype html><html lang="zh-CN"><head><meta charset="utf-8"><style>
@page {{ size: A4; margin: 37mm 26mm 35mm 28mm; }}
body {{ font-family: {CJK_FONTS}; font-size: 16pt; line-height: 1.75; }}
h1 {{ text-align: center; font-size: 22pt; margin: 0 0 6pt; }}
.n {{ text-align: center; font-size: 14pt; margin-bottom: 18pt; }}
.b {{ text-indent: 2em; margin: 0; }}
.r {{ text-align: right; margin: 0; }}
</style></head><body><h1>{e(letter.title)}</h1><div class="n">{e(letter.number)}</div>
<p>{e(letter.addressee)}</p>{body}<p>&nbsp;</p><p class="r">{e(letter.sender)}</p><p class="r">{e(letter.date_text)}</p>
</body></html>"""


def to_pdf(letter: LetterContent) -> bytes:
    from weasyprint import HTML  # imported late: it loads pango, which only letters need

    return HTML(string=to_html(letter)).write_pdf()
