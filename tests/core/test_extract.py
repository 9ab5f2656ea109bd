"""Attachment sniffing by content, text extraction, and screening of the extracted text."""

from __future__ import annotations

import io
import zipfile

import docx
import openpyxl
import pytest

from yangguang.core.extract import FileKind, RefusedFile, extract_text, sniff
from yangguang.core.screening import screen_text


def id_with_check(body17: str) -> str:
    # GB 11643-1999: weight of position i (1-based from the left) is 2^(18-i) mod 11.
    total = sum(int(c) * pow(2, 17 - i, 11) for i, c in enumerate(body17))
    code = (12 - total % 11) % 11
    return body17 + ("X" if code == 10 else str(code))


VALID_ID = id_with_check("11010119900307123")
MOBILE = "13812345678"


def findings_by_kind(text: str) -> dict[str, list[str]]:
    out: dict[str, list[str]] = {}
    for f in screen_text(text):
        assert text[f.start : f.end] == f.text  # offsets index the extracted text
        out.setdefault(f.kind, []).append(f.text)
    return out


# --- builders ---------------------------------------------------------------------------


def make_docx() -> bytes:
    document = docx.Document()
    document.sections[0].header.paragraphs[0].text = "机密★1年"
    document.add_paragraph("关于补发补贴的公示")
    document.add_paragraph(f"联系人：张三 电话：{MOBILE}")
    table = document.add_table(rows=2, cols=2)
    table.cell(0, 0).text, table.cell(0, 1).text = "姓名", "身份证号"
    table.cell(1, 0).text, table.cell(1, 1).text = "李四", VALID_ID
    buf = io.BytesIO()
    document.save(buf)
    return buf.getvalue()


def make_xlsx() -> bytes:
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.append(["姓名", "身份证号", "手机"])
    sheet.append(["李四", VALID_ID, int(MOBILE)])
    other = workbook.create_sheet("联系方式")
    other.append(["邮箱", "xinxi@km.gov.cn"])
    other.append([None, None])
    buf = io.BytesIO()
    workbook.save(buf)
    return buf.getvalue()


def make_pdf(ascii_line: str, chinese_line: str) -> bytes:
    """A one-page PDF: a Helvetica line, and a CJK line in an Identity-H font with a ToUnicode map."""
    codes = sorted({ord(c) for c in chinese_line})
    to_unicode = "\n".join(
        [
            "/CIDInit /ProcSet findresource begin 12 dict begin begincmap",
            "/CIDSystemInfo << /Registry (Adobe) /Ordering (UCS) /Supplement 0 >> def",
            "/CMapName /Adobe-Identity-UCS def /CMapType 2 def",
            "1 begincodespacerange <0000> <FFFF> endcodespacerange",
            f"{len(codes)} beginbfchar",
            *(f"<{c:04X}> <{c:04X}>" for c in codes),
            "endbfchar endcmap CMapName currentdict /CMap defineresource pop end end",
        ]
    )
    cjk_hex = "".join(f"{ord(c):04X}" for c in chinese_line)
    content = f"BT /F1 12 Tf 72 720 Td ({ascii_line}) Tj ET\nBT /F2 12 Tf 72 690 Td <{cjk_hex}> Tj ET"

    def stream(body: str) -> str:
        return f"<< /Length {len(body.encode('latin-1'))} >>\nstream\n{body}\nendstream"

    objects = [
        "<< /Type /Catalog /Pages 2 0 R >>",
        "<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] "
        "/Resources << /Font << /F1 4 0 R /F2 5 0 R >> >> /Contents 8 0 R >>",
        "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
        "<< /Type /Font /Subtype /Type0 /BaseFont /STSong-Light /Encoding /Identity-H "
        "/DescendantFonts [6 0 R] /ToUnicode 7 0 R >>",
        "<< /Type /Font /Subtype /CIDFontType0 /BaseFont /STSong-Light "
        "/CIDSystemInfo << /Registry (Adobe) /Ordering (GB1) /Supplement 2 >> /DW 1000 >>",
        stream(to_unicode),
        stream(content),
    ]
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += f"{number} 0 obj\n{body}\nendobj\n".encode("latin-1")
    xref = len(out)
    out += f"xref\n0 {len(objects) + 1}\n0000000000 65535 f \n".encode()
    out += b"".join(f"{o:010d} 00000 n \n".encode() for o in offsets)
    out += f"trailer\n<< /Size {len(objects) + 1} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n".encode()
    return bytes(out)


