"""What reading an uploaded file may cost (issue #15 item 2: a 341 KB .docx that unpacks to
100 MB held a web worker for 121 s at ~2 GB until gunicorn killed it).

Two lines of defence:

1. Before any parser runs, the ZIP directory of a DOCX/XLSX (and of every ZIP-based upload)
   is checked: entry count, total declared size and the compression ratio of each large
   entry (:func:`check_zip_directory`, called while sniffing; milliseconds, in-process).
   Then, in the child process, every entry is decompressed in chunks and counted, so a
   declared size that lies stops the read at the limit instead of trusting the header
   (:func:`check_zip_contents`).
2. The parser itself (python-docx, openpyxl, pypdf) runs in a forked child process with an
   address-space and CPU-time limit and a wall-clock timeout (``extract_child``).

Every limit is a named constant with its reason; a deployment may override any of them with
``settings.EXTRACT_LIMITS = {"timeout_seconds": 90, ...}`` (field names of :class:`ExtractLimits`).
"""

from __future__ import annotations

import dataclasses
import io
import zipfile
from dataclasses import dataclass

from django.utils.translation import gettext as _

from yangguang.core.errors import ServiceError
from yangguang.core.text import clean_text

MB = 1024 * 1024

# An Office file is a few dozen parts; a workbook with hundreds of sheets and images still has
# well under a thousand. Tens of thousands of entries is a way to spend the parser's time and
# memory on directory bookkeeping alone.
ZIP_MAX_ENTRIES = 10_000
# Sum of the parts' unpacked sizes. Measured: openpyxl needs ~17 s for a 32 MB sheet part (a
# 2 MB .xlsx of 100,000 rows) and python-docx holds ~15× a part's size as an lxml tree, so
# 200 MB is already far more than a government attachment needs and about what the parser
# can read inside the time and memory limits below.
ZIP_MAX_TOTAL_BYTES = 200 * MB
# Deflate reaches ~1030:1 on repeated bytes; real document parts measure 5–35:1 (XML, sheet
# data; a 100,000-row sheet is 17:1, Word's default styles.xml 29:1). Above 100:1 a part of
# more than a megabyte is padding, not content: the 341 KB → 100 MB .docx is 343:1.
ZIP_MAX_RATIO = 100
# Small parts may legitimately compress better (a document of empty paragraphs measures 160:1
# at 120 KB); below this size the ratio cannot cost anything worth refusing.
ZIP_RATIO_MIN_BYTES = 1 * MB
# Wall-clock limit for one file's extraction in the child. Below gunicorn's 120 s worker
# timeout (core/management/commands/serve.py), so the clerk gets a message instead of a 500;
# above the slowest legitimate file measured (the 100,000-row sheet above: ~17 s on the
# 2-core test machine).
EXTRACT_TIMEOUT_SECONDS = 60.0
# What a web request waits for the parser (issue #15: "a hostile file never costs a web worker more
# than a second"). A file not read by then is stored as 读取审查中 and read by the task worker under
# the full limits above (publishing/services/attachments.py); nearly every real attachment (a few
# pages of Word or PDF) is read well within it.
EXTRACT_INLINE_SECONDS = 1.0
# Address space the child may add to what it inherits from the web worker. python-docx on the
# largest part allowed above would need several GB; a normal attachment needs < 100 MB.
EXTRACT_MEMORY_BYTES = 1024 * MB
# Text the child may hand back (the parent buffers it): more than any document's words.
EXTRACT_MAX_TEXT_BYTES = 256 * MB

# Chunk size for counting decompressed bytes: bounded memory, few Python-level loops.
_READ_CHUNK = 1 * MB


