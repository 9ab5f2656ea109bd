"""The bare-Tantivy baseline of issue #17: what a search library does with yangguang's texts.

    .venv/bin/python bench/tantivy_baseline.py --var-dir /tmp/s5k-var                  # SQLite
    .venv/bin/python bench/tantivy_baseline.py --database-url postgres://postgres@127.0.0.1:5432/yangguang_bench
    .venv/bin/python bench/tantivy_baseline.py --var-dir /tmp/s5k-var --compare        # + yangguang, same run

1. **Build** (`--workers`, e.g. `1,3`: one build per value, the last one is searched). The public
   documents' live editions are read straight from the database in primary-key order (keyset
   batches), with the text of their attachments, and prepared exactly as yangguang prepares them:
   title, meta line (发文字号, 主题词, org name) and body + attachments, each through
   `yangguang.core.search.segment.index_text` (NFKC, lower case, rjieba search mode, terms).
   They go into a new Tantivy index (SCHEMA below: whitespace-pretokenised text fields, fast
   fields for the facets and the date), committed once and merged. `--workers N` means N
   processes in all, as `search-reindex --workers N`: 1 = read, segment and write in one
   process; N > 1 = N − 1 forked processes segment while the main one reads and writes.
   Reported: documents/s (reading and segmentation included, until the merged commit), the
   share of a 1-process build spent segmenting, and the index size on disk.
2. **Search**: the same 50 queries as `bench/search_bench.py` (imported from it), parsed by
   yangguang's own `parse_query` (the same normalisation and segmentation as the documents).
   Each call answers what a result page needs from an engine: the page of 20 document ids
   (BM25, title ×10 / meta ×4 / body ×1 as yangguang weighs them, a bare year boosting its
   documents, or newest first), the exact total and the five facet counts (each facet on the
   match with the other facets' filters, as yangguang counts them; one terms aggregation per
   distinct filter set). No snippets and no database: this is the engine alone.
   Single user (`--rounds` passes after a warm-up pass) and `--users` concurrent users
   (forked processes, each opening the index itself, `--concurrent-rounds` passes each),
   p50/p95/max, searches/s: the same figures and the same shape as search_bench.py.
3. **`--compare`**, in the same run, on the same database: yangguang's own rebuild
   (`search-reindex`, timed in a child process, one run per `--workers` value, after the
   segmenter's dictionary is loaded, as here) and `bench/search_bench.py` (a child process
   with the same `--users`/`--rounds`), then the ratios the issue's done-means sets:
   yangguang single-user p95 ≤ 2× the baseline's, 8-user p95 ≤ 3×, rebuild documents/s ≥ 70 %
   of the baseline build with the same processes, index size ≤ 2×. `--compare` REBUILDS
   yangguang's index of that database: use it on benchmark databases only.

The Tantivy index goes to `--index-dir` (default: a temporary directory, removed at the end
unless `--keep-index`). JSON: bench/out/tantivy-<vendor>-<documents>.json (or --json).
"""

from __future__ import annotations

import argparse
import json
import multiprocessing
import os
import platform
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime
from datetime import time as dtime
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))
sys.path.insert(0, str(HERE))

from search_bench import QUERIES, collect, summary  # noqa: E402  (the same 50 queries, the same percentiles)

FACETS = ("org", "topic", "genre", "year", "validity")
WEIGHTS = {"title": 10.0, "meta": 4.0, "body": 1.0}  # yangguang's title : meta : body
PER_PAGE = 20
FACET_SIZE = 65_535  # buckets per facet: more than any facet has values, so every count is exact
YEAR_BOOST = 1_000.0  # a bare year in the query puts that year's documents first, as in yangguang
TEXT_OPTION = "freq"  # postings with term frequencies (BM25), no positions: yangguang has no phrase queries
FIELDS = ("pk", "org_id", "live_edition_id", "live_edition__title", "live_edition__body_text",
          "live_edition__doc_number", "live_edition__keywords", "live_edition__topic", "live_edition__genre",
          "live_edition__validity", "live_edition__published_date", "first_published_at")