def make_zip(entries: dict[str, bytes]) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as zf:
        for name, data in entries.items():
            zf.writestr(name, data)
    return buf.getvalue()


OLE_HEADER = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 504
OLE_WORD = OLE_HEADER + "WordDocument".encode("utf-16-le") + b"\x00" * 64
OLE_EXCEL = OLE_HEADER + "Workbook".encode("utf-16-le") + b"\x00" * 64
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00\x00\x00\rIHDR" + b"\x00" * 20
JPEG = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00" + b"\x00" * 20
EXE = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff\x00\x00" + b"\x00" * 48 + b"PE\x00\x00"
HTML = b"<!DOCTYPE html>\n<html><body><script>alert(1)</script></body></html>"
SVG = b'<?xml version="1.0"?>\n<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"></svg>'


# --- extraction -----------------------------------------------------------------------------


def test_docx_paragraphs_tables_and_header() -> None:
    data = make_docx()
    kind = sniff(data, "公示.docx")
    assert kind.label == "Word" and kind.extension == ".docx"
    text = extract_text(data, kind)
    assert f"李四\t{VALID_ID}" in text
    found = findings_by_kind(text)
    assert found["id_card"] == [VALID_ID]
    assert found["mobile"] == [MOBILE]
    assert found["secret_mark"] == ["机密★1年"]  # from the page header
    assert "张三" in found["sensitive_word"]


def test_xlsx_all_sheets_tab_separated() -> None:
    data = make_xlsx()
    kind = sniff(data, "名单.XLSX")
    assert kind == FileKind(
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "Excel", ".xlsx"
    )
    text = extract_text(data, kind)
    assert text.splitlines()[:2] == ["姓名\t身份证号\t手机", f"李四\t{VALID_ID}\t{MOBILE}"]
    found = findings_by_kind(text)
    assert found["id_card"] == [VALID_ID]
    assert found["mobile"] == [MOBILE]
    assert found["email"] == ["xinxi@km.gov.cn"]


def test_pdf_text_ascii_and_chinese() -> None:
    data = make_pdf(f"ID {VALID_ID} tel {MOBILE}", "联系人：张三")
    kind = sniff(data, "scan.pdf")
    assert kind.content_type == "application/pdf"
    text = extract_text(data, kind)
    assert "联系人：张三" in text
    found = findings_by_kind(text)
    assert found["id_card"] == [VALID_ID]
    assert found["mobile"] == [MOBILE]


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "gb18030"])
def test_txt_encodings(encoding: str) -> None:
    body = f"申请人：王五\n身份证号码：{VALID_ID}\n住址：解放路12号3栋2单元501室\n"
    kind = sniff(body.encode(encoding), "申请.txt")
    assert kind.label == "文本"
    text = extract_text(body.encode(encoding), kind)
    assert text == body
    found = findings_by_kind(text)
    assert found["id_card"] == [VALID_ID]
    assert found["address"] == ["解放路12号3栋2单元501室"]


@pytest.mark.parametrize(
    ("data", "filename", "label"),
    [
        (PNG, "图.png", "PNG图片"),
        (JPEG, "照片.JPG", "JPEG图片"),
        (JPEG, "照片.jpeg", "JPEG图片"),
        (make_zip({"a.txt": b"x"}), "附件.zip", "ZIP压缩包"),
        (make_zip({"OFD.xml": b"<ofd:OFD/>", "Doc_0/Document.xml": b"<x/>"}), "文件.ofd", "OFD"),
        (OLE_WORD, "旧版.doc", "Word"),
        (OLE_WORD, "金山.wps", "WPS"),
        (OLE_EXCEL, "旧表.xls", "Excel"),
        (OLE_HEADER, "金山表格.et", "WPS"),
    ],
)
def test_other_allowed_types_have_no_text(data: bytes, filename: str, label: str) -> None:
    kind = sniff(data, filename)
    assert kind.label == label
    assert extract_text(data, kind) == ""


def test_windows_path_in_filename() -> None:
    assert sniff(PNG, "C:\\Users\\clerk\\桌面\\图.PNG").extension == ".png"


