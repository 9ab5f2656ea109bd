"""Run a file parser in a forked child with memory, CPU and wall-clock limits.

Why fork and not a fresh interpreter: the web worker has already imported python-docx,
openpyxl and pypdf (see :func:`preload`), so a forked child starts parsing at once; a new
``python -m`` process would import them again on every upload (measured in the report of
issue #15: fork ≈ a few ms per file, a fresh interpreter ≈ 0.3 s). gunicorn's sync workers are
single-threaded, so forking is safe; a child that deadlocked anyway is killed by the timeout.

The child gets:
- RLIMIT_AS = what it inherited + ``memory_bytes``: an allocation past it raises MemoryError
  (or the parser aborts), instead of growing the web worker to gigabytes;
- RLIMIT_CPU = the timeout: if the web worker itself is killed, the orphan still stops;
- RLIMIT_CORE = 0: a crash does not write the worker's memory to disk;
- no file descriptors but its result pipe and stdio: a parser bug cannot reach the
  database connection or the client socket.

The result comes back as one tagged byte string (never pickle: the child handles hostile
input, the parent must not execute what it sends).
"""

from __future__ import annotations

import os
import select
import signal
import time
from collections.abc import Callable

from django.utils.translation import gettext as _

from yangguang.core.extract_limits import ExtractLimits, ExtractTimeout, RefusedFile, megabytes

# Tags of the child's answer.
_TEXT = b"T"  # utf-8 text follows
_REFUSED = b"R"  # the parser refused the file: utf-8 message follows
_MEMORY = b"M"  # MemoryError
_BROKEN = b"E"  # any other exception: its class name follows

# lxml reports a failed malloc as an XMLSyntaxError ("Memory allocation failed", or "unknown
# error" as measured with python-docx on the issue's file), not as MemoryError. So any error
# raised after the child's peak address space came this close to its ceiling counts as memory.
_CEILING_MARGIN = 64 * 1024 * 1024
_ceiling: int | None = None  # set in the child by _limit_self

_PAGE_SIZE = os.sysconf("SC_PAGE_SIZE") if hasattr(os, "sysconf") else 4096


def preload() -> None:
    """Import the parsers once in the parent, so no child pays for importing them."""
    import docx  # noqa: F401
    import openpyxl  # noqa: F401
    import pypdf  # noqa: F401


def timeout_message(limits: ExtractLimits) -> str:
    return _("文件解析超时（超过%(seconds)g秒），可能是构造异常的文件，拒绝接收；如确为正常文件，请拆分后重新上传") % {
        "seconds": limits.timeout_seconds
    }


def memory_message(limits: ExtractLimits) -> str:
    return _("文件解析所需内存超过%(limit)s，可能是压缩炸弹或构造异常的文件，拒绝接收") % {
        "limit": megabytes(limits.memory_bytes)
    }


def _address_space() -> int | None:
    try:
        with open("/proc/self/statm", "rb") as f:
            return int(f.read().split()[0]) * _PAGE_SIZE
    except (OSError, ValueError, IndexError):
        return None


def _peak_address_space() -> int | None:
    try:
        with open("/proc/self/status", "rb") as f:
            for line in f:
                if line.startswith(b"VmPeak:"):
                    return int(line.split()[1]) * 1024
    except (OSError, ValueError, IndexError):
        pass
    return None


def _hit_memory_limit() -> bool:
    peak = _peak_address_space()
    return _ceiling is not None and peak is not None and peak >= _ceiling - _CEILING_MARGIN


def _max_fd() -> int:
    import resource

    soft = resource.getrlimit(resource.RLIMIT_NOFILE)[0]
    return soft if 0 < soft < 1 << 20 else 1 << 20


def _limit_self(limits: ExtractLimits) -> None:
    import resource

    resource.setrlimit(resource.RLIMIT_CORE, (0, 0))
    cpu = max(1, int(limits.timeout_seconds + 1))
    resource.setrlimit(resource.RLIMIT_CPU, (cpu, cpu + 1))
    global _ceiling
    inherited = _address_space()
    if inherited is not None:
        _ceiling = inherited + limits.memory_bytes
        resource.setrlimit(resource.RLIMIT_AS, (_ceiling, _ceiling))


