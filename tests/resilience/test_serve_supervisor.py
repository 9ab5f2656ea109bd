"""`yangguang serve` keeps the service up (issue #15, item 1).

These tests start the real `python -m yangguang serve` (gunicorn, worker, clock) as a subprocess
on a temporary SQLite database of their own, whatever database the test run uses, and kill the
whole process group afterwards, even when an assertion fails.
"""

import http.cookiejar
import os
import re
import signal
import socket
import sqlite3
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
LOCK_SECONDS = 15  # longer than busy_timeout (10 s): every other writer gets "database is locked"


def _env(var_dir: Path) -> dict:
    env = {k: v for k, v in os.environ.items() if not k.startswith("YANGGUANG_")}
    env.update(YANGGUANG_VAR_DIR=str(var_dir), YANGGUANG_DATABASE_URL=f"sqlite:///{var_dir / 'yangguang.sqlite3'}",
               DJANGO_SETTINGS_MODULE="yangguang.settings", PYTHONUNBUFFERED="1")
    return env


def _yangguang(env, *args, **kwargs):
    return subprocess.run([sys.executable, "-m", "yangguang", *args], cwd=ROOT, env=env, check=True,
                          capture_output=True, text=True, timeout=120, **kwargs)


@pytest.fixture(scope="module")
def site_dir(tmp_path_factory):
    var_dir = tmp_path_factory.mktemp("serve")
    env = _env(var_dir)
    _yangguang(env, "migrate", "--noinput")
    _yangguang(env, "createcachetable")
    return var_dir


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _get(url, timeout=8.0, data=None, opener=None):
    """(status, headers, body) of a request; never raises for an HTTP error status."""
    try:
        with (opener or urllib.request.build_opener()).open(url, data=data, timeout=timeout) as r:
            return r.status, r.headers, r.read().decode()
    except urllib.error.HTTPError as e:
        return e.code, e.headers, e.read().decode()


def _children(pid: int) -> dict[int, str]:
    """Direct child processes of `pid`: {pid: command line}."""
    found = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
            ppid = int(stat.rsplit(")", 1)[1].split()[1])
            if ppid == pid:
                found[int(entry.name)] = (entry / "cmdline").read_bytes().replace(b"\0", b" ").decode()
        except (OSError, IndexError, ValueError):
            continue
    return found


WORKER, CLOCK = r" -m yangguang (db_)?worker ", r" -m yangguang clock"


def _child(pid: int, pattern: str) -> int | None:
    return next((p for p, cmd in _children(pid).items() if re.search(pattern, cmd)), None)


def _wait(predicate, timeout, step=0.25):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(step)
    return predicate()


