"""A bulletin as .docx and .pdf. One list of blocks feeds both writers and the public page, so the
three never disagree; the figures come from the facts, the prose from the narrative."""

from __future__ import annotations

import html
from dataclasses import dataclass
from io import BytesIO

from docx import Document as DocxDocument
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.shared import Pt

from yangguang.core.exports.letters import CJK_FONTS, add_text

from . import facts as F


@dataclass(frozen=True)
class Block:
    kind: str  # "h" heading, "p" paragraph, "table"
    text: str = ""
    headers: tuple[str, ...] = ()
    rows: tuple[tuple, ...] = ()


def blocks(title: str, facts: dict, narrative: str, issuer: str, date_text: str) -> list[Block]:
    out = [Block("p", F.summary_sentence(facts))]
    if facts["genres"]:
        out.append(Block("table", headers=("体裁", "发布条数"),
                         rows=tuple((g["label"], g["count"]) for g in facts["genres"])))
    out += [Block("h", "一、空白月"), Block("p", F.blank_sentence(facts)),
            Block("h", "二、未完成月度发布任务"), Block("p", F.below_sentence(facts))]
    if facts["below_quota"]:
        out.append(Block("table", headers=("单位", "本月发布", "月度任务"),
                         rows=tuple((b["name"], b["total"], b["quota"]) for b in facts["below_quota"])))
    out += [Block("h", "三、年度报告发布情况"), *(Block("p", s) for s in F.reports_sentences(facts)),
            Block("h", "四、信息发布较好的单位"), Block("p", F.best_sentence(facts))]
    paragraphs = [p.strip() for p in (narrative or "").splitlines() if p.strip()]
    if paragraphs:
        out.append(Block("h", "五、工作要求"))
        out += [Block("p", p) for p in paragraphs]
    out += [Block("sign", issuer), Block("sign", date_text)]
    return [Block("title", title), *out]


def plain_text(items: list[Block]) -> str:
    lines = []
    for b in items:
        if b.kind == "table":
            lines += ["\t".join(map(str, b.headers))] + ["\t".join(map(str, r)) for r in b.rows]
        else:
            lines.append(b.text)
    return "\n".join(lines)


def to_docx(items: list[Block]) -> bytes:
    doc = DocxDocument()
    for b in items:
        if b.kind == "title":
            p = doc.add_paragraph()
            p.alignment = WD_ALIGN_PARAGRAPH.CENTER
            add_text(p, b.text, 22, bold=True)
        elif b.kind == "h":
            add_text(doc.add_paragraph(), b.text, 16, bold=True)
        elif b.kind == "p":
            p = doc.add_paragraph()
            p.paragraph_format.first_line_indent = Pt(32)
            add_text(p, b.text, 16)
        elif b.kind == "sign":
            p = doc.add_paragraph()
            p.alignment = WD_ALIGN_PARAGRAPH.RIGHT
            add_text(p, b.text, 16)
        elif b.kind == "table":
            table = doc.add_table(rows=1, cols=len(b.headers))
            table.style = "Table Grid"
            for cell, text in zip(table.rows[0].cells, b.headers, strict=True):
                add_text(cell.paragraphs[0], str(text), 12, bold=True)
            for row in b.rows:
                cells = table.add_row().cells
                for cell, value in zip(cells, row, strict=True):
                    add_text(cell.paragraphs[0], str(value), 12)
    buf = BytesIO()
    doc.save(buf)
    return buf.getvalue()


def to_html(items: list[Block]) -> str:
    e = html.escape
    parts = []
    for b in items:
        if b.kind == "title":
            parts.append(f"<h1>{e(b.text)}</h1>")
        elif b.kind == "h":
            parts.append(f"<h2>{e(b.text)}</h2>")
        elif b.kind == "p":
            parts.append(f"<p class='b'>{e(b.text)}</p>")
        elif b.kind == "sign":
            parts.append(f"<p class='r'>{e(b.text)}</p>")
        elif b.kind == "table":
            head = "".join(f"<th>{e(str(h))}</th>" for h in b.headers)
            body = "".join("<tr>" + "".join(f"<td>{e(str(v))}</td>" for v in r) + "</tr>" for r in b.rows)
            parts.append(f"<table><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>")
    return f"""<!doctype html><html lang="zh-CN"><head><meta charset="utf-8"><style>
@page {{ size: A4; margin: 37mm 26mm 35mm 28mm; }}
body {{ font-family: {CJK_FONTS}; font-size: 15pt; line-height: 1.7; }}
h1 {{ text-align: center; font-size: 21pt; margin: 0 0 14pt; }}
h2 {{ font-size: 15pt; margin: 10pt 0 2pt; }}
.b {{ text-indent: 2em; margin: 0; }}
.r {{ text-align: right; margin: 0; }}
table {{ border-collapse: collapse; margin: 6pt 0; font-size: 12pt; }}
th, td {{ border: 1px solid #333; padding: 2pt 8pt; }}
</style></head><body>{''.join(parts)}</body></html>"""


def to_pdf(items: list[Block]) -> bytes:
    from weasyprint import HTML  # imported late: pango is only needed for exports

    return HTML(string=to_html(items)).write_pdf()