def _answer(parse: Callable[[bytes], str], data: bytes) -> bytes:
    try:
        return _TEXT + parse(data).encode("utf-8", "surrogatepass")
    except RefusedFile as exc:
        return _REFUSED + exc.message.encode("utf-8", "surrogatepass")
    except MemoryError:
        return _MEMORY
    except Exception as exc:  # the parsers raise a zoo of errors on malformed input
        if _hit_memory_limit():
            return _MEMORY
        return _BROKEN + type(exc).__name__.encode("ascii", "replace")


def _child(parse: Callable[[bytes], str], data: bytes, limits: ExtractLimits, out: int) -> None:
    """Runs in the forked child; never returns."""
    code = 70  # EX_SOFTWARE, if anything below fails before the answer is written
    try:
        for sig in (signal.SIGTERM, signal.SIGINT, signal.SIGQUIT, signal.SIGHUP):
            signal.signal(sig, signal.SIG_DFL)  # not the web worker's graceful-shutdown handlers
        os.closerange(3, out)
        os.closerange(out + 1, _max_fd())
        _limit_self(limits)
        answer = _answer(parse, data)
        view = memoryview(answer)
        while view:
            view = view[os.write(out, view) :]
        code = 0
    finally:
        os._exit(code)  # no atexit handlers, no flushing of the parent's buffers


def _kill(pid: int) -> None:
    try:
        os.kill(pid, signal.SIGKILL)
    except ProcessLookupError:
        pass
    _reap(pid)


def _reap(pid: int) -> int:
    try:
        return os.waitpid(pid, 0)[1]
    except ChildProcessError:  # already reaped (SIGCHLD ignored)
        return 0


def _read_answer(pid: int, fd: int, limits: ExtractLimits) -> bytes:
    deadline = time.monotonic() + limits.timeout_seconds
    chunks: list[bytes] = []
    size = 0
    while True:
        remaining = deadline - time.monotonic()
        if remaining <= 0:
            _kill(pid)
            raise ExtractTimeout(timeout_message(limits))
        ready, _w, _x = select.select([fd], [], [], remaining)
        if not ready:
            continue
        chunk = os.read(fd, 1 << 20)
        if not chunk:
            return b"".join(chunks)
        size += len(chunk)
        if size > limits.max_text_bytes + 1:
            _kill(pid)
            raise RefusedFile(
                _("从文件中提取的文字超过%(limit)s，拒绝接收") % {"limit": megabytes(limits.max_text_bytes)}
            )
        chunks.append(chunk)


def run_limited(parse: Callable[[bytes], str], data: bytes, limits: ExtractLimits, label: str) -> str:
    """``parse(data)`` in a child under ``limits``; RefusedFile on any limit or parser failure."""
    if not hasattr(os, "fork"):  # not POSIX: parse in-process (the ZIP checks still ran)
        return _decode(_answer(parse, data), limits, label)
    read_fd, write_fd = os.pipe()
    pid = os.fork()
    if pid == 0:
        os.close(read_fd)
        _child(parse, data, limits, write_fd)
    os.close(write_fd)
    try:
        answer = _read_answer(pid, read_fd, limits)
    finally:
        os.close(read_fd)
    status = _reap(pid)
    if os.WIFEXITED(status) and os.WEXITSTATUS(status) == 0:
        return _decode(answer, limits, label)
    # No complete answer: the child died. SIGXCPU is the CPU limit; a signal otherwise (SIGSEGV or
    # SIGABRT from a parser's failed allocation, the kernel's OOM killer) means memory.
    if os.WIFSIGNALED(status):
        if os.WTERMSIG(status) == signal.SIGXCPU:
            raise ExtractTimeout(timeout_message(limits))
        raise RefusedFile(memory_message(limits))
    raise RefusedFile(_("文件解析进程异常退出，无法完成审查，拒绝接收"))


def _decode(answer: bytes, limits: ExtractLimits, label: str) -> str:
    tag, body = answer[:1], answer[1:]
    if tag == _TEXT:
        return body.decode("utf-8", "surrogatepass")
    if tag == _REFUSED:
        raise RefusedFile(body.decode("utf-8", "surrogatepass"))
    if tag == _MEMORY:
        raise RefusedFile(memory_message(limits))
    error = body.decode("ascii", "replace") if tag == _BROKEN else "?"
    raise RefusedFile(_("文件已损坏，无法读取：%(label)s文件（%(error)s）") % {"label": label, "error": error})