class Serve:
    def __init__(self, var_dir: Path):
        self.port = _free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        self.log_path = var_dir / f"serve-{self.port}.log"
        self.log = open(self.log_path, "w")  # noqa: SIM115 - closed in stop()
        # A session of its own: the test can signal the whole group (supervisor, gunicorn and its
        # workers, worker, clock) whatever state the supervisor is in.
        self.proc = subprocess.Popen([sys.executable, "-m", "yangguang", "serve", "--port", str(self.port)],
                                     cwd=ROOT, env=_env(var_dir), stdout=self.log, stderr=subprocess.STDOUT,
                                     start_new_session=True)

    def output(self) -> str:
        return self.log_path.read_text()

    def healthy(self) -> bool:
        try:
            return _get(self.base + "/healthz", timeout=2)[0] == 200
        except OSError:
            return False

    def stop(self):
        for sig, wait in ((signal.SIGTERM, 25), (signal.SIGKILL, 10)):
            try:
                os.killpg(self.proc.pid, sig)
            except ProcessLookupError:
                break
            try:
                self.proc.wait(timeout=wait)
                break
            except subprocess.TimeoutExpired:
                continue
        try:  # stragglers of the group (e.g. gunicorn after the old serve exited)
            os.killpg(self.proc.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
        self.log.close()


@pytest.fixture
def serve(site_dir):
    server = Serve(site_dir)
    try:
        assert _wait(server.healthy, 40), "yangguang serve 未能启动：\n" + server.output()
        assert _wait(lambda: _child(server.proc.pid, WORKER) and _child(server.proc.pid, CLOCK), 10)
        yield server
    finally:
        server.stop()


def _task_states(db: Path) -> list[tuple[str, str]]:
    with sqlite3.connect(db, timeout=30) as c:
        return c.execute("SELECT task_path, status FROM django_tasks_database_dbtaskresult ORDER BY enqueued_at").fetchall()


def _login_opener(base):
    """A cookie-keeping opener and the CSRF token of the login form (GET /login/ writes nothing)."""
    jar = http.cookiejar.CookieJar()
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
    status, _headers, body = _get(base + "/login/", opener=opener)
    assert status == 200
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', body).group(1)
    return opener, token


def test_site_worker_and_clock_survive_a_write_lock_longer_than_busy_timeout(serve, site_dir):
    db = site_dir / "yangguang.sqlite3"
    pid = serve.proc.pid
    worker, clock = _child(pid, WORKER), _child(pid, CLOCK)
    opener, token = _login_opener(serve.base)
    env = _env(site_dir)
    # The clock's start-up round has run: the worker is idle when the lock comes.
    assert _wait(lambda: (states := _task_states(db)) and all(s == "SUCCESSFUL" for _p, s in states), 30)
    before = len(_task_states(db))

    holder = sqlite3.connect(db, isolation_level=None, timeout=30)
    holder.execute("BEGIN IMMEDIATE")  # what a 30,000-row import or a 36 MB approval does to everybody else
    locked_at = time.monotonic()
    try:
        # A write request during the lock: waits busy_timeout, then a clean 503, not a 500.
        post = {}

        def login():
            data = urllib.parse.urlencode({"csrfmiddlewaretoken": token, "username": "nobody",
                                           "password": "wrong-password"}).encode()
            post["response"] = _get(serve.base + "/login/", timeout=30, data=data, opener=opener)

        poster = threading.Thread(target=login, daemon=True)
        poster.start()
        # A clock round during the lock: its enqueue meets the lock, waits and retries.
        clock_once = subprocess.Popen([sys.executable, "-m", "yangguang", "clock", "--once"], cwd=ROOT, env=env,
                                      stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        clock_err: list[str] = []
        reader = threading.Thread(target=lambda: clock_err.extend(clock_once.stderr), daemon=True)
        reader.start()
        try:
            # The lock is held at least LOCK_SECONDS, and (on a slow, loaded machine, where the clock
            # process may take longer than that to start) until the clock has met it and the login
            # has had its answer: the test checks behaviour, not how fast the machine is.
            while (time.monotonic() - locked_at < LOCK_SECONDS
                   or not (any("数据库暂时不可用" in line for line in clock_err) and not poster.is_alive())):
                assert time.monotonic() - locked_at < 120, "时钟或登录请求在 120 秒内未遇到写锁：\n" + "".join(clock_err)
                for path in ("/", "/healthz"):
                    status, _headers, _body = _get(serve.base + path)
                    assert status == 200, f"{path} 在写锁期间返回 {status}"
                time.sleep(1)
            status, headers, body = post["response"]
            assert status == 503
            assert headers["Retry-After"]
            assert "系统繁忙，请稍后再试" in body
        finally:
            holder.execute("ROLLBACK")
            holder.close()
        assert clock_once.wait(timeout=60) == 0, "".join(clock_err)
        reader.join(timeout=10)
        err = "".join(clock_err)
        assert "数据库暂时不可用" in err and "database is locked" in err
    finally:
        if clock_once.poll() is None:
            clock_once.kill()

    for path in ("/", "/healthz"):
        assert _get(serve.base + path)[0] == 200
    # The worker runs what the clock enqueued after the lock: nothing is left waiting.
    assert _wait(lambda: all(s == "SUCCESSFUL" for _p, s in _task_states(db)), 30), _task_states(db)
    assert len(_task_states(db)) >= before + 4  # the round of `clock --once`
    # Neither the worker nor the clock exited: the same processes, no restart in the log.
    assert _child(pid, WORKER) == worker and _child(pid, CLOCK) == clock
    assert serve.proc.poll() is None
    assert "已退出" not in serve.output()


def test_a_killed_child_is_restarted_and_only_a_signal_stops_serve(serve):
    pid = serve.proc.pid
    clock = _child(pid, CLOCK)
    os.kill(clock, signal.SIGKILL)
    restarted = _wait(lambda: (c := _child(pid, CLOCK)) and c != clock and c, 10)
    assert restarted, serve.output()
    assert re.search(r"子进程“定时任务时钟”（pid \d+）已退出（被信号 SIGKILL 终止），1 秒后第 1 次重启", serve.output())
    assert f"已重启子进程“定时任务时钟”（pid {restarted}）" in serve.output()
    assert serve.proc.poll() is None
    assert _get(serve.base + "/")[0] == 200

    children = set(_children(pid))
    os.kill(pid, signal.SIGTERM)
    assert serve.proc.wait(timeout=25) == 0
    assert "收到停止信号（SIGTERM）" in serve.output()
    assert _wait(lambda: not any(Path(f"/proc/{c}").exists() for c in children), 5)
