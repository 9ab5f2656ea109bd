"""`yangguang serve`: gunicorn (with whitenoise for static files), the task worker and the clock,
kept running by a small supervisor.

A child that exits for any reason is started again after a backoff (1 s, doubling up to 30 s;
from 1 s again once it had run a minute), and each exit and restart is logged to stderr. Only
SIGINT (Ctrl-C) or SIGTERM stops the supervisor: it then stops every child (SIGTERM, SIGKILL
after 15 s) and exits 0. On Linux each child also gets SIGTERM if the supervisor itself dies.
For production, run the three processes under a process manager instead (deploy/systemd/).
"""

import ctypes
import os
import signal
import subprocess
import sys
import time
from dataclasses import dataclass, field

from django.core.management.base import BaseCommand
from django.utils.translation import gettext as _

from yangguang.core.resilience import Backoff

STOP_TIMEOUT = 15.0  # seconds a child gets to stop before SIGKILL (a worker may sit in a 10 s busy wait)
POLL = 0.2


def _die_with_parent() -> None:  # pragma: no cover - runs in the child between fork and exec
    try:
        ctypes.CDLL(None, use_errno=True).prctl(1, signal.SIGTERM)  # PR_SET_PDEATHSIG
    except (OSError, AttributeError):
        pass


@dataclass
class Child:
    name: str
    argv: list[str]
    env: dict | None = None
    proc: subprocess.Popen | None = None
    started_at: float = 0.0
    restart_at: float | None = None
    restarts: int = 0
    backoff: Backoff = field(default_factory=Backoff)


class Supervisor:
    def __init__(self, children: list[Child], log):
        self.children = children
        self.log = log
        self.stopping = False

    def start(self, child: Child) -> None:
        preexec = _die_with_parent if sys.platform.startswith("linux") else None
        child.proc = subprocess.Popen(child.argv, env=child.env, preexec_fn=preexec)
        child.started_at = time.monotonic()
        child.restart_at = None

    def request_stop(self, signum, frame) -> None:
        if not self.stopping:
            self.log(_("收到停止信号（%(signal)s），正在停止全部服务……") % {"signal": signal.Signals(signum).name})
        self.stopping = True

    def check(self, now: float) -> None:
        """One supervision step: notice exited children, start those whose backoff is over."""
        for child in self.children:
            if child.proc is not None and child.proc.poll() is not None:
                code = child.proc.returncode
                how = (_("被信号 %(signal)s 终止") % {"signal": signal.Signals(-code).name} if code < 0
                       else _("退出码 %(code)s") % {"code": code})
                delay = child.backoff.failed(now - child.started_at)
                child.restarts += 1
                child.restart_at = now + delay
                self.log(_("子进程“%(name)s”（pid %(pid)s）已退出（%(how)s），%(seconds)g 秒后第 %(n)s 次重启。")
                         % {"name": child.name, "pid": child.proc.pid, "how": how, "seconds": delay,
                            "n": child.restarts})
                child.proc = None
            if child.proc is None and child.restart_at is not None and now >= child.restart_at:
                self.start(child)
                self.log(_("已重启子进程“%(name)s”（pid %(pid)s）。") % {"name": child.name, "pid": child.proc.pid})

    def stop_all(self) -> None:
        running = [c.proc for c in self.children if c.proc is not None and c.proc.poll() is None]
        for proc in running:
            try:
                proc.terminate()
            except ProcessLookupError:
                pass
        deadline = time.monotonic() + STOP_TIMEOUT
        for proc in running:
            try:
                proc.wait(timeout=max(0.1, deadline - time.monotonic()))
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait()

    def run(self) -> int:
        signal.signal(signal.SIGINT, self.request_stop)
        signal.signal(signal.SIGTERM, self.request_stop)
        try:
            for child in self.children:
                self.start(child)
            while not self.stopping:
                self.check(time.monotonic())
                time.sleep(POLL)
        finally:
            self.stop_all()
        return 0


class Command(BaseCommand):
    help = "启动平台：网页服务（gunicorn）、后台任务进程和定时任务时钟；子进程退出后自动重启，收到停止信号才退出。"

    def add_arguments(self, parser):
        parser.add_argument("--host", default="127.0.0.1")
        parser.add_argument("--port", default="8000")
        parser.add_argument("--workers", type=int, default=2)

    def handle(self, *args, host, port, workers, **opts):
        py = sys.executable
        # Web workers keep their database connection for a minute: opening one (SQLite with its
        # PRAGMAs, or a PostgreSQL backend) per request costs more than serving a cached page
        # (bench/RESULTS.md, page throughput). An explicit setting wins.
        web_env = {**os.environ, "YANGGUANG_CONN_MAX_AGE": os.environ.get("YANGGUANG_CONN_MAX_AGE", "60")}
        children = [
            Child(_("网页服务"), [py, "-m", "gunicorn", "yangguang.wsgi:application", "-b", f"{host}:{port}",
                                 "-w", str(workers), "--access-logfile", "-", "--timeout", "120"], env=web_env),
            Child(_("后台任务进程"), [py, "-m", "yangguang", "worker", "--interval", "2"]),
            Child(_("定时任务时钟"), [py, "-m", "yangguang", "clock"]),
        ]

        def log(message: str) -> None:
            self.stderr.write(message)
            sys.stderr.flush()

        supervisor = Supervisor(children, log)
        self.stdout.write(_("阳光政务已启动：http://%(host)s:%(port)s/ （工作台 http://%(host)s:%(port)s/workbench/）")
                          % {"host": host, "port": port})
        sys.stdout.flush()
        supervisor.run()
