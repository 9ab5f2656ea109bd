"""Search latency: 50 fixed, realistic queries against an existing database, one user and
N concurrent users (separate processes, each with its own database connection).

    .venv/bin/python bench/search_bench.py --var-dir /tmp/s5k-var              # SQLite under that var dir
    .venv/bin/python bench/search_bench.py --database-url postgres://postgres@127.0.0.1:5432/yangguang_bench

Each measured call is the whole `yangguang.core.search.search()`: parsing, the page query,
the five facet counts, loading the hits and highlighting, i.e. what one search page needs.
The result cache (engine.CACHE_SECONDS, keyed on the index generation) is OFF for the main
figures, single user and concurrent: every call runs the queries. A last single-user pass with
the cache ON, after one pass to fill it, shows what a repeated query costs on an unchanged index.
Prints a table and writes JSON to bench/out/search-<vendor>-<documents>.json (or --json).
"""

from __future__ import annotations

import argparse
import json
import multiprocessing
import os
import platform
import statistics
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))

# 50 queries: single words, two-word queries, a year, long words, phrases in quotes,
# a few with filters / date sort / page 2, and two that match nothing.
QUERIES: list[dict] = [{"q": q} for q in [
    "社会救助", "低保 标准", "社会救助 2026", "义务教育 招生", "营商环境 政策解读", "政府信息公开", "年度报告",
    "政务公开", "依申请公开", "财政预算", "部门决算", "乡村振兴", "安全生产", "环境保护", "医疗保障",
    "养老服务", "就业创业", "住房保障", "食品安全", "行政许可", "行政处罚", "政策解读", "通知公告",
    "重大行政决策", "规范性文件", "政务服务 一网通办", "好差评", "12345 热线", "办事指南", "公开指南",
    "信息公开 年报 2025", "“放管服”改革", "中华人民共和国政府信息公开条例", "基层政务公开标准化规范化",
    "工作动态", "统计公报", "人事任免", "招标 采购", "疫情防控", "防汛", "教育 资助 2024",
]] + [
    {"q": "政务公开", "sort": "date"},
    {"q": "社会救助", "page": 2},
    {"q": "政府信息公开", "topic": "02"},
    {"q": "通知", "genre": "notice", "year": 2025},
    {"q": "政策", "validity": "valid", "sort": "date"},
    {"q": "工作", "year": 2024},
    {"q": "规划"},
    {"q": "鑫淼焱不存在的词"},
    {"q": "zzzz qqqq"},
]
assert len(QUERIES) == 50, len(QUERIES)


def _setup(args) -> None:
    if args.database_url:
        os.environ["YANGGUANG_DATABASE_URL"] = args.database_url
    if args.var_dir:
        os.environ["YANGGUANG_VAR_DIR"] = args.var_dir
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "yangguang.settings")
    import django

    django.setup()


def _run_all(rounds: int) -> list[tuple[int, float, int]]:
    """(query index, seconds, total) for every call, `rounds` passes over QUERIES."""
    from yangguang.core.search import search

    out = []
    for _ in range(rounds):
        for i, params in enumerate(QUERIES):
            params = dict(params)
            t = time.perf_counter()
            res = search(params.pop("q"), **params)
            out.append((i, time.perf_counter() - t, res.total))
    return out


def _cache(on: bool) -> None:
    from yangguang.core.search import engine

    engine.CACHE_SECONDS = 600 if on else 0


def _worker(rounds: int, queue) -> None:
    from django.db import connections

    _cache(False)
    connections.close_all()  # never share the parent's connection
    t = time.perf_counter()
    calls = _run_all(rounds)
    queue.put((calls, time.perf_counter() - t))


def pct(values: list[float], p: float) -> float:
    values = sorted(values)
    k = max(0, min(len(values) - 1, round(p / 100 * (len(values) - 1))))
    return values[k]