# --- refusals --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("data", "filename", "message"),
    [
        (HTML, "通知.pdf", "文件内容与扩展名不符：扩展名为.pdf，内容为HTML文件"),
        (HTML, "通知.html", "不允许上传HTML文件"),
        (SVG, "logo.svg", "不允许上传SVG文件"),
        (SVG, "logo.png", "文件内容与扩展名不符：扩展名为.png，内容为SVG文件"),
        (b"   <svg onload=alert(1)>", "说明.txt", "文件内容与扩展名不符：扩展名为.txt，内容为SVG文件"),
        (
            b"note\n<script>alert(1)</script>",
            "说明.txt",
            "文件内容与扩展名不符：扩展名为.txt，内容为HTML文件",
        ),
        (EXE, "报告.pdf", "文件内容与扩展名不符：扩展名为.pdf，内容为可执行文件"),
        (EXE, "setup.exe", "不允许上传可执行文件"),
        (
            b"\x7fELF\x02\x01\x01" + b"\x00" * 40,
            "readme.txt",
            "文件内容与扩展名不符：扩展名为.txt，内容为可执行文件",
        ),
        (b"#!/bin/sh\nrm -rf /\n", "说明.txt", "文件内容与扩展名不符：扩展名为.txt，内容为脚本文件"),
        (b"alert(1)", "a.js", "不允许上传脚本文件"),
        (make_pdf("x", "中"), "公告.docx", "文件内容与扩展名不符：扩展名为.docx，内容为PDF文件"),
        (make_docx(), "公告.pdf", "文件内容与扩展名不符：扩展名为.pdf，内容为Word文档"),
        (make_docx(), "公告.zip", "文件内容与扩展名不符：扩展名为.zip，内容为Word文档"),
        (make_zip({"a.txt": b"x"}), "公告.docx", "文件内容与扩展名不符：扩展名为.docx，内容为ZIP压缩包"),
        (OLE_EXCEL, "旧版.doc", "文件内容与扩展名不符：扩展名为.doc，内容为Excel表格（XLS）"),
        (b"{\\rtf1\\ansi hello}", "旧版.doc", "文件内容与扩展名不符：扩展名为.doc，内容为RTF文档"),
        (b"", "空.pdf", "文件为空"),
    ],
)
def test_refused(data: bytes, filename: str, message: str) -> None:
    with pytest.raises(RefusedFile) as excinfo:
        sniff(data, filename)
    assert excinfo.value.message == message


def test_refused_unknown_and_unsupported() -> None:
    with pytest.raises(RefusedFile, match="不支持的文件类型：.csv"):
        sniff(b"a,b\n1,2\n", "数据.csv")
    with pytest.raises(RefusedFile, match="没有扩展名"):
        sniff(b"hello", "README")
    with pytest.raises(RefusedFile, match="内容为无法识别的内容（image/gif）"):
        sniff(b"GIF89a" + b"\x00" * 40, "图.png")
    with pytest.raises(RefusedFile, match="内容为无法识别的内容"):
        sniff(b"abc\x00def", "说明.txt")  # NUL bytes: not a text file


def test_oversize() -> None:
    with pytest.raises(RefusedFile) as excinfo:
        sniff(b"x" * 2 * 1024 * 1024 + b"x", "大.txt", max_bytes=2 * 1024 * 1024)
    assert excinfo.value.message == "文件超过大小限制（最大2 MB）"
    assert sniff(b"x" * 10, "小.txt", max_bytes=10).label == "文本"


def test_default_size_limit_comes_from_settings(settings) -> None:
    settings.ATTACHMENT_MAX_BYTES = 5
    with pytest.raises(RefusedFile, match="文件超过大小限制"):
        sniff(b"123456", "a.txt")


@pytest.mark.parametrize(
    ("data", "filename"),
    [
        (make_zip({"[Content_Types].xml": b"<Types/>", "word/document.xml": b"not xml at all"}), "坏.docx"),
        (make_zip({"[Content_Types].xml": b"<Types/>", "xl/workbook.xml": b"<<<"}), "坏.xlsx"),
        (b"%PDF-1.4\nthis is not really a pdf", "坏.pdf"),
    ],
)
def test_corrupt_office_and_pdf_files_are_refused_on_extraction(data: bytes, filename: str) -> None:
    kind = sniff(data, filename)
    with pytest.raises(RefusedFile, match="文件已损坏，无法读取"):
        extract_text(data, kind)


def test_corrupt_zip_is_refused_on_sniffing() -> None:
    with pytest.raises(RefusedFile, match="文件已损坏"):
        sniff(b"PK\x03\x04" + b"\x00" * 30, "附件.zip")


def test_refused_file_is_a_service_error() -> None:
    from yangguang.core.errors import ServiceError

    assert issubclass(RefusedFile, ServiceError)
