"""`yangguang screen [--json] PATH`: screen a file or stdin before publication."""

from __future__ import annotations

import json
import sys
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from yangguang.core.extract import RefusedFile, extract_text, sniff
from yangguang.core.screening import BLOCKING, Finding, screen_text

EXIT_CLEAN = 0
EXIT_BLOCKING = 1
EXIT_ERROR = 2

SEVERITY_LABELS = {BLOCKING: gettext_lazy("阻断"), "warning": gettext_lazy("警告")}


class Command(BaseCommand):
    # Pure text work: no database, and no reason to fail on unrelated system checks.
    requires_system_checks: list[str] = []
    help = (
        "保密审查与个人隐私排查：检查文件或标准输入中的密级标志、身份证号、银行卡号、"
        "手机号码、电子邮箱、详细住址和敏感词。PATH 为 - 时从标准输入读取 UTF-8 文本；"
        "其他文件先按内容识别类型并提取文字（PDF、DOCX、XLSX、TXT）。"
        f"退出码：{EXIT_CLEAN} 无阻断项；{EXIT_BLOCKING} 存在阻断项；"
        f"{EXIT_ERROR} 文件不存在、无法读取或被拒绝。"
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("path", metavar="PATH", help="要检查的文件；- 表示标准输入")
        parser.add_argument(
            "--json",
            action="store_true",
            help="只在标准输出打印 JSON 数组：[{kind, severity, start, end, text}]",
        )

    def handle(self, *args: object, **options: object) -> None:
        text, note = self._read(str(options["path"]))
        findings = screen_text(text)
        if options["json"]:
            self.stdout.write(json.dumps([f.as_dict() for f in findings], ensure_ascii=False))
        else:
            self._print_listing(findings, note)
        if any(f.severity == BLOCKING for f in findings):
            self.stdout.flush()
            # Exit status is the contract for scripts and CI; the listing is already printed.
            raise SystemExit(EXIT_BLOCKING)

    def _read(self, path: str) -> tuple[str, str]:
        """The text to screen, and a note for the listing when nothing could be extracted."""
        if path == "-":
            stream = getattr(sys.stdin, "buffer", None)
            if stream is None:  # a replaced stdin (tests) may be text-only
                return sys.stdin.read(), ""
            try:
                return stream.read().decode("utf-8-sig"), ""
            except UnicodeDecodeError as exc:
                raise CommandError(_("标准输入不是有效的UTF-8文本"), returncode=EXIT_ERROR) from exc
        file = Path(path)
        if not file.is_file():
            raise CommandError(_("文件不存在：%(path)s") % {"path": path}, returncode=EXIT_ERROR)
        try:
            data = file.read_bytes()
        except OSError as exc:
            raise CommandError(_("无法读取文件：%(path)s（%(reason)s）") % {"path": path, "reason": exc.strerror},
                               returncode=EXIT_ERROR) from exc
        try:
            kind = sniff(data, file.name)
            text = extract_text(data, kind)
        except RefusedFile as exc:
            raise CommandError(f"{path}：{exc.message}", returncode=EXIT_ERROR) from exc
        note = "" if text.strip() else _("未能从该文件提取文字（%(kind)s），请人工审查。") % {"kind": kind.label}
        return text, note

    def _print_listing(self, findings: list[Finding], note: str) -> None:
        if note:
            self.stdout.write(note)
        for f in findings:
            severity = str(SEVERITY_LABELS.get(f.severity, f.severity))
            self.stdout.write(f"{severity}\t{f.label}\t[{f.start}:{f.end}]\t{f.text}")
        blocking = sum(1 for f in findings if f.severity == BLOCKING)
        if findings:
            self.stdout.write(_("共发现%(total)d处：阻断%(blocking)d处，警告%(warnings)d处。") % {
                "total": len(findings), "blocking": blocking, "warnings": len(findings) - blocking})
        else:
            self.stdout.write(_("未发现问题。"))