def collect(procs, queue, poll: float = 1.0) -> list:
    """Each user process's result; raises (instead of waiting forever) when one died without one."""
    import queue as queues

    results = []
    while len(results) < len(procs):
        try:
            results.append(queue.get(timeout=poll))
        except queues.Empty:
            dead = [p for p in procs if p.exitcode not in (None, 0)]
            if dead:
                for p in procs:
                    p.terminate()
                raise SystemExit(f"{len(dead)} user process(es) died (exit {dead[0].exitcode}); no figures") from None
    for proc in procs:
        proc.join()
    return results


def summary(times: list[float]) -> dict:
    return {"calls": len(times), "p50_ms": round(pct(times, 50) * 1000, 2), "p95_ms": round(pct(times, 95) * 1000, 2),
            "max_ms": round(max(times) * 1000, 2), "mean_ms": round(statistics.fmean(times) * 1000, 2)}


def main(argv=None) -> int:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--database-url", help="YANGGUANG_DATABASE_URL of the database to search")
    p.add_argument("--var-dir", help="YANGGUANG_VAR_DIR (the SQLite database lives there by default)")
    p.add_argument("--users", type=int, default=8, help="concurrent users (processes), default 8")
    p.add_argument("--rounds", type=int, default=3, help="passes over the 50 queries, single user (default 3)")
    p.add_argument("--concurrent-rounds", type=int, default=2, help="passes per concurrent user (default 2)")
    p.add_argument("--json", type=Path, help="where to write the JSON result")
    args = p.parse_args(argv)
    _setup(args)
    from django.db import connection, connections

    from yangguang.publishing.models import Document

    vendor = connection.vendor
    docs = Document.objects.public().count()
    _cache(False)
    _run_all(1)  # warm-up: the database's own caches, the segmenter dictionary
    single = _run_all(args.rounds)
    totals = {i: n for i, _s, n in single}
    per_query = {}
    for i, params in enumerate(QUERIES):
        times = [s for j, s, _n in single if j == i]
        per_query[i] = {"params": params, "total": totals[i], "median_ms": round(statistics.median(times) * 1000, 2)}

    _cache(True)
    _run_all(1)  # fills the result cache
    cached = _run_all(args.rounds)
    _cache(False)

    connections.close_all()
    ctx = multiprocessing.get_context("fork")
    queue = ctx.Queue()
    t0 = time.perf_counter()
    procs = [ctx.Process(target=_worker, args=(args.concurrent_rounds, queue)) for _ in range(args.users)]
    for proc in procs:
        proc.start()
    results = collect(procs, queue)
    wall = time.perf_counter() - t0
    conc_times = [s for calls, _w in results for _i, s, _n in calls]

    result = {
        "vendor": vendor, "documents": docs, "queries": len(QUERIES), "machine": platform.platform(),
        "cpus": os.cpu_count(), "load_average": os.getloadavg(),
        "single_user": summary([s for _i, s, _n in single]),
        "single_user_result_cache": summary([s for _i, s, _n in cached]),
        "concurrent": {"users": args.users, **summary(conc_times),
                       "throughput_qps": round(len(conc_times) / wall, 1), "wall_s": round(wall, 2)},
        "per_query": per_query,
    }
    out = args.json or HERE / "out" / f"search-{vendor}-{docs}.json"
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(result, ensure_ascii=False, indent=2), encoding="utf-8")

    print(f"search benchmark: {vendor}, {docs:,} public documents, {len(QUERIES)} queries")
    print(f"{'':22}{'calls':>7}{'p50 ms':>10}{'p95 ms':>10}{'max ms':>10}")
    for label, s in (("single user", result["single_user"]), (f"{args.users} concurrent users", result["concurrent"]),
                     ("single, result cache on", result["single_user_result_cache"])):
        print(f"{label:22}{s['calls']:>7}{s['p50_ms']:>10}{s['p95_ms']:>10}{s['max_ms']:>10}")
    print(f"concurrent throughput: {result['concurrent']['throughput_qps']} searches/s")
    slow = sorted(per_query.values(), key=lambda r: -r["median_ms"])[:5]
    print("slowest queries (median ms, matches): " + "; ".join(
        f"{r['params']} {r['median_ms']} ({r['total']})" for r in slow))
    print(f"JSON: {out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
