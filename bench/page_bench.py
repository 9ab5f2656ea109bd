"""Page throughput benchmark: requests per second of public pages, as a share of a "floor".

    .venv/bin/python bench/page_bench.py --var-dir var/h-portal-run          # an existing SQLite site
    .venv/bin/python bench/page_bench.py --database-url postgres://postgres@127.0.0.1:5432/yangguang
    .venv/bin/python bench/page_bench.py --demo                              # fresh demo DB (SQLite)

Starts gunicorn with 2 sync workers on the given database (YANGGUANG_DATABASE_URL /
YANGGUANG_VAR_DIR, as `yangguang serve` does) with YANGGUANG_BENCH_FLOOR=1, which routes
/bench/floor: a Django view returning a constant string through the whole middleware stack.
Then `wrk` measures, one after the other: the floor, a document page, and the first page of
the largest column. Each page is printed as requests/s and as a ratio to the floor (target
≥ 50 %). Results go to bench/out/pages-<vendor>.json. Needs the Debian package `wrk`.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
PY = sys.executable
TARGET = 0.5

# Run inside the project's Django: one public document and the fullest column, as URLs.
PICK = r"""
import json
from django.db import connection
from django.db.models import Count
from yangguang.publishing.models import Document
from yangguang.publishing.urlsutil import public_url
top = (Document.objects.public().values("column_id").annotate(n=Count("id")).order_by("-n").first())
doc = Document.objects.public().filter(column_id=top["column_id"]).order_by("-first_published_at").first()
print("PICK " + json.dumps({"document": public_url(doc), "column": public_url(doc).rsplit("/", 2)[0] + "/",
                            "column_size": top["n"], "vendor": connection.vendor,
                            "documents": Document.objects.public().count()}))
