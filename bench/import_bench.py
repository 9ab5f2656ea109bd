"""Import benchmark, end to end, into a FRESH database per backend.

    .venv/bin/python bench/import_bench.py [--docs N] [--orgs N] [--backend sqlite|postgres|both]
                                           [--workers N] [--no-ceiling] [--keep]

For each backend: create an empty database (SQLite: a temporary YANGGUANG_VAR_DIR;
PostgreSQL: drop/create `yangguang_bench` via psql -h 127.0.0.1 -U postgres), `migrate`,
`import-orgs`, then `import-documents`, timing the document import's wall clock. Then a
reference "raw insert ceiling": the same titles and bodies written by plain
`executemany` into an unindexed scratch table, in one transaction, with no Django models,
validation or screening. Data comes from bench/generate.py (generated when missing).
Results are printed and saved to bench/out/import-<backend>-<docs>.json.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
PY = sys.executable
PG_HOST, PG_USER, PG_DB = "127.0.0.1", "postgres", "yangguang_bench"
PG_URL = f"postgres://{PG_USER}@{PG_HOST}:5432/{PG_DB}"

# Run inside the project's Django (as `yangguang shell -c`): counts and database size.
FIGURES = r"""
import json
from django.db import connection
from yangguang.orgs.models import Organization
from yangguang.publishing.models import Column, Document, Edition, IndexCounter
from yangguang.core.models import AuditEvent
out = {"orgs": Organization.objects.count(), "columns": Column.objects.count(),
       "documents": Document.objects.count(), "editions": Edition.objects.count(),
       "live": Document.objects.filter(live_edition__isnull=False).count(),
       "index_counters": IndexCounter.objects.count(), "audit_events": AuditEvent.objects.count()}
if connection.vendor == "postgresql":
    with connection.cursor() as c:
        c.execute("select pg_database_size(current_database())")
        out["db_bytes"] = c.fetchone()[0]
print("FIGURES " + json.dumps(out))
"""

# The raw insert ceiling: same text, no ORM, no checks, no indexes, one transaction.
CEILING = r"""
import json, os, time
from django.db import connection, transaction
path, batch = os.environ["BENCH_CEILING_FILE"], 2000
with connection.cursor() as c:
    c.execute("drop table if exists bench_ceiling")
    c.execute("create table bench_ceiling (title varchar(300), body text, body_text text)")
t0, n, rows = time.monotonic(), 0, []
with transaction.atomic(), connection.cursor() as c, open(path, encoding="utf-8") as fh:
    for line in fh:
        rec = json.loads(line)
        rows.append((rec["title"], rec["body"], rec["body"]))
        if len(rows) >= batch:
            c.executemany("insert into bench_ceiling (title, body, body_text) values (%s, %s, %s)", rows)
            n, rows = n + len(rows), []
    if rows:
        c.executemany("insert into bench_ceiling (title, body, body_text) values (%s, %s, %s)", rows)
        n += len(rows)
secs = time.monotonic() - t0
with connection.cursor() as c:
    c.execute("drop table bench_ceiling")