def _setup(args) -> None:
    if args.database_url:
        os.environ["YANGGUANG_DATABASE_URL"] = args.database_url
    if args.var_dir:
        os.environ["YANGGUANG_VAR_DIR"] = args.var_dir
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "yangguang.settings")
    import django

    django.setup()


def schema():
    """doc_id; title, meta, body (terms separated by spaces, split by Tantivy's whitespace
    tokenizer); the facets org, year (u64), topic, genre, validity (raw strings), all fast; the
    publication date (fast, for newest-first)."""
    import tantivy

    sb = tantivy.SchemaBuilder()
    sb.add_unsigned_field("doc_id", indexed=True, fast=True)
    for name in WEIGHTS:
        sb.add_text_field(name, tokenizer_name="whitespace", index_option=TEXT_OPTION)
    for name in ("org", "year"):
        sb.add_unsigned_field(name, indexed=True, fast=True)
    for name in ("topic", "genre", "validity"):
        sb.add_text_field(name, tokenizer_name="raw", fast=True, index_option="basic")
    sb.add_date_field("date", indexed=True, fast=True)
    return sb.build()


# ---------------------------------------------------------------- build


def read_batches(batch_size: int):
    """Lists of (id, org, topic, genre, validity, date, title, meta, body) of the public documents'
    live editions, `batch_size` at a time. The meta line and body + attachments are put together
    as yangguang's indexer puts them (segment.py's index_text keeps the first MAX_INDEXED_CHARS,
    so only that head of each attachment is read)."""
    from django.apps import apps
    from django.db.models.functions import Substr
    from django.utils import timezone

    from yangguang.core.search.segment import MAX_INDEXED_CHARS

    Document = apps.get_model("publishing", "Document")
    Attachment = apps.get_model("publishing", "Attachment")
    names = dict(apps.get_model("orgs", "Organization").objects.values_list("pk", "name"))
    last = 0
    while True:
        rows = list(Document.objects.public().filter(pk__gt=last).order_by("pk").values_list(*FIELDS)[:batch_size])
        if not rows:
            return
        attached: dict[int, list[str]] = {}
        for ed, head in (Attachment.objects.filter(edition_id__in=[r[2] for r in rows]).exclude(text="")
                         .annotate(head=Substr("text", 1, MAX_INDEXED_CHARS)).values_list("edition_id", "head")):
            attached.setdefault(ed, []).append(head)
        out = []
        for pk, org, ed, title, body, number, keywords, topic, genre, validity, pub, first in rows:
            text = "\n".join(attached.get(ed, []))
            out.append((pk, org, topic, genre, validity or "", pub or timezone.localdate(first), title,
                        " ".join(x for x in (number, keywords, names.get(org, "")) if x),
                        (body or "") + ("\n" + text if text else "")))
        last = rows[-1][0]
        yield out


def prepare(rows: list[tuple]) -> list[tuple]:
    """Segmentation: yangguang's own index_text on title, meta line and body."""
    from yangguang.core.search.segment import index_text

    return [(pk, org, topic, genre, validity, day, index_text(title), index_text(meta), index_text(body))
            for pk, org, topic, genre, validity, day, title, meta, body in rows]


def _add(writer, rows: list[tuple]) -> int:
    import tantivy

    for pk, org, topic, genre, validity, day, title, meta, body in rows:
        doc = tantivy.Document()
        doc.add_unsigned("doc_id", pk)
        doc.add_text("title", title)
        doc.add_text("meta", meta)
        doc.add_text("body", body)
        doc.add_unsigned("org", org)
        doc.add_unsigned("year", day.year)
        doc.add_text("topic", topic)
        doc.add_text("genre", genre)
        doc.add_text("validity", validity)
        doc.add_date("date", datetime.combine(day, dtime(), tzinfo=UTC))
        writer.add_document(doc)
    return len(rows)


def dir_bytes(path: Path) -> int:
    return sum(f.stat().st_size for f in path.rglob("*") if f.is_file())


