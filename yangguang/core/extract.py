"""Attachment sniffing and text extraction (publishing spec, "Attachments").

A file is accepted by its content (magic bytes, ZIP part names), and only when the
extension agrees with that content; HTML, SVG, XML, scripts and executables are
refused; a PDF with JavaScript or Launch actions is refused. The extracted text feeds
screening and search. Parsing runs in a child process under the limits of ``extract_limits``
(ZIP bombs are refused from the ZIP directory before any parser runs).
"""

from __future__ import annotations

import dataclasses
import io
import re
import zipfile
from dataclasses import dataclass
from pathlib import PurePosixPath

from django.utils.translation import gettext as _

from yangguang.core import extract_child
from yangguang.core.extract_limits import (
    ExtractLimits,
    ExtractTimeout,
    RefusedFile,
    check_zip_contents,
    check_zip_directory,
    current_limits,
)

__all__ = ["ExtractTimeout", "FileKind", "RefusedFile", "extract_text", "sniff"]


@dataclass(frozen=True)
class FileKind:
    content_type: str
    label: str
    extension: str  # lower case with the dot, as the file was named: ".pdf", ".jpeg"


DEFAULT_MAX_BYTES = 50 * 1024 * 1024
# Markup is recognised in the first bytes, as browsers sniff (WHATWG MIME Sniffing §7.1).
SNIFF_BYTES = 1024

# Magic numbers.
PDF_MAGIC = b"%PDF-"  # ISO 32000-1 §7.5.2 file header
OLE2_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # [MS-CFB] compound file (DOC, XLS, WPS, ET)
PNG_MAGIC = b"\x89PNG\r\n\x1a\n"  # ISO/IEC 15948 signature
JPEG_MAGIC = b"\xff\xd8\xff"  # ISO/IEC 10918-1 SOI marker + next marker
ZIP_MAGICS = (b"PK\x03\x04", b"PK\x05\x06")  # PKWARE APPNOTE local header / empty archive
EXECUTABLE_MAGICS = (
    b"\x7fELF",  # ELF
    b"\xfe\xed\xfa\xce",  # Mach-O 32
    b"\xfe\xed\xfa\xcf",  # Mach-O 64
    b"\xce\xfa\xed\xfe",
    b"\xcf\xfa\xed\xfe",
    b"\xca\xfe\xba\xbe",  # Mach-O fat binary / Java class
)

MIME_DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
MIME_XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

# Accepted (content code, extension) pairs; anything else is refused.
_KINDS: dict[tuple[str, str], FileKind] = {}


def _accept(code: str, exts: dict[str, tuple[str, str]]) -> None:
    for ext, (content_type, label) in exts.items():
        _KINDS[(code, ext)] = FileKind(content_type, label, ext)


_accept("pdf", {".pdf": ("application/pdf", "PDF")})
_accept("docx", {".docx": (MIME_DOCX, "Word")})
_accept("xlsx", {".xlsx": (MIME_XLSX, "Excel")})
_WPS = {".wps": ("application/wps-office.wps", "WPS"), ".et": ("application/wps-office.et", "WPS")}
_accept("ole_word", {".doc": ("application/msword", "Word"), ".wps": _WPS[".wps"]})
_accept("ole_excel", {".xls": ("application/vnd.ms-excel", "Excel"), ".et": _WPS[".et"]})
# WPS Office's own formats do not always carry the Word/Excel stream names.
_accept("ole_other", _WPS)
_accept("ofd", {".ofd": ("application/ofd", "OFD")})  # GB/T 33190-2016
_accept("jpeg", {".jpg": ("image/jpeg", "JPEG图片"), ".jpeg": ("image/jpeg", "JPEG图片")})
_accept("png", {".png": ("image/png", "PNG图片")})
_accept("zip", {".zip": ("application/zip", "ZIP压缩包")})
_accept("text", {".txt": ("text/plain", "文本")})

ALLOWED_EXTENSIONS = frozenset(ext for _, ext in _KINDS)
ALLOWED_HUMAN = "PDF、DOC/DOCX、XLS/XLSX、WPS、OFD、JPG/PNG、ZIP、TXT"

# What the content is, in words, for the refusal message.
_CONTENT_LABELS = {
    "pdf": "PDF文件",
    "docx": "Word文档",
    "xlsx": "Excel表格",
    "pptx": "PowerPoint演示文稿",
    "ole_word": "Word文档（DOC）",
    "ole_excel": "Excel表格（XLS）",
    "ole_other": "Office复合文档（可能已加密或为安装包）",
    "ofd": "OFD文件",
    "jpeg": "JPEG图片",
    "png": "PNG图片",
    "zip": "ZIP压缩包",
    "text": "纯文本",
    "html": "HTML文件",
    "svg": "SVG文件",
    "xml": "XML文件",
    "rtf": "RTF文档",
    "script": "脚本文件",
    "executable": "可执行文件",
}

