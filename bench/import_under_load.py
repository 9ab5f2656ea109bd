"""A 30,000-row `import-documents` against a live site on SQLite, while clients use it.

    .venv/bin/python bench/import_under_load.py [--docs 30000] [--readers 4] [--mode batched|single|both]

For each mode, on a FRESH SQLite database (a temporary YANGGUANG_VAR_DIR): migrate, load-demo,
start `yangguang serve` (gunicorn with 2 workers, the task worker, the clock) on a free port,
then run client threads the whole time:
- readers fetch public pages in a loop: home, org directory, org catalog, column lists, document
  pages, a search, /healthz (the import invalidates the page caches, so these reach the database);
- one writer logs a demo account in every 2 s (session row, last_login, axes: a write each).
Phases: 20 s before the import, the import itself, 10 s after. Each request's status and
latency is recorded; per phase the script reports counts, 5xx (503 separately), p50/p95/max.

Modes: `batched` is the import as it is (500-row committed batches on SQLite); `single` is
`--batch-rows 0`, one transaction for the whole file: how the import held the write lock before
issue #15, the named baseline. Documents are generated here for the demo orgs (their own columns,
neutral sentences), so nothing outside the repository is read. Results: printed, and written to
bench/out/import-under-load-<mode>-<docs>.json.
"""

from __future__ import annotations

import argparse
import http.cookiejar
import json
import os
import random
import re
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
PY = sys.executable
DEMO_PASSWORD = "Demo@2026"

SENTENCES = [
    "为进一步做好政务公开工作，现将有关事项通知如下。", "各单位要高度重视，明确责任分工，确保工作落到实处。",
    "本办法自印发之日起施行，由市人民政府办公室负责解释。", "请各县（区）于每月五日前报送上月工作进展情况。",
    "加强政策解读，及时回应社会关切，提升政府公信力。", "做好基层政务公开标准化规范化建设，推进公开事项目录编制。",
    "严格落实保密审查制度，未经审查的信息不得公开。", "优化营商环境，推动政务服务事项网上办理。",
    "按照条例规定，主动公开的政府信息应当自形成或者变更之日起二十个工作日内予以公开。",
    "畅通依申请公开渠道，依法依规做好答复工作。", "本年度共召开专题会议三次，研究部署重点任务。",
    "各部门要加强协调配合，形成工作合力。",
]

# Run inside the project's Django (as `yangguang shell -c`): the demo's public URLs and columns.
CATALOG = r"""
import json
from yangguang.orgs.models import Organization
from yangguang.publishing.models import Column, Document
from yangguang.publishing.urlsutil import public_url
orgs = [(o.code, o.slug, list(Column.objects.filter(org=o).values_list("slug", flat=True)))
        for o in Organization.objects.all()]
docs = [public_url(d) for d in Document.objects.public().select_related("org", "column")[:200]]
from django.contrib.auth import get_user_model
users = list(get_user_model().objects.filter(is_active=True).exclude(username="admin")
             .values_list("username", flat=True)[:5])
print("CATALOG " + json.dumps({"orgs": orgs, "docs": [d for d in docs if d], "users": users}))
"""


def run(env, *args, timeout=3600):
    return subprocess.run([PY, "-m", "yangguang", *args], cwd=ROOT, env=env, check=True, capture_output=True,
                          text=True, timeout=timeout)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def make_documents(path: Path, orgs, n: int, seed: int = 20261202) -> None:
    rnd = random.Random(seed)
    usable = [(code, cols) for code, _slug, cols in orgs if cols]
    year = time.localtime().tm_year - 1
    with path.open("w", encoding="utf-8") as fh:
        for i in range(n):
            code, cols = usable[i % len(usable)]
            body = "".join(rnd.choice(SENTENCES) for _ in range(rnd.randint(6, 30)))
            day = 1 + i % 365
            published = time.strftime("%Y-%m-%d", time.strptime(f"{year} {day}", "%Y %j"))
            fh.write(json.dumps({"org_code": code, "column": rnd.choice(cols),
                                 "title": f"关于第{i + 1}号事项的通知（{rnd.choice(['工作动态', '政策文件', '公告'])}）",
                                 "doc_number": "", "written_date": "", "published_date": published,
                                 "topic": "综合政务", "genre": "notice", "validity": "", "body": body},
                                ensure_ascii=False) + "\n")


class Recorder:
    def __init__(self):
        self.lock = threading.Lock()
        self.phase = "before"
        self.rows: list[tuple[str, str, int, float]] = []  # (phase, kind, status, seconds)

    def add(self, kind: str, status: int, seconds: float) -> None:
        with self.lock:
            self.rows.append((self.phase, kind, status, seconds))


def fetch(opener, url, data=None, timeout=60):
    t0 = time.monotonic()
    try:
        with opener.open(url, data=data, timeout=timeout) as r:
            r.read()
            status = r.status
    except urllib.error.HTTPError as e:
        e.read()
        status = e.code
    except OSError:
        status = 0  # connection refused / reset / timeout
    return status, time.monotonic() - t0


def reader(base, urls, rec: Recorder, stop: threading.Event, seed: int):
    rnd = random.Random(seed)
    opener = urllib.request.build_opener()
    while not stop.is_set():
        kind, path = rnd.choice(urls)
        status, seconds = fetch(opener, base + path)
        rec.add(kind, status, seconds)