def build(path: Path, workers: int, batch_size: int, heap_mb: int, writer_threads: int) -> dict:
    """One build from an empty directory; the timing covers reading, segmenting, writing, the
    commit and the merges."""
    import tantivy

    from yangguang.core.search.segment import index_text

    index_text("预热")  # the segmenter's dictionary, loaded before timing (and inherited by the forks)
    shutil.rmtree(path, ignore_errors=True)
    path.mkdir(parents=True)
    t0 = time.perf_counter()
    # the pool is forked before the index exists: no Tantivy threads in the children
    pool = multiprocessing.get_context("fork").Pool(workers - 1) if workers > 1 else None
    index = tantivy.Index(schema(), path=str(path))
    writer = index.writer(heap_size=heap_mb * 1_000_000, num_threads=writer_threads)
    docs = 0
    segmenting = 0.0
    pending = None
    try:
        for raw in read_batches(batch_size):
            if pool is not None:
                step = max(1, len(raw) // (2 * (workers - 1)))
                work = pool.map_async(prepare, [raw[i:i + step] for i in range(0, len(raw), step)])
            else:
                t = time.perf_counter()
                work = prepare(raw)
                segmenting += time.perf_counter() - t
            if pending is not None:
                docs += _add(writer, pending if isinstance(pending, list) else [r for c in pending.get() for r in c])
            pending = work
        if pending is not None:
            docs += _add(writer, pending if isinstance(pending, list) else [r for c in pending.get() for r in c])
        writer.commit()
        writer.wait_merging_threads()
    finally:
        if pool is not None:
            pool.close()
            pool.join()
    seconds = time.perf_counter() - t0
    result = {"workers": workers, "writer_threads": writer_threads, "documents": docs, "seconds": round(seconds, 2),
              "docs_per_s": round(docs / seconds, 1), "index_bytes": dir_bytes(path)}
    if pool is None:
        result["segmentation_share"] = round(segmenting / seconds, 3)
    return result


# ---------------------------------------------------------------- search


class Baseline:
    """The engine side of one result page, on an open index (one per process)."""

    def __init__(self, path: Path, org_ids: dict[str, int]):
        import tantivy

        from yangguang.core.search import parse_query

        self.t = tantivy
        self.parse = parse_query
        self.index = tantivy.Index.open(str(path))
        self.schema = self.index.schema
        self.searcher = self.index.searcher()
        self.org_ids = org_ids

    def _term(self, field: str, value, option: str = TEXT_OPTION):
        return self.t.Query.term_query(self.schema, field, value, index_option=option)

    def _word(self, word: str):
        """A word in the title, meta line or body, scored with yangguang's weights."""
        Q, Should = self.t.Query, self.t.Occur.Should
        return Q.boolean_query([(Should, Q.boost_query(self._term(f, word), w)) for f, w in WEIGHTS.items()])

    def _clause(self, term):
        """yangguang's Term: the word, or all of its inner words (query.py)."""
        Q, Occur = self.t.Query, self.t.Occur
        word = self._word(term.word)
        if not term.alternatives:
            return word
        inner = Q.boolean_query([(Occur.Must, self._word(a)) for a in term.alternatives])
        return Q.boolean_query([(Occur.Should, word), (Occur.Should, inner)])

    def _filter(self, facet: str, value):
        option = "basic" if facet in ("topic", "genre", "validity") else "position"
        return self.t.Query.const_score_query(self._term(facet, value, option), 0.0)

    def _matched(self, text: list, filters: dict, extra: list = ()):
        Must = self.t.Occur.Must
        return self.t.Query.boolean_query(text + [(Must, self._filter(f, v)) for f, v in filters.items()] + list(extra))

    def search(self, raw: str, sort: str = "relevance", page: int = 1, **given) -> tuple[int, list[int], dict]:
        """(total, the page's document ids, {facet: {value: count}})."""
        Q, Occur = self.t.Query, self.t.Occur
        filters = {}
        for f in FACETS:
            if given.get(f) not in (None, ""):
                value = self.org_ids.get(str(given[f])) if f == "org" else int(given[f]) if f == "year" else str(given[f])
                if value is not None:
                    filters[f] = value
        q = self.parse(raw)
        if q.empty:
            return 0, [], {f: {} for f in FACETS}
        text = [(Occur.Must, self._clause(t)) for t in q.terms]
        boost = [(Occur.Should, Q.const_score_query(self._term("year", y, "position"), YEAR_BOOST))
                 for y in q.years] if sort != "date" else []
        found = self.searcher.search(self._matched(text, filters, boost), limit=PER_PAGE,
                                     offset=(max(1, int(page)) - 1) * PER_PAGE, count=True,
                                     order_by_field="date" if sort == "date" else None)
        ids = self.searcher.fast_field_values("doc_id", [a for _s, a in found.hits]) if found.hits else []
        groups: dict[tuple, tuple[dict, list[str]]] = {}
        for f in FACETS:
            base = {k: v for k, v in filters.items() if k != f}
            groups.setdefault(tuple(sorted(base.items())), (base, []))[1].append(f)
        facets = {}
        for base, names in groups.values():
            agg = self.searcher.aggregate(self._matched(text, base),
                                          {n: {"terms": {"field": n, "size": FACET_SIZE}} for n in names})
            for n in names:
                facets[n] = {b["key"]: b["doc_count"] for b in agg[n]["buckets"]}
        return found.count, ids, facets


def run_all(engine: Baseline, rounds: int) -> list[tuple[int, float, int]]:
    """(query index, seconds, total) for every call, `rounds` passes over QUERIES."""
    out = []
    for _ in range(rounds):
        for i, params in enumerate(QUERIES):
            params = dict(params)
            t = time.perf_counter()
            total, _ids, _facets = engine.search(params.pop("q"), **params)
            out.append((i, time.perf_counter() - t, total))
    return out


def _user(path: Path, org_ids: dict, rounds: int, queue) -> None:
    engine = Baseline(path, org_ids)  # its own index reader, opened in this process
    t = time.perf_counter()
    calls = run_all(engine, rounds)
    queue.put((calls, time.perf_counter() - t))


def measure_search(path: Path, org_ids: dict, rounds: int, users: int, concurrent_rounds: int) -> dict:
    engine = Baseline(path, org_ids)
    run_all(engine, 1)  # warm-up: the index files in the page cache, the segmenter dictionary
    single = run_all(engine, rounds)
    per_query = {}
    for i, params in enumerate(QUERIES):
        times = [s for j, s, _n in single if j == i]
        total = next(n for j, _s, n in single if j == i)
        per_query[i] = {"params": params, "total": total, "median_ms": round(statistics.median(times) * 1000, 2)}
    ctx = multiprocessing.get_context("fork")
    queue = ctx.Queue()
    t0 = time.perf_counter()
    procs = [ctx.Process(target=_user, args=(path, org_ids, concurrent_rounds, queue)) for _ in range(users)]
    for proc in procs:
        proc.start()
    results = collect(procs, queue)
    wall = time.perf_counter() - t0
    conc = [s for calls, _w in results for _i, s, _n in calls]
    return {"single_user": summary([s for _i, s, _n in single]),
            "concurrent": {"users": users, **summary(conc), "throughput_qps": round(len(conc) / wall, 1),
                           "wall_s": round(wall, 2)},
            "per_query": per_query}


# ---------------------------------------------------------------- yangguang, same run (--compare)


def _db_args(args) -> list[str]:
    return ([f"--database-url={args.database_url}"] if args.database_url else []) + \
           ([f"--var-dir={args.var_dir}"] if args.var_dir else [])


def reindex_child(args) -> int:
    """Child process of --compare: time yangguang's `search-reindex` (a full rebuild) with
    --workers N, Django set up and the segmenter loaded before the clock starts."""
    _setup(args)
    from django.core.management import call_command, load_command_class

    from yangguang.core.search.segment import index_text
    from yangguang.publishing.models import Document

    index_text("预热")
    workers = int(args.workers)
    options = {"workers": workers}
    parser = load_command_class("yangguang.core", "search_reindex").create_parser("yangguang", "search_reindex")
    if any(a.dest == "clear" for a in parser._actions):  # today's SQL index: rebuild from empty
        options["clear"] = True
    docs = Document.objects.public().count()
    t = time.perf_counter()
    call_command("search_reindex", **options)
    seconds = time.perf_counter() - t
    args.json.write_text(json.dumps({"workers": workers, "documents": docs, "seconds": round(seconds, 2),
                                     "docs_per_s": round(docs / seconds, 1), "options": options}))
    return 0


def yangguang_index_bytes() -> int | None:
    """Size of yangguang's live search index: the directory `current` points at (not the older
    ones a rebuild may have left beside it for readers still open)."""
    from yangguang.core.search import tantivy_index

    path = tantivy_index.current()
    return dir_bytes(path) if path is not None else None


def reindex_yangguang(args, workers: int) -> dict:
    """yangguang's rebuild with `workers` processes, in a child process (see reindex_child)."""
    with tempfile.TemporaryDirectory(prefix="tantivy-compare-") as tmp:
        out = Path(tmp) / "reindex.json"
        subprocess.run([sys.executable, __file__, "--reindex-child", f"--workers={workers}", f"--json={out}",
                        *_db_args(args)], check=True, stdout=subprocess.DEVNULL)
        return json.loads(out.read_text())


def compare(args, result: dict, reindex: dict) -> dict:
    """search_bench.py on the same database, then yangguang ÷ baseline. search_bench.py waits
    for every user process, so a user that dies (SQLite: "database is locked" under load) would
    hang it: after --compare-timeout seconds it is stopped and the round has no ratios."""
    with tempfile.TemporaryDirectory(prefix="tantivy-compare-") as tmp:
        out = Path(tmp) / "search.json"
        # its own session, so that on a timeout its user processes are stopped with it
        proc = subprocess.Popen([sys.executable, str(HERE / "search_bench.py"), *_db_args(args), f"--json={out}",
                                 f"--users={args.users}", f"--rounds={args.rounds}",
                                 f"--concurrent-rounds={args.concurrent_rounds}"], stdout=subprocess.DEVNULL,
                                start_new_session=True)
        try:
            status = proc.wait(timeout=args.compare_timeout)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait()
            status = f"stopped after {args.compare_timeout} s"
        if status != 0:
            return {"error": f"search_bench.py: {status}", "reindex": reindex, "ratios": None}
        yg = json.loads(out.read_text())
    size = yangguang_index_bytes()
    base = result
    mismatched = [{"params": q["params"], "baseline": q["total"], "yangguang": yg["per_query"][str(i)]["total"]}
                  for i, q in base["per_query"].items() if yg["per_query"][str(i)]["total"] != q["total"]]
    ratios = {
        "single_user_p95": round(yg["single_user"]["p95_ms"] / base["single_user"]["p95_ms"], 2),
        "concurrent_p95": round(yg["concurrent"]["p95_ms"] / base["concurrent"]["p95_ms"], 2),
        "reindex_docs_per_s": {w: round(r["docs_per_s"] / base["build"][w]["docs_per_s"], 3)
                               for w, r in reindex.items()},
        "index_size": round(size / base["index_bytes"], 2) if size else None,
    }
    return {"search_bench": {k: yg[k] for k in ("vendor", "documents", "single_user", "concurrent",
                                                 "single_user_result_cache", "load_average")},
            "reindex": reindex, "index_bytes": size, "ratios": ratios,
            "targets": {"single_user_p95": "≤ 2", "concurrent_p95": "≤ 3", "reindex_docs_per_s": "≥ 0.70",
                        "index_size": "≤ 2"},
            "total_mismatches": mismatched}


# ---------------------------------------------------------------- main


def one_round(args, builds: list[int], path: Path, org_ids: dict) -> dict:
    """The baseline's builds (with --compare each followed at once by yangguang's rebuild with the
    same processes, so each pair meets about the same load), its searches on the last build, and
    with --compare search_bench.py and the ratios."""
    from importlib.metadata import version

    from django.db import connection

    built, reindex = {}, {}
    for w in builds:
        built[w] = build(path, w, args.batch_size, args.heap_mb, args.writer_threads)
        if args.compare and not args.no_reindex:
            connection.close()
            reindex[w] = reindex_yangguang(args, w)
    connection.close()  # the forked users need no database
    result = {"engine": "tantivy-baseline", "tantivy": version("tantivy"), "vendor": connection.vendor,
              "documents": built[builds[-1]]["documents"], "queries": len(QUERIES), "machine": platform.platform(),
              "cpus": os.cpu_count(), "load_average": os.getloadavg(), "build": built,
              "index_bytes": built[builds[-1]]["index_bytes"],
              **measure_search(path, org_ids, args.rounds, args.users, args.concurrent_rounds)}
    result["load_average_after"] = os.getloadavg()
    if args.compare:
        result["compare"] = compare(args, result, reindex)
    return result


def median_ratios(all_ratios: list[dict]) -> dict:
    out: dict = {"rounds": len(all_ratios)}
    for key in ("single_user_p95", "concurrent_p95", "index_size"):
        values = [r[key] for r in all_ratios if r[key] is not None]
        out[key] = round(statistics.median(values), 2) if values else None
    workers = {w for r in all_ratios for w in r["reindex_docs_per_s"]}
    out["reindex_docs_per_s"] = {w: round(statistics.median([r["reindex_docs_per_s"][w] for r in all_ratios
                                                              if w in r["reindex_docs_per_s"]]), 3)
                                 for w in sorted(workers)}
    return out


def _print(result: dict) -> None:
    print(f"bare-Tantivy baseline: tantivy {result['tantivy']}, {result['vendor']} source, "
          f"{result['documents']:,} public documents, {result['queries']} queries")
    for w, b in result["build"].items():
        seg = f", segmentation {b['segmentation_share']:.0%} of it" if "segmentation_share" in b else ""
        print(f"build, {w} process(es): {b['documents']:,} documents in {b['seconds']} s = "
              f"{b['docs_per_s']:,.0f} documents/s{seg}; index {b['index_bytes'] / 1e6:.1f} MB")
    print(f"{'':22}{'calls':>7}{'p50 ms':>10}{'p95 ms':>10}{'max ms':>10}")
    for label, s in (("single user", result["single_user"]),
                     (f"{result['concurrent']['users']} concurrent users", result["concurrent"])):
        print(f"{label:22}{s['calls']:>7}{s['p50_ms']:>10}{s['p95_ms']:>10}{s['max_ms']:>10}")
    print(f"concurrent throughput: {result['concurrent']['throughput_qps']} searches/s")
    slow = sorted(result["per_query"].values(), key=lambda r: -r["median_ms"])[:5]
    print("slowest queries (median ms, matches): " + "; ".join(
        f"{r['params']} {r['median_ms']} ({r['total']})" for r in slow))
    cmp = result.get("compare")
    if not cmp:
        return
    if cmp.get("error"):
        print(f"compare: {cmp['error']}; yangguang's rebuild: {cmp['reindex']}")
        return
    yg, r = cmp["search_bench"], cmp["ratios"]
    print(f"yangguang search() ({yg['vendor']}): single user p50/p95 {yg['single_user']['p50_ms']}/"
          f"{yg['single_user']['p95_ms']} ms, {yg['concurrent']['users']} users p95 {yg['concurrent']['p95_ms']} ms, "
          f"{yg['concurrent']['throughput_qps']} searches/s")
    for w, x in cmp["reindex"].items():
        print(f"yangguang search-reindex, {w} process(es): {x['docs_per_s']:,.0f} documents/s")
    size = cmp["index_bytes"]
    print(f"yangguang index: {size / 1e6:.1f} MB" if size else "yangguang index: size unknown")
    print(f"ratios yangguang ÷ baseline: single-user p95 {r['single_user_p95']} (≤ 2), "
          f"{yg['concurrent']['users']}-user p95 {r['concurrent_p95']} (≤ 3), rebuild documents/s "
          f"{r['reindex_docs_per_s']} (≥ 0.70), index size {r['index_size']} (≤ 2)")
    if cmp["total_mismatches"]:
        print(f"totals that differ ({len(cmp['total_mismatches'])}; yangguang may estimate broad ones): "
              + "; ".join(f"{m['params']} {m['baseline']} vs {m['yangguang']}" for m in cmp["total_mismatches"]))
    else:
        print("all 50 totals equal yangguang's")


def main(argv=None) -> int:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--database-url", help="YANGGUANG_DATABASE_URL of the database to read")
    p.add_argument("--var-dir", help="YANGGUANG_VAR_DIR (the SQLite database lives there by default)")
    p.add_argument("--workers", default="1,3",
                   help="processes per build, comma-separated: one build each, the last is searched (default 1,3)")
    p.add_argument("--batch-size", type=int, default=1000)
    p.add_argument("--heap-mb", type=int, default=256, help="Tantivy writer memory budget (default 256 MB)")
    p.add_argument("--writer-threads", type=int, default=1, help="Tantivy indexing threads (default 1)")
    p.add_argument("--index-dir", type=Path, help="where to build the index (default: a temporary directory)")
    p.add_argument("--keep-index", action="store_true")
    p.add_argument("--users", type=int, default=8, help="concurrent users (processes), default 8")
    p.add_argument("--rounds", type=int, default=3, help="passes over the 50 queries, single user (default 3)")
    p.add_argument("--concurrent-rounds", type=int, default=2, help="passes per concurrent user (default 2)")
    p.add_argument("--compare", action="store_true",
                   help="also run yangguang's search-reindex and search_bench.py on the same database, and the ratios")
    p.add_argument("--no-reindex", action="store_true", help="with --compare: skip yangguang's rebuild")
    p.add_argument("--compare-timeout", type=int, default=1800,
                   help="seconds search_bench.py may take before the round is given up (default 1800)")
    p.add_argument("--repeat", type=int, default=1,
                   help="whole rounds (builds, searches, and with --compare yangguang's), one after another")
    p.add_argument("--json", type=Path, help="where to write the JSON result")
    p.add_argument("--reindex-child", action="store_true", help=argparse.SUPPRESS)
    args = p.parse_args(argv)
    sys.stdout.reconfigure(line_buffering=True)  # each round's figures show as they come (nohup … > file)
    if args.reindex_child:
        return reindex_child(args)
    _setup(args)

    from django.apps import apps

    builds = [int(w) for w in str(args.workers).split(",")]
    own_dir = args.index_dir is None
    path = args.index_dir or Path(tempfile.mkdtemp(prefix="tantivy-baseline-")) / "index"
    org_ids = dict(apps.get_model("orgs", "Organization").objects.values_list("slug", "pk"))
    rounds = []
    try:
        for n in range(args.repeat):
            rounds.append(one_round(args, builds, path, org_ids))
            if args.repeat > 1:
                print(f"— round {n + 1} of {args.repeat} —")
            _print(rounds[-1])
    finally:
        if own_dir and not args.keep_index:
            shutil.rmtree(path.parent, ignore_errors=True)
    result = rounds[-1]
    if len(rounds) > 1:
        result = {**result, "rounds": rounds}
        if args.compare:
            result["median_ratios"] = median_ratios([r["compare"]["ratios"] for r in rounds
                                                     if r["compare"]["ratios"]])
            print(f"median of {len(rounds)} rounds, yangguang ÷ baseline: {result['median_ratios']}")
    out = args.json or HERE / "out" / f"tantivy-{result['vendor']}-{result['documents']}.json"
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(result, ensure_ascii=False, indent=2), encoding="utf-8")
    if own_dir and args.keep_index:
        print(f"index kept: {path}")
    print(f"JSON: {out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