# Extensions refused outright, with what they are.
_FORBIDDEN_EXTENSIONS = {
    **dict.fromkeys(".html .htm .xhtml .shtml .mht .mhtml .hta".split(), "HTML文件"),
    **dict.fromkeys(".svg .svgz".split(), "SVG文件"),
    **dict.fromkeys(".xml .xsl .xslt".split(), "XML文件"),
    **dict.fromkeys(
        ".js .mjs .vbs .vbe .wsf .ps1 .sh .bash .bat .cmd .php .py .pl .rb .jsp .asp .aspx".split(),
        "脚本文件",
    ),
    **dict.fromkeys(".exe .dll .com .scr .msi .so .bin .app .apk .jar .elf".split(), "可执行文件"),
}
_MARKUP_ANYWHERE = (b"<html", b"<!doctype", b"<svg", b"<script", b"<iframe", b"<body", b"<head")


# --- sniffing -------------------------------------------------------------------------


def _extension(filename: str) -> str:
    # Browsers may send a Windows path; only the last component counts.
    name = filename.replace("\\", "/").rsplit("/", 1)[-1]
    return PurePosixPath(name).suffix.lower()


def _default_max_bytes() -> int:
    try:
        from django.conf import settings
        from django.core.exceptions import ImproperlyConfigured
    except ImportError:
        return DEFAULT_MAX_BYTES
    try:
        return int(getattr(settings, "ATTACHMENT_MAX_BYTES", DEFAULT_MAX_BYTES))
    except ImproperlyConfigured:
        return DEFAULT_MAX_BYTES


def _megabytes(n: int) -> str:
    return f"{n / (1024 * 1024):g} MB"


def _zip_code(data: bytes) -> str:
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as zf:
            infos = zf.infolist()
    except (zipfile.BadZipFile, ValueError, OSError) as exc:
        raise RefusedFile(_("文件已损坏，无法读取：ZIP结构无效")) from exc
    check_zip_directory(infos)  # entry count, declared total and ratio: a bomb is refused here
    names = {i.filename for i in infos}
    if "[Content_Types].xml" in names:  # ECMA-376 Open Packaging Conventions
        for prefix, code in (("word/", "docx"), ("xl/", "xlsx"), ("ppt/", "pptx")):
            if any(n.startswith(prefix) for n in names):
                return code
    if "OFD.xml" in names:  # GB/T 33190-2016 §7.2: OFD.xml is the container's entry file
        return "ofd"
    return "zip"


def _ole_code(data: bytes) -> str:
    # [MS-CFB] directory entries store stream names in UTF-16LE; [MS-DOC] and [MS-XLS]
    # name their main streams "WordDocument" and "Workbook" ("Book" for BIFF5).
    if "WordDocument".encode("utf-16-le") in data:
        return "ole_word"
    if any(n.encode("utf-16-le") in data for n in ("Workbook", "Book")):
        return "ole_excel"
    return "ole_other"


def _decode_text(data: bytes) -> str | None:
    if b"\x00" in data:
        return None
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    return None


def _text_code(data: bytes) -> str:
    head = data[:SNIFF_BYTES].removeprefix(b"\xef\xbb\xbf").lstrip().lower()
    if head.startswith(b"#!"):
        return "script"
    if head.startswith(b"{\\rtf"):
        return "rtf"
    if b"<svg" in head:
        return "svg"
    if any(marker in head for marker in _MARKUP_ANYWHERE):
        return "html"
    if head.startswith(b"<?xml"):
        return "xml"
    if (head.startswith(b"<") and head[1:2].isalpha()) or head.startswith(b"<!--"):
        return "html"
    return "text" if _decode_text(data) is not None else "unknown"


def _content_code(data: bytes) -> str:
    if (data.startswith(b"MZ") and b"\x00" in data[:64]) or data.startswith(EXECUTABLE_MAGICS):
        return "executable"  # DOS/PE header (always has NULs), ELF, Mach-O
    if data.startswith(PDF_MAGIC):
        return "pdf"
    if data.startswith(OLE2_MAGIC):
        return _ole_code(data)
    if data.startswith(PNG_MAGIC):
        return "png"
    if data.startswith(JPEG_MAGIC):
        return "jpeg"
    if data.startswith(ZIP_MAGICS):
        return _zip_code(data)
    return _text_code(data)


