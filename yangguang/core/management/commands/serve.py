"""`yangguang serve`: gunicorn (with whitenoise for static files), the task worker and the clock,
as one foreground process group; Ctrl-C stops all three."""

import os
import signal
import subprocess
import sys
import time

from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = "启动平台：网页服务（gunicorn）、后台任务进程和定时任务时钟。"

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
        procs = [
            subprocess.Popen([py, "-m", "gunicorn", "yangguang.wsgi:application", "-b", f"{host}:{port}",
                              "-w", str(workers), "--access-logfile", "-", "--timeout", "120"], env=web_env),
            subprocess.Popen([py, "-m", "yangguang", "db_worker", "--interval", "2"]),
            subprocess.Popen([py, "-m", "yangguang", "clock"]),
        ]
        self.stdout.write(f"阳光政务已启动：http://{host}:{port}/ （工作台 http://{host}:{port}/workbench/）")

        def stop(*_):
            for p in procs:
                if p.poll() is None:
                    p.terminate()
            for p in procs:
                try:
                    p.wait(timeout=10)
                except subprocess.TimeoutExpired:
                    p.kill()
            os._exit(0)

        signal.signal(signal.SIGINT, stop)
        signal.signal(signal.SIGTERM, stop)
        while True:
            for p in procs:
                if p.poll() is not None:
                    self.stderr.write(f"子进程 {p.args[2:4]} 已退出（{p.returncode}），正在停止全部服务。")
                    stop()
            time.sleep(1)