@dataclass(frozen=True)
class ExtractLimits:
    zip_max_entries: int = ZIP_MAX_ENTRIES
    zip_max_total_bytes: int = ZIP_MAX_TOTAL_BYTES
    zip_max_ratio: float = ZIP_MAX_RATIO
    zip_ratio_min_bytes: int = ZIP_RATIO_MIN_BYTES
    timeout_seconds: float = EXTRACT_TIMEOUT_SECONDS
    inline_seconds: float = EXTRACT_INLINE_SECONDS
    memory_bytes: int = EXTRACT_MEMORY_BYTES
    max_text_bytes: int = EXTRACT_MAX_TEXT_BYTES


class RefusedFile(ServiceError):
    """The upload is refused; ``message`` is a Chinese sentence fit to show the user.

    Defined here so the limits can raise it; ``yangguang.core.extract.RefusedFile`` is the same class.
    """


class ExtractTimeout(RefusedFile):
    """The parser ran out of time (wall clock or CPU): refused, or, for a web request's short
    inline attempt, handed to the task worker."""


def current_limits() -> ExtractLimits:
    """The limits in force: the constants above, with ``settings.EXTRACT_LIMITS`` applied."""
    try:
        from django.conf import settings
        from django.core.exceptions import ImproperlyConfigured

        overrides = dict(getattr(settings, "EXTRACT_LIMITS", None) or {})
    except (ImportError, ImproperlyConfigured):
        overrides = {}
    return dataclasses.replace(ExtractLimits(), **overrides)


def megabytes(n: float) -> str:
    return f"{n / MB:g} MB"


def _entry_name(info: zipfile.ZipInfo) -> str:
    name = clean_text(info.filename)
    return name if len(name) <= 60 else name[:57] + "…"


def _bomb(size: float) -> RefusedFile:
    return RefusedFile(
        _("文件解压后内容过大（超过%(limit)s），可能是压缩炸弹，拒绝接收") % {"limit": megabytes(size)}
    )


def check_zip_directory(infos: list[zipfile.ZipInfo], limits: ExtractLimits | None = None) -> None:
    """Refuse a ZIP whose central directory already describes a bomb (declared sizes only)."""
    limits = limits or current_limits()
    if len(infos) > limits.zip_max_entries:
        raise RefusedFile(
            _("文件包含的条目过多（%(count)d个，上限%(limit)d个），可能是压缩炸弹，拒绝接收")
            % {"count": len(infos), "limit": limits.zip_max_entries}
        )
    if sum(i.file_size for i in infos) > limits.zip_max_total_bytes:
        raise _bomb(limits.zip_max_total_bytes)
    for info in infos:
        if info.file_size > limits.zip_ratio_min_bytes and info.file_size > limits.zip_max_ratio * max(
            info.compress_size, 1
        ):
            raise RefusedFile(
                _("文件中的“%(name)s”压缩比异常（约%(ratio)d:1，上限%(limit)g:1），可能是压缩炸弹，拒绝接收")
                % {
                    "name": _entry_name(info),
                    "ratio": info.file_size // max(info.compress_size, 1),
                    "limit": limits.zip_max_ratio,
                }
            )


def check_zip_contents(data: bytes, limits: ExtractLimits | None = None) -> None:
    """Decompress every entry in chunks, counting what actually comes out; never trusts headers.

    The declared sizes passed :func:`check_zip_directory`; an entry that yields more than it
    declared is stopped at that point (one chunk past it), so the total read stays within the
    limit whatever the headers say. Reading every entry to its end also checks its CRC-32.
    """
    limits = limits or current_limits()
    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        infos = zf.infolist()
        check_zip_directory(infos, limits)
        for info in infos:
            produced = 0
            with zf.open(info) as entry:
                while chunk := entry.read(_READ_CHUNK):
                    produced += len(chunk)
                    # The directory check bounded the declared sizes; the bytes must keep to them.
                    if produced > info.file_size:
                        raise RefusedFile(
                            _("文件中的“%(name)s”解压后超过其声明的大小，文件已损坏或被篡改，拒绝接收")
                            % {"name": _entry_name(info)}
                        )