def _describe_unknown(data: bytes) -> str:
    import filetype

    guess = filetype.guess(data[:8192])
    return _("无法识别的内容（%(mime)s）") % {"mime": guess.mime} if guess else _("无法识别的内容")


def sniff(data: bytes, filename: str, max_bytes: int | None = None) -> FileKind:
    """The kind of an upload, judged by content and extension together; raises RefusedFile."""
    if not data:
        raise RefusedFile(_("文件为空"))
    limit = _default_max_bytes() if max_bytes is None else max_bytes
    if len(data) > limit:
        raise RefusedFile(_("文件超过大小限制（最大%(limit)s）") % {"limit": _megabytes(limit)})
    ext = _extension(filename)
    if ext in _FORBIDDEN_EXTENSIONS:
        raise RefusedFile(_("不允许上传%(what)s") % {"what": _FORBIDDEN_EXTENSIONS[ext]})
    if not ext:
        raise RefusedFile(_("文件没有扩展名，无法确定类型（允许：%(allowed)s）") % {"allowed": ALLOWED_HUMAN})
    if ext not in ALLOWED_EXTENSIONS:
        raise RefusedFile(
            _("不支持的文件类型：%(ext)s（允许：%(allowed)s）") % {"ext": ext, "allowed": ALLOWED_HUMAN}
        )
    code = _content_code(data)
    kind = _KINDS.get((code, ext))
    if kind is None:
        content = _CONTENT_LABELS.get(code) or _describe_unknown(data)
        raise RefusedFile(
            _("文件内容与扩展名不符：扩展名为%(ext)s，内容为%(content)s") % {"ext": ext, "content": content}
        )
    if code == "pdf":
        _refuse_active_pdf(_pdf_action_in_bytes(data))
    return kind


# --- PDF active content --------------------------------------------------------------------
# ISO 32000-1 §12.6.4.16 JavaScript actions and §12.6.4.5 Launch actions run code or start a
# program when the file is opened (/OpenAction, /AA) or a link is clicked; a government
# attachment never needs them. Names may hide behind #xx escapes (§7.3.5: /J#61vaScript), so
# the byte scan matches each letter in either form; a compressed object stream hides them
# from it, so the parsed file is checked again in the extraction child (_pdf_action_in_objects).
_PDF_DELIMITER = rb"(?=[\s/<>\[\]()%{}]|$)"  # a name ends at whitespace or a delimiter (§7.2.2)
_PDF_ACTIONS = {"JavaScript": "JavaScript", "JS": "JavaScript", "Launch": "Launch"}


def _build_pdf_action_re() -> re.Pattern[bytes]:
    alternatives = []
    for name in _PDF_ACTIONS:
        letters = [b"(?:%s|#%x|#%X)" % (re.escape(c.encode()), ord(c), ord(c)) for c in name]
        alternatives.append(b"(?P<%s>/%s)" % (name.encode(), b"".join(letters)))
    return re.compile(b"(?:" + b"|".join(alternatives) + b")" + _PDF_DELIMITER)


_PDF_ACTION_RE = _build_pdf_action_re()


def _pdf_action_in_bytes(data: bytes) -> str | None:
    """"JavaScript" or "Launch" when the raw bytes name such an action (cheap: one regex scan)."""
    match = _PDF_ACTION_RE.search(data)
    return _PDF_ACTIONS[match.lastgroup] if match else None


def _pdf_action_in_dict(obj) -> str | None:
    """Search one object's direct dictionaries and arrays (indirect references are not followed)."""
    from pypdf.generic import ArrayObject, DictionaryObject

    stack, seen = [obj], 0
    while stack:
        item = stack.pop()
        seen += 1
        if isinstance(item, DictionaryObject):
            action = item.get("/S")
            if action in ("/JavaScript", "/Launch"):
                return str(action)[1:]
            if "/JS" in item:  # a JavaScript or Rendition action's script
                return "JavaScript"
            stack.extend(item.values())
        elif isinstance(item, ArrayObject):
            stack.extend(item)
    return None


def _pdf_action_in_objects(reader) -> str | None:
    """Every object of the file, including those in compressed object streams."""
    from pypdf.generic import IndirectObject

    ids = [(num, gen) for gen, table in reader.xref.items() for num in table]
    ids += [(num, 0) for num in reader.xref_objStm]
    for num, gen in ids:
        try:
            obj = reader.get_object(IndirectObject(num, gen, reader))
        except Exception:  # noqa: BLE001 - a broken object holds no action pypdf would run either
            continue
        if obj is not None and (found := _pdf_action_in_dict(obj)):
            return found
    for value in reader.trailer.values():
        if found := _pdf_action_in_dict(value):
            return found
    return None


