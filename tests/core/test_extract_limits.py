"""Extraction with limits (issue #15 items 2 and 10): ZIP bombs, parser limits in a child
process, PDF JavaScript/Launch actions. Nothing here measures seconds: each case asserts
that the file is refused and which limit said so."""

from __future__ import annotations

import io
import os
import resource
import signal
import zipfile
import zlib
from pathlib import Path

import docx
import pytest

from yangguang.core import extract, extract_child
from yangguang.core.extract import RefusedFile, extract_text, sniff
from yangguang.core.extract_limits import (
    ZIP_MAX_ENTRIES,
    ZIP_MAX_RATIO,
    ExtractLimits,
    current_limits,
)

MB = 1024 * 1024


# --- builders ---------------------------------------------------------------------------


def docx_bomb(unpacked: int = 100 * MB) -> bytes:
    """The issue's file: a valid .docx whose document.xml unpacks to ~100 MB (~0.3 MB packed)."""
    template = io.BytesIO()
    docx.Document().save(template)
    source = zipfile.ZipFile(template)
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as zf:
        for info in source.infolist():
            if info.filename != "word/document.xml":
                zf.writestr(info, source.read(info))
                continue
            head, tail = source.read(info).decode().split("<w:body>")
            chunk = ("<w:p><w:r><w:t>政务公开</w:t></w:r></w:p>" * 10_000).encode()
            with zf.open("word/document.xml", "w", force_zip64=True) as part:  # streamed: no 100 MB string
                part.write((head + "<w:body>").encode())
                for _ in range(unpacked // len(chunk) + 1):
                    part.write(chunk)
                part.write(tail.encode())
    return out.getvalue()


@pytest.fixture(scope="module")
def bomb() -> bytes:
    return docx_bomb()


def small_docx(text: str = "关于做好政务公开工作的通知") -> bytes:
    document = docx.Document()
    document.add_paragraph(text)
    buf = io.BytesIO()
    document.save(buf)
    return buf.getvalue()


def zip_of(entries: dict[str, bytes]) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, data in entries.items():
            zf.writestr(name, data)
    return buf.getvalue()


def pdf(catalog_extra: str = "", objects: tuple[str, ...] = ()) -> bytes:
    """A one-page PDF (classic xref); ``objects`` are numbered from 4."""
    bodies = [
        f"<< /Type /Catalog /Pages 2 0 R {catalog_extra}>>",
        "<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] >>",
        *objects,
    ]
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(bodies, start=1):
        offsets.append(len(out))
        out += f"{number} 0 obj\n{body}\nendobj\n".encode("latin-1")
    xref = len(out)
    out += f"xref\n0 {len(bodies) + 1}\n0000000000 65535 f \n".encode()
    out += b"".join(f"{o:010d} 00000 n \n".encode() for o in offsets)
    out += f"trailer\n<< /Size {len(bodies) + 1} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n".encode()
    return bytes(out)


def pdf_with_action_in_object_stream(action: str) -> bytes:
    """PDF 1.5: the /OpenAction dictionary (object 4) sits in a compressed object stream
    (object 5), found through a cross-reference stream (object 6); its names never appear
    in the raw bytes."""
    plain = {
        1: "<< /Type /Catalog /Pages 2 0 R /OpenAction 4 0 R >>",
        2: "<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        3: "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] >>",
    }
    header = b"4 0 "
    packed = zlib.compress(header + action.encode("latin-1"))
    out = bytearray(b"%PDF-1.5\n")
    offsets = {}
    for number, body in plain.items():
        offsets[number] = len(out)
        out += f"{number} 0 obj\n{body}\nendobj\n".encode("latin-1")
    offsets[5] = len(out)
    out += (
        f"5 0 obj\n<< /Type /ObjStm /N 1 /First {len(header)} /Filter /FlateDecode /Length {len(packed)} >>\n"
        "stream\n"
    ).encode() + packed + b"\nendstream\nendobj\n"
    offsets[6] = len(out)
    rows = [b"\x00" + (0).to_bytes(4, "big") + (65535).to_bytes(2, "big")]
    for number in (1, 2, 3):
        rows.append(b"\x01" + offsets[number].to_bytes(4, "big") + b"\x00\x00")
    rows.append(b"\x02" + (5).to_bytes(4, "big") + (0).to_bytes(2, "big"))  # object 4: stream 5, index 0
    for number in (5, 6):
        rows.append(b"\x01" + offsets[number].to_bytes(4, "big") + b"\x00\x00")
    table = b"".join(rows)
    out += (
        f"6 0 obj\n<< /Type /XRef /Size 7 /W [1 4 2] /Root 1 0 R /Length {len(table)} >>\nstream\n"
    ).encode() + table + b"\nendstream\nendobj\n"
    out += f"startxref\n{offsets[6]}\n%%EOF\n".encode()
    return bytes(out)


