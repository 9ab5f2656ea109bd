"""Reading and storing an uploaded file — one way for every upload whose text must be screened:
publication attachments (publishing/services/content.py, attachments.py) and the information
released with a disclosure reply (disclosure/services/replies.py).

The file is judged by its content (``extract.sniff``) and its text read for screening while the
upload request waits, for at most ``EXTRACT_INLINE_SECONDS`` (issue #15 item 2: "a hostile file
never costs a web worker more than a second"). A file not read by then is stored as pending and
read by the task worker under the full limits (:func:`read_stored`). The bytes are kept under
``PRIVATE_STORAGE_DIR`` with a random name, outside any URL-mapped folder; only views that check
permission serve them.
"""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.utils.translation import gettext as _

from yangguang.core import extract


@dataclass(frozen=True)
class Upload:
    kind: extract.FileKind
    text: str  # "" while pending, and for files without text (images, archives)
    pending: bool  # not read within the inline limit: the task worker reads it (read_stored)
    size: int
    sha256: str


def read_upload(data: bytes, filename: str, *, max_bytes: int | None = None) -> Upload:
    """Sniff ``data`` and read its text within the inline limit. Raises ``extract.RefusedFile``
    (with a message fit for the uploader) when the file is refused."""
    kind = extract.sniff(data, filename, max_bytes=max_bytes)
    try:
        text, pending = extract.extract_text(data, kind, inline=True), False  # at most EXTRACT_INLINE_SECONDS
    except extract.ExtractTimeout:
        text, pending = "", True
    return Upload(kind=kind, text=text, pending=pending, size=len(data), sha256=hashlib.sha256(data).hexdigest())


def read_stored(path: Path, filename: str) -> tuple[str, str]:
    """``(text, refusal)`` of a stored pending upload, read under the full limits (task worker):
    the text and "" when read, "" and the reason when refused (including the full time limit)."""
    try:
        data = path.read_bytes()
        kind = extract.sniff(data, filename, max_bytes=len(data))
        return extract.extract_text(data, kind), ""
    except extract.RefusedFile as exc:
        return "", exc.message
    except OSError:
        return "", _("附件文件已丢失，无法读取")


def private_dir(name: str) -> Path:
    """A folder under PRIVATE_STORAGE_DIR (created on first use)."""
    path = settings.PRIVATE_STORAGE_DIR / name
    path.mkdir(parents=True, exist_ok=True)
    return path


def store(folder: Path, data: bytes) -> str:
    """Write ``data`` under a random name in ``folder``; returns the name. The caller creates the
    row in a transaction and removes the file if that fails (no file without its row)."""
    name = secrets.token_hex(20)
    (folder / name).write_bytes(data)
    return name


def size_label(size_bytes: int) -> str:
    """A file size for people: "512 B", "35.7 KB", "1.2 MB" (publication and reply attachments)."""
    size = float(size_bytes)
    for unit in ("B", "KB", "MB"):
        if size < 1024:
            return f"{size:.0f} {unit}" if unit == "B" else f"{size:.1f} {unit}"
        size /= 1024
    return f"{size:.1f} GB"