print("CEILING " + json.dumps({"rows": n, "seconds": round(secs, 1), "rows_per_second": round(n / secs)}))
"""


def log(msg: str) -> None:
    print(f"[{time.strftime('%H:%M:%S')}] {msg}", file=sys.stderr, flush=True)


def run(args: list[str], env: dict, *, capture: bool = False) -> tuple[float, str]:
    """Run a command, progress lines passed through to stderr; returns (seconds, stdout)."""
    log("$ " + " ".join(a if "\n" not in a else "<script>" for a in args))
    t0 = time.monotonic()
    proc = subprocess.run(args, env=env, cwd=ROOT, stdout=subprocess.PIPE, text=True,
                          stderr=subprocess.DEVNULL if capture else None)
    secs = time.monotonic() - t0
    if proc.returncode:
        sys.stderr.write(proc.stdout[-5000:])
        raise SystemExit(f"失败（退出码{proc.returncode}）：{' '.join(args)}")
    if not capture:
        sys.stderr.write(proc.stdout)
    return secs, proc.stdout


def tagged(stdout: str, tag: str) -> dict:
    for line in stdout.splitlines():
        if line.startswith(tag + " "):
            return json.loads(line[len(tag) + 1:])
    raise SystemExit(f"没有找到 {tag} 输出")


def ensure_data(docs: int, orgs: int) -> Path:
    data = HERE / "data" if docs == 1_000_000 and orgs == 2_000 else HERE / "data" / f"docs-{docs}-orgs-{orgs}"
    meta = data / "meta.json"
    if meta.exists():
        m = json.loads(meta.read_text(encoding="utf-8"))
        if m.get("docs") == docs and m.get("orgs") == orgs and (data / "documents.jsonl").exists():
            return data
    run([PY, str(HERE / "generate.py"), "--docs", str(docs), "--orgs", str(orgs), "--out", str(data)], dict(os.environ))
    return data


def psql(sql: str) -> None:
    subprocess.run(["psql", "-h", PG_HOST, "-U", PG_USER, "-d", "postgres", "-v", "ON_ERROR_STOP=1", "-q",
                    "-c", sql], check=True)


def bench_backend(backend: str, data: Path, args) -> dict:
    env = {k: v for k, v in os.environ.items() if not k.startswith("YANGGUANG_")}
    var = Path(tempfile.mkdtemp(prefix=f"yangguang-bench-{backend}-"))
    env["YANGGUANG_VAR_DIR"] = str(var)
    if backend == "postgres":
        psql(f"drop database if exists {PG_DB}")
        psql(f"create database {PG_DB}")
        env["YANGGUANG_DATABASE_URL"] = PG_URL
    cli = [PY, "-m", "yangguang"]
    result: dict = {"backend": backend, "data": str(data)}
    try:
        result["migrate_seconds"], _ = run([*cli, "migrate", "-v0"], env)
        result["import_orgs_seconds"], _ = run([*cli, "import-orgs", str(data / "orgs.csv")], env, capture=True)
        command = [*cli, "import-documents", str(data / "documents.jsonl")]
        if args.workers is not None:
            command += ["--workers", str(args.workers)]
        secs, out = run(command, env)
        result.update(import_documents_seconds=round(secs, 1), import_summary=out.strip())
        _, out = run([*cli, "shell", "-c", FIGURES], env, capture=True)
        result.update(tagged(out, "FIGURES"))
        result["documents_per_second"] = round(result["documents"] / secs)
        if backend == "sqlite":
            result["db_bytes"] = sum(p.stat().st_size for p in var.glob("yangguang.sqlite3*"))
        if not args.no_ceiling:
            env["BENCH_CEILING_FILE"] = str(data / "documents.jsonl")
            _, out = run([*cli, "shell", "-c", CEILING], env, capture=True)
            result["raw_insert_ceiling"] = tagged(out, "CEILING")
    finally:
        if not args.keep:
            shutil.rmtree(var, ignore_errors=True)
            if backend == "postgres":
                psql(f"drop database if exists {PG_DB}")
    return result


def main(argv=None) -> int:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--docs", type=int, default=1_000_000)
    p.add_argument("--orgs", type=int, default=2_000)
    p.add_argument("--backend", choices=["sqlite", "postgres", "both"], default="both")
    p.add_argument("--workers", type=int, default=None, help="import-documents --workers (default: its own)")
    p.add_argument("--no-ceiling", action="store_true", help="skip the raw insert reference run")
    p.add_argument("--keep", action="store_true", help="keep the databases afterwards")
    args = p.parse_args(argv)
    data = ensure_data(args.docs, args.orgs)
    out_dir = HERE / "out"
    out_dir.mkdir(exist_ok=True)
    backends = ["sqlite", "postgres"] if args.backend == "both" else [args.backend]
    for backend in backends:
        result = bench_backend(backend, data, args)
        path = out_dir / f"import-{backend}-{args.docs}.json"
        path.write_text(json.dumps(result, ensure_ascii=False, indent=1), encoding="utf-8")
        ceiling = result.get("raw_insert_ceiling", {})
        print(f"{backend}: {result['documents']} 条 / {result['orgs']} 个机构 / {result['columns']} 个栏目；"
              f"导入用时 {result['import_documents_seconds']} 秒，每秒 {result['documents_per_second']} 条；"
              f"数据库 {result['db_bytes'] / 1e9:.2f} GB"
              + (f"；参考：裸插入每秒 {ceiling['rows_per_second']} 行" if ceiling else "")
              + f"（{path.relative_to(ROOT)}）", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