JS_ACTION = "<< /S /JavaScript /JS (app.alert\\('x'\\);) >>"
LAUNCH_ACTION = "<< /S /Launch /F (C:\\\\Windows\\\\System32\\\\calc.exe) >>"


# --- ZIP bombs: refused from the directory, before any parser runs -----------------------


def test_docx_bomb_is_refused_while_sniffing(bomb: bytes) -> None:
    assert len(bomb) < 1 * MB  # the shape: a small upload
    with pytest.raises(RefusedFile) as excinfo:
        sniff(bomb, "通知.docx")
    message = excinfo.value.message
    assert "word/document.xml" in message and "压缩炸弹" in message and f"上限{ZIP_MAX_RATIO}:1" in message


def test_docx_bomb_is_refused_by_extraction_too(bomb: bytes) -> None:
    """A caller that skipped sniffing still gets the ZIP checks (they run again in the child)."""
    kind = extract.FileKind(extract.MIME_DOCX, "Word", ".docx")
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    with pytest.raises(RefusedFile, match="压缩炸弹"):
        extract_text(bomb, kind)
    # python-docx on this file held ~1.4 GB; the web worker's peak must not have moved by that.
    assert resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - before < 100 * 1024  # KiB


def test_bomb_past_the_zip_checks_is_stopped_by_the_childs_memory_limit(bomb: bytes, settings) -> None:
    """Defence in depth: with the ZIP limits switched off, python-docx runs on the 100 MB part
    and the child process, not the web worker, hits its address-space limit."""
    settings.EXTRACT_LIMITS = {"zip_max_ratio": 10_000, "memory_bytes": 200 * MB}
    kind = sniff(bomb, "通知.docx")
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    with pytest.raises(RefusedFile) as excinfo:
        extract_text(bomb, kind)
    assert excinfo.value.message == "文件解析所需内存超过200 MB，可能是压缩炸弹或构造异常的文件，拒绝接收"
    assert resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - before < 100 * 1024  # KiB


def test_xlsx_with_too_many_entries() -> None:
    entries = {"[Content_Types].xml": b"<Types/>", "xl/workbook.xml": b"<workbook/>"}
    entries.update({f"xl/media/image{i}.png": b"" for i in range(ZIP_MAX_ENTRIES)})
    data = zip_of(entries)
    with pytest.raises(RefusedFile) as excinfo:
        sniff(data, "统计表.xlsx")
    assert excinfo.value.message == (
        f"文件包含的条目过多（{ZIP_MAX_ENTRIES + 2}个，上限{ZIP_MAX_ENTRIES}个），可能是压缩炸弹，拒绝接收"
    )


def test_ratio_bomb_in_a_plain_zip() -> None:
    data = zip_of({"说明.txt": b"\x00" * (20 * MB)})  # 20 MB of zeros packs to ~20 KB
    with pytest.raises(RefusedFile, match=r"“说明.txt”压缩比异常（约\d+:1，上限100:1），可能是压缩炸弹"):
        sniff(data, "附件.zip")


def test_total_unpacked_size_limit_from_settings(settings) -> None:
    # Sentences of varied numbers pack ~4:1: under the ratio limit, over the (lowered) total.
    text = "".join(f"第{i}条：本年度公开信息{i * 7919 % 100000}条。\n" for i in range(60_000)).encode()
    data = zip_of({"[Content_Types].xml": b"<Types/>", "word/document.xml": text})
    assert sniff(data, "报告.docx").label == "Word"
    settings.EXTRACT_LIMITS = {"zip_max_total_bytes": 1 * MB}
    with pytest.raises(RefusedFile) as excinfo:
        sniff(data, "报告.docx")
    assert excinfo.value.message == "文件解压后内容过大（超过1 MB），可能是压缩炸弹，拒绝接收"


def test_limits_are_constants_with_settings_override(settings) -> None:
    assert current_limits() == ExtractLimits()
    settings.EXTRACT_LIMITS = {"timeout_seconds": 5}
    assert current_limits().timeout_seconds == 5
    assert current_limits().zip_max_entries == ZIP_MAX_ENTRIES


# --- the child process: time, memory, isolation -------------------------------------------


def _loop_forever(pid_file: Path):
    def parse(data: bytes) -> str:
        pid_file.write_text(str(os.getpid()))
        while True:
            pass

    return parse