def _refuse_active_pdf(action: str | None) -> None:
    if action == "JavaScript":
        raise RefusedFile(
            _("PDF文件含有JavaScript脚本（可在打开文件时自动运行），拒绝接收；请用“另存为PDF”或“打印为PDF”生成不含脚本的文件后重新上传")
        )
    if action == "Launch":
        raise RefusedFile(
            _("PDF文件含有启动外部程序的动作（Launch），拒绝接收；请用“另存为PDF”或“打印为PDF”生成不含此类动作的文件后重新上传")
        )


# --- extraction -----------------------------------------------------------------------


def _docx_blocks(container) -> list[str]:
    """Paragraphs and tables in document order; a table row is its cells joined by tabs."""
    from docx.table import Table

    out: list[str] = []
    for block in container.iter_inner_content():
        if isinstance(block, Table):
            for row in block.rows:
                cells, seen = [], set()
                for cell in row.cells:
                    if id(cell._tc) in seen:  # a merged cell repeats in every grid column it spans
                        continue
                    seen.add(id(cell._tc))
                    cells.append("\n".join(_docx_blocks(cell)))
                out.append("\t".join(cells))
        else:
            out.append(block.text)
    return out


def _docx_text(data: bytes) -> str:
    import docx

    check_zip_contents(data)
    document = docx.Document(io.BytesIO(data))
    parts = _docx_blocks(document)
    # 密级 marks often sit in the page header, so headers and footers are screened too.
    for section in document.sections:
        for part in (
            section.first_page_header,
            section.header,
            section.even_page_header,
            section.first_page_footer,
            section.footer,
            section.even_page_footer,
        ):
            if not part.is_linked_to_previous:
                parts.extend(_docx_blocks(part))
    return "\n".join(parts)


def _cell_text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))  # 1.10101199003071e17 would hide an ID number from screening
    if hasattr(value, "isoformat"):
        return value.isoformat()
    return str(value)


def _xlsx_text(data: bytes) -> str:
    import openpyxl

    check_zip_contents(data)
    workbook = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    try:
        rows: list[str] = []
        for sheet in workbook.worksheets:
            if not hasattr(sheet, "iter_rows"):  # chartsheets have no cells
                continue
            for values in sheet.iter_rows(values_only=True):
                cells = [_cell_text(v) for v in values]
                while cells and not cells[-1]:
                    cells.pop()
                rows.append("\t".join(cells))
        return "\n".join(rows)
    finally:
        workbook.close()


def _pdf_text(data: bytes) -> str:
    import pypdf

    reader = pypdf.PdfReader(io.BytesIO(data))
    if reader.is_encrypted and not reader.decrypt(""):
        raise RefusedFile(_("PDF文件已加密，无法提取文字进行保密审查"))
    _refuse_active_pdf(_pdf_action_in_objects(reader))
    return "\n".join(page.extract_text() or "" for page in reader.pages)


_EXTRACTORS = {
    "application/pdf": _pdf_text,
    MIME_DOCX: _docx_text,
    MIME_XLSX: _xlsx_text,
}


def extract_text(data: bytes, kind: FileKind, *, inline: bool = False) -> str:
    """Text of a sniffed file; "" for images, archives, OFD, DOC/XLS/WPS.

    A DOCX/XLSX/PDF that cannot be read raises RefusedFile: screening is mandatory, so
    an unreadable file must not pass as one without findings. The parser runs in a child
    process under the time and memory limits of ``extract_limits``; exceeding one refuses
    the file with a message saying which. ``inline=True`` (a web request) waits at most
    ``inline_seconds``: ExtractTimeout then means "read it in the task worker", not "refused".
    """
    if kind.content_type == "text/plain":
        text = _decode_text(data)
        if text is None:
            raise RefusedFile(_("文件已损坏，无法读取：文本编码无法识别（应为UTF-8或GB18030）"))
        return text
    extractor = _EXTRACTORS.get(kind.content_type)
    if extractor is None:
        return ""
    limits: ExtractLimits = current_limits()
    if inline:
        limits = dataclasses.replace(limits, timeout_seconds=min(limits.timeout_seconds, limits.inline_seconds))
    extract_child.preload()
    return extract_child.run_limited(extractor, data, limits, kind.label)