def writer(base, users, rec: Recorder, stop: threading.Event):
    i = 0
    while not stop.is_set():
        jar = http.cookiejar.CookieJar()
        opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar),
                                             NoRedirect())
        status, _s = fetch(opener, base + "/login/")
        token = None
        if status == 200:
            token = next((c.value for c in jar if c.name == "csrftoken"), None)
        if token:
            data = urllib.parse.urlencode({"csrfmiddlewaretoken": token, "username": users[i % len(users)],
                                           "password": DEMO_PASSWORD}).encode()
            req = urllib.request.Request(base + "/login/", data=data, headers={"Referer": base + "/login/"})
            status, seconds = fetch(opener, req)
            rec.add("login (write)", status, seconds)
        i += 1
        stop.wait(2.0)


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


def summarise(rows, phase, kinds=None):
    sel = [r for r in rows if r[0] == phase and (kinds is None or (r[1] in kinds))]
    if not sel:
        return None
    lat = sorted(r[3] for r in sel)
    q = statistics.quantiles(lat, n=100, method="inclusive") if len(lat) >= 2 else [lat[0]] * 99
    return {"requests": len(sel), "5xx": sum(1 for r in sel if r[2] >= 500), "503": sum(1 for r in sel if r[2] == 503),
            "errors(no answer)": sum(1 for r in sel if r[2] == 0),
            "ok(2xx/3xx)": sum(1 for r in sel if 200 <= r[2] < 400),
            "p50_ms": round(q[49] * 1000, 1), "p95_ms": round(q[94] * 1000, 1), "max_ms": round(lat[-1] * 1000, 1)}


def one(mode: str, docs: int, readers: int) -> dict:
    var = Path(tempfile.mkdtemp(prefix=f"yg-load-{mode}-"))
    env = {k: v for k, v in os.environ.items() if not k.startswith("YANGGUANG_")}
    env.update(YANGGUANG_VAR_DIR=str(var), YANGGUANG_DATABASE_URL=f"sqlite:///{var / 'yangguang.sqlite3'}",
               DJANGO_SETTINGS_MODULE="yangguang.settings", PYTHONUNBUFFERED="1",
               YANGGUANG_LOGIN_IP_FAILURE_LIMIT="100000")
    print(f"[{mode}] setting up {var}", flush=True)
    for args in (("migrate", "--noinput"), ("createcachetable",), ("load-demo",)):
        run(env, *args)
    out = run(env, "shell", "-c", CATALOG).stdout
    catalog = json.loads(out.split("CATALOG ", 1)[1])
    data = var / "documents.jsonl"
    make_documents(data, catalog["orgs"], docs)

    urls = [("home", "/"), ("orgs", "/orgs/"), ("search", "/search/?q=" + urllib.parse.quote("政务公开")),
            ("healthz", "/healthz")]
    urls += [("org", f"/{slug}/") for _code, slug, _cols in catalog["orgs"][:6]]
    urls += [("column", f"/{slug}/{cols[0]}/") for _code, slug, cols in catalog["orgs"][:6] if cols]
    urls += [("document", d) for d in catalog["docs"][:40]]

    port = free_port()
    base = f"http://127.0.0.1:{port}"
    log = open(var / "serve.log", "w")  # noqa: SIM115
    serve = subprocess.Popen([PY, "-m", "yangguang", "serve", "--port", str(port)], cwd=ROOT, env=env,
                             stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
    try:
        for _ in range(120):
            if fetch(urllib.request.build_opener(), base + "/healthz", timeout=2)[0] == 200:
                break
            time.sleep(0.5)
        rec, stop = Recorder(), threading.Event()
        threads = [threading.Thread(target=reader, args=(base, urls, rec, stop, i), daemon=True) for i in range(readers)]
        threads.append(threading.Thread(target=writer, args=(base, catalog["users"], rec, stop), daemon=True))
        for t in threads:
            t.start()
        time.sleep(20)
        rec.phase = "during"
        args = ["import-documents", str(data)] + (["--batch-rows", "0"] if mode == "single" else [])
        t0 = time.monotonic()
        imp = subprocess.run([PY, "-m", "yangguang", *args], cwd=ROOT, env=env, capture_output=True, text=True)
        import_seconds = time.monotonic() - t0
        rec.phase = "after"
        time.sleep(10)
        stop.set()
        for t in threads:
            t.join(timeout=90)
        serve_log = (var / "serve.log").read_text(errors="replace")
    finally:
        try:
            os.killpg(serve.pid, 15)
            serve.wait(timeout=30)
        except Exception:  # noqa: BLE001
            os.killpg(serve.pid, 9)
        log.close()
    result = {
        "mode": mode, "docs": docs, "readers": readers, "import_rc": imp.returncode,
        "import_seconds": round(import_seconds, 1), "import_out": imp.stdout.strip()[-300:],
        "import_err_tail": imp.stderr.strip()[-300:],
        "restarts_in_serve_log": len(re.findall("已退出", serve_log)),
        "worker_or_clock_retries": len(re.findall("数据库暂时不可用", serve_log)),
    }
    for phase in ("before", "during", "after"):
        result[phase] = {"reads": summarise(rec.rows, phase, {k for k, _ in urls}),
                         "writes": summarise(rec.rows, phase, {"login (write)"})}
    return result


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--docs", type=int, default=30_000)
    p.add_argument("--readers", type=int, default=4)
    p.add_argument("--mode", choices=["batched", "single", "both"], default="both")
    a = p.parse_args()
    (HERE / "out").mkdir(exist_ok=True)
    for mode in (["batched", "single"] if a.mode == "both" else [a.mode]):
        result = one(mode, a.docs, a.readers)
        print(json.dumps(result, ensure_ascii=False, indent=1), flush=True)
        (HERE / "out" / f"import-under-load-{mode}-{a.docs}.json").write_text(
            json.dumps(result, ensure_ascii=False, indent=1), encoding="utf-8")


if __name__ == "__main__":
    main()