def _process_gone(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return True
    return False


def test_parser_that_never_finishes_is_killed_and_refused(tmp_path: Path, settings, monkeypatch) -> None:
    settings.EXTRACT_LIMITS = {"timeout_seconds": 0.5}
    pid_file = tmp_path / "child.pid"
    monkeypatch.setitem(extract._EXTRACTORS, extract.MIME_DOCX, _loop_forever(pid_file))
    data = small_docx()
    with pytest.raises(RefusedFile) as excinfo:
        extract_text(data, sniff(data, "通知.docx"))
    assert excinfo.value.message.startswith("文件解析超时（超过0.5秒）")
    child = int(pid_file.read_text())
    assert child != os.getpid() and _process_gone(child)  # killed and reaped, no zombie left


def test_parser_that_allocates_too_much_is_refused() -> None:
    limits = ExtractLimits(memory_bytes=100 * MB)
    with pytest.raises(RefusedFile) as excinfo:
        extract_child.run_limited(lambda data: str(len(bytearray(2048 * MB))), b"", limits, "Word")
    assert excinfo.value.message == "文件解析所需内存超过100 MB，可能是压缩炸弹或构造异常的文件，拒绝接收"


@pytest.mark.parametrize(
    ("sig", "message_start"),
    [(signal.SIGXCPU, "文件解析超时"), (signal.SIGSEGV, "文件解析所需内存超过"), (signal.SIGKILL, "文件解析所需内存超过")],
)
def test_child_killed_by_a_signal_is_refused(sig: int, message_start: str) -> None:
    def die(data: bytes) -> str:
        os.kill(os.getpid(), sig)
        return "never"

    with pytest.raises(RefusedFile) as excinfo:
        extract_child.run_limited(die, b"", ExtractLimits(), "PDF")
    assert excinfo.value.message.startswith(message_start)


def test_child_cannot_use_the_workers_open_files(tmp_path: Path) -> None:
    secret = tmp_path / "db-connection"
    secret.write_text("x")
    with secret.open() as f:

        def peek(data: bytes) -> str:
            try:
                os.fstat(f.fileno())
            except OSError:
                return "closed"
            return "open"

        assert extract_child.run_limited(peek, b"", ExtractLimits(), "Word") == "closed"
        assert os.fstat(f.fileno())  # the parent's own descriptor is untouched


def test_child_returns_text_exactly() -> None:
    text = "第一行\t身份证\n" + "政务公开" * 300_000 + "\U0001f600"  # > one pipe buffer, astral plane
    assert extract_child.run_limited(lambda data: text, b"", ExtractLimits(), "Word") == text


# --- PDF JavaScript and Launch actions ------------------------------------------------------


@pytest.mark.parametrize(
    ("data", "what"),
    [
        (pdf("/OpenAction 4 0 R ", (JS_ACTION,)), "JavaScript"),
        (pdf(f"/OpenAction {JS_ACTION} "), "JavaScript"),
        (pdf("/Names << /JavaScript << /Names [(a) 4 0 R] >> >> ", (JS_ACTION,)), "JavaScript"),
        (pdf("/OpenAction << /S /J#61vaScript /J#53 (app.alert\\(1\\)) >> "), "JavaScript"),
        (pdf("/OpenAction 4 0 R ", (LAUNCH_ACTION,)), "Launch"),
        (pdf("/AA << /WC 4 0 R >> ", ("<< /S /L#61unch /F (run.bat) >>",)), "Launch"),
    ],
    ids=["open-action-js", "direct-js", "names-tree-js", "hex-escaped-js", "launch", "hex-escaped-launch"],
)
def test_pdf_with_active_content_is_refused_on_upload(data: bytes, what: str) -> None:
    with pytest.raises(RefusedFile) as excinfo:
        sniff(data, "公告.pdf")
    assert what in excinfo.value.message and "拒绝接收" in excinfo.value.message


@pytest.mark.parametrize(("action", "what"), [(JS_ACTION, "JavaScript"), (LAUNCH_ACTION, "Launch")])
def test_pdf_action_hidden_in_a_compressed_object_stream_is_refused_on_extraction(action: str, what: str) -> None:
    data = pdf_with_action_in_object_stream(action)
    kind = sniff(data, "公告.pdf")  # the raw bytes show nothing
    with pytest.raises(RefusedFile) as excinfo:
        extract_text(data, kind)
    assert what in excinfo.value.message and "拒绝接收" in excinfo.value.message


def test_links_and_the_word_javascript_are_not_actions() -> None:
    """Guards the new check against refusing ordinary PDFs (passes on the old code by design)."""
    uri = "<< /S /URI /URI (https://www.gov.cn/) >>"
    link = f"<< /Type /Annot /Subtype /Link /A {uri} /Contents (JavaScript) >>"
    for data in (pdf("/OpenAction [3 0 R /Fit] ", (link,)), pdf_with_action_in_object_stream(uri)):
        assert extract_text(data, sniff(data, "公告.pdf")) == ""
