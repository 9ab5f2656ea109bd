"""`yangguang screen`: JSON output, listing, exit codes, stdin, refused files."""

from __future__ import annotations

import io
import json
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

REPO = Path(__file__).resolve().parents[2]


def id_with_check(body17: str) -> str:
    # GB 11643-1999: weight of position i (1-based from the left) is 2^(18-i) mod 11.
    total = sum(int(c) * pow(2, 17 - i, 11) for i, c in enumerate(body17))
    code = (12 - total % 11) % 11
    return body17 + ("X" if code == 10 else str(code))


VALID_ID = id_with_check("11010119900307123")
BLOCKING_TEXT = f"机密★1年\n联系人：张三 电话：13812345678\n身份证号：{VALID_ID}\n"
WARNING_TEXT = "如有疑问请致电13812345678。\n"
MOBILE_AT = WARNING_TEXT.index("138")
CLEAN_TEXT = "严格落实保密审查制度，推进政务公开。\n"


def run_cli(*args: str, stdin: bytes | None = None) -> subprocess.CompletedProcess[bytes]:
    return subprocess.run(
        [sys.executable, "-m", "yangguang", "screen", *args],
        input=stdin,
        capture_output=True,
        cwd=REPO,
        timeout=120,
        check=False,
    )


@pytest.fixture
def blocking_file(tmp_path: Path) -> Path:
    path = tmp_path / "公示.txt"
    path.write_text(BLOCKING_TEXT, encoding="utf-8")
    return path


# --- call_command -----------------------------------------------------------------------


def test_call_command_json_with_blocking_exits_1(blocking_file: Path) -> None:
    out = io.StringIO()
    with pytest.raises(SystemExit) as excinfo:
        call_command("screen", "--json", str(blocking_file), stdout=out)
    assert excinfo.value.code == 1
    findings = json.loads(out.getvalue())
    assert [(f["kind"], f["severity"]) for f in findings] == [
        ("secret_mark", "blocking"),
        ("sensitive_word", "warning"),
        ("mobile", "warning"),
        ("id_card", "blocking"),
    ]
    for f in findings:
        assert set(f) == {"kind", "severity", "start", "end", "text"}
        assert BLOCKING_TEXT[f["start"] : f["end"]] == f["text"]


def test_call_command_warnings_only_returns_normally(tmp_path: Path) -> None:
    path = tmp_path / "a.txt"
    path.write_text(WARNING_TEXT, encoding="utf-8")
    out = io.StringIO()
    call_command("screen", str(path), stdout=out)
    lines = out.getvalue().splitlines()
    assert lines[0] == f"警告\t手机号码\t[{MOBILE_AT}:{MOBILE_AT + 11}]\t13812345678"
    assert lines[-1] == "共发现1处：阻断0处，警告1处。"


def test_call_command_listing_prints_text_as_found(blocking_file: Path) -> None:
    out = io.StringIO()
    with pytest.raises(SystemExit):
        call_command("screen", str(blocking_file), stdout=out)
    listing = out.getvalue()
    assert (
        f"阻断\t居民身份证号\t[{BLOCKING_TEXT.index(VALID_ID)}:{BLOCKING_TEXT.index(VALID_ID) + 18}]\t{VALID_ID}"
        in listing
    )
    assert "阻断\t密级标志\t[0:5]\t机密★1年" in listing


def test_call_command_stdin(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(
        sys, "stdin", io.TextIOWrapper(io.BytesIO(CLEAN_TEXT.encode("utf-8")), encoding="utf-8")
    )
    out = io.StringIO()
    call_command("screen", "--json", "-", stdout=out)
    assert json.loads(out.getvalue()) == []


def test_call_command_missing_file(tmp_path: Path) -> None:
    with pytest.raises(CommandError, match="文件不存在") as excinfo:
        call_command("screen", str(tmp_path / "absent.pdf"))
    assert excinfo.value.returncode == 2


def test_call_command_refused_file(tmp_path: Path) -> None:
    path = tmp_path / "通知.pdf"
    path.write_bytes(b"<html><script>alert(1)</script></html>")
    with pytest.raises(CommandError, match="文件内容与扩展名不符：扩展名为.pdf，内容为HTML文件") as excinfo:
        call_command("screen", str(path))
    assert excinfo.value.returncode == 2


def test_call_command_docx(tmp_path: Path) -> None:
    import docx

    document = docx.Document()
    document.add_paragraph(f"身份证号：{VALID_ID}")
    path = tmp_path / "名单.docx"
    document.save(str(path))
    out = io.StringIO()
    with pytest.raises(SystemExit):
        call_command("screen", "--json", str(path), stdout=out)
    assert [f["text"] for f in json.loads(out.getvalue())] == [VALID_ID]


# --- the console script, as a subprocess --------------------------------------------------


def test_cli_json_file_blocking(blocking_file: Path) -> None:
    result = run_cli("--json", str(blocking_file))
    assert result.returncode == 1, result.stderr.decode()
    findings = json.loads(result.stdout.decode("utf-8"))  # stdout holds the JSON and nothing else
    assert {f["kind"] for f in findings} == {"secret_mark", "sensitive_word", "mobile", "id_card"}
    assert all(BLOCKING_TEXT[f["start"] : f["end"]] == f["text"] for f in findings)


def test_cli_json_stdin() -> None:
    result = run_cli("--json", "-", stdin=WARNING_TEXT.encode("utf-8"))
    assert result.returncode == 0, result.stderr.decode()
    assert json.loads(result.stdout.decode("utf-8")) == [
        {
            "kind": "mobile",
            "severity": "warning",
            "start": MOBILE_AT,
            "end": MOBILE_AT + 11,
            "text": "13812345678",
        }
    ]


def test_cli_stdin_blocking() -> None:
    result = run_cli("--json", "-", stdin="本件为内部资料".encode())
    assert result.returncode == 1
    assert json.loads(result.stdout.decode("utf-8"))[0]["text"] == "内部资料"


def test_cli_clean_listing() -> None:
    result = run_cli("-", stdin=CLEAN_TEXT.encode("utf-8"))
    assert result.returncode == 0
    assert result.stdout.decode("utf-8").strip() == "未发现问题。"


def test_cli_errors_exit_2(tmp_path: Path) -> None:
    result = run_cli("--json", str(tmp_path / "absent.txt"))
    assert result.returncode == 2
    assert result.stdout == b""
    assert "文件不存在" in result.stderr.decode("utf-8")
    exe = tmp_path / "报告.pdf"
    exe.write_bytes(b"MZ\x90\x00\x03\x00\x00\x00" + b"\x00" * 64)
    result = run_cli(str(exe))
    assert result.returncode == 2
    assert "内容为可执行文件" in result.stderr.decode("utf-8")


def test_cli_help_documents_exit_codes() -> None:
    result = run_cli("--help")
    assert result.returncode == 0
    assert "退出码" in result.stdout.decode("utf-8")