"""


def log(msg: str) -> None:
    print(f"[{time.strftime('%H:%M:%S')}] {msg}", file=sys.stderr, flush=True)


def django(args: list[str], env: dict) -> str:
    proc = subprocess.run([PY, "-m", "yangguang", *args], env=env, cwd=ROOT, capture_output=True, text=True)
    if proc.returncode:
        sys.stderr.write(proc.stdout[-3000:] + proc.stderr[-3000:])
        raise SystemExit(f"失败：yangguang {' '.join(a for a in args if chr(10) not in a)}")
    return proc.stdout


def wait_up(url: str, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(url, timeout=2) as r:
                if r.status == 200:
                    return
        except OSError:
            time.sleep(0.3)
    raise SystemExit(f"服务器未能启动：{url}")


def check(url: str) -> int:
    with urllib.request.urlopen(url, timeout=10) as r:
        body = r.read()
        if r.status != 200:
            raise SystemExit(f"{url} 返回 {r.status}")
        return len(body)


def wrk(url: str, args) -> dict:
    cmd = ["wrk", f"-t{args.threads}", f"-c{args.connections}", f"-d{args.duration}s", "--latency", url]
    out = subprocess.run(cmd, capture_output=True, text=True, check=True).stdout
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))
    bad = re.search(r"Non-2xx or 3xx responses:\s+(\d+)", out)
    errors = re.search(r"Socket errors:.*", out)
    dist = out.split("Latency Distribution", 1)[-1]
    p50 = re.search(r"^\s*50%\s+(\S+)", dist, re.M)
    p99 = re.search(r"^\s*99%\s+(\S+)", dist, re.M)
    return {"url": url, "requests_per_second": rps, "non_2xx": int(bad.group(1)) if bad else 0,
            "socket_errors": errors.group(0) if errors else "", "p50": p50.group(1) if p50 else "",
            "p99": p99.group(1) if p99 else ""}


def main(argv=None) -> int:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    src = p.add_mutually_exclusive_group(required=True)
    src.add_argument("--var-dir", help="YANGGUANG_VAR_DIR of an existing SQLite site")
    src.add_argument("--database-url", help="YANGGUANG_DATABASE_URL (e.g. PostgreSQL)")
    src.add_argument("--demo", action="store_true", help="build a fresh demo database in a temporary dir")
    p.add_argument("--port", type=int, default=8799)
    p.add_argument("--workers", type=int, default=2)
    p.add_argument("--duration", type=int, default=10, help="seconds per wrk run")
    p.add_argument("--threads", type=int, default=2)
    p.add_argument("--connections", type=int, default=8)
    p.add_argument("--conn-max-age", type=int, default=60,
                   help="YANGGUANG_CONN_MAX_AGE for the web workers (default 60, as `yangguang serve` sets it)")
    args = p.parse_args(argv)
    if not shutil.which("wrk"):
        raise SystemExit("需要 wrk：apt-get install wrk")

    env = {k: v for k, v in os.environ.items() if not k.startswith("YANGGUANG_")}
    env.update(YANGGUANG_BENCH_FLOOR="1", YANGGUANG_LOG_LEVEL="ERROR", YANGGUANG_CONN_MAX_AGE=str(args.conn_max_age))
    tmp = None
    if args.demo:
        tmp = Path(tempfile.mkdtemp(prefix="yangguang-pages-"))
        env["YANGGUANG_VAR_DIR"] = str(tmp)
        log("建立演示数据库（migrate + load-demo）")
        django(["migrate", "-v0"], env)
        django(["createcachetable"], env)
        django(["load-demo"], env)
    elif args.var_dir:
        env["YANGGUANG_VAR_DIR"] = str(Path(args.var_dir).resolve())
    else:
        env["YANGGUANG_DATABASE_URL"] = args.database_url
        env["YANGGUANG_VAR_DIR"] = str(Path(tempfile.mkdtemp(prefix="yangguang-pages-var-")))
    pick = json.loads(next(line[5:] for line in django(["shell", "-c", PICK], env).splitlines()
                           if line.startswith("PICK ")))
    base = f"http://127.0.0.1:{args.port}"
    urls = {"floor": f"{base}/bench/floor", "document": base + pick["document"], "column": base + pick["column"]}
    log(f"{pick['vendor']}：{pick['documents']} 篇公开文件；栏目 {pick['column']}（{pick['column_size']} 篇）")

    server = subprocess.Popen(
        [PY, "-m", "gunicorn", "yangguang.wsgi:application", "-b", f"127.0.0.1:{args.port}",
         "-w", str(args.workers), "--log-level", "warning"],
        env=env, cwd=ROOT, start_new_session=True)
    results: dict = {"vendor": pick["vendor"], "documents": pick["documents"], "column_size": pick["column_size"],
                     "workers": args.workers, "conn_max_age": args.conn_max_age, "wrk": {"threads": args.threads, "connections": args.connections,
                                                      "duration_s": args.duration}, "pages": {}}
    try:
        wait_up(urls["floor"])
        for name, url in urls.items():
            results["pages"][name] = {"bytes": check(url)}
            wrk(url, argparse.Namespace(threads=1, connections=2, duration=2))  # warm-up
        for name, url in urls.items():
            log(f"wrk {name}: {url}")
            results["pages"][name].update(wrk(url, args))
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(timeout=20)
        if tmp:
            shutil.rmtree(tmp, ignore_errors=True)

    floor = results["pages"]["floor"]["requests_per_second"]
    print(f"{'页面':<10}{'请求/秒':>10}{'相对下限':>10}  p50 / p99")
    for name, r in results["pages"].items():
        r["ratio"] = round(r["requests_per_second"] / floor, 3)
        flag = "" if name == "floor" or r["ratio"] >= TARGET else "  低于目标50%"
        if r["non_2xx"] or r["socket_errors"]:
            flag += f"  错误：{r['non_2xx']} 非2xx {r['socket_errors']}"
        print(f"{name:<10}{r['requests_per_second']:>10.1f}{r['ratio']:>10.0%}  {r['p50']} / {r['p99']}{flag}")
    out = HERE / "out"
    out.mkdir(exist_ok=True)
    path = out / f"pages-{results['vendor']}-cma{args.conn_max_age}.json"
    path.write_text(json.dumps(results, ensure_ascii=False, indent=1), encoding="utf-8")
    print(f"（{path.relative_to(ROOT)}）")
    return 0


if __name__ == "__main__":
    sys.exit(main())
