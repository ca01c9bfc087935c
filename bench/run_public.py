"""Measure the public portal served by its production server (``registry serve``, gunicorn).

    python bench/build_db.py && python bench/run_public.py     # SQLite, 100,000 items
    DATABASE_URL=postgresql+psycopg://... python bench/run_public.py --workers 4

Starts the server on the benchmark database, warms it up, then for each concurrency level
(``--concurrency 2,8``: that many client threads, one keep-alive connection each) and each
scenario sends ``--requests`` GET requests and reports requests per second and p50 / p95 /
p99 latency. The load generator runs on the same machine as the server and shares its
cores. The full CSV export is timed separately (``--exports`` sequential downloads). Prints
Markdown tables with the machine it ran on and its load average before the run (other
work on the machine slows every figure); ``--out FILE`` also writes them to a file.
``--no-cache`` turns the public response cache off, so that every request is rendered: run
it both ways, the cache only helps a request someone made before since the last change.
"""
from __future__ import annotations

import argparse
import http.client
import os
import platform
import random
import signal
import socket
import statistics
import subprocess
import sys
import threading
import time
from pathlib import Path
from urllib.parse import quote

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
DEFAULT_URL = f"sqlite:///{ROOT / 'bench' / 'results' / 'bench.db'}"
TWO_CHAR_QUERIES = ("燃气", "食品", "许可", "道路", "卫生", "建设", "药品", "经营", "审批", "登记", "运输", "设立")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_server(url: str, port: int, workers: int, threads: int, cpus: str | None,
                 cache: bool = True) -> subprocess.Popen:
    env = dict(os.environ, DATABASE_URL=url, SECRET_KEY="bench-" + os.urandom(8).hex(), REGISTRY_ENV="production",
               SESSION_COOKIE_SECURE="0", PYTHONPATH=str(ROOT) + os.pathsep + os.environ.get("PYTHONPATH", ""))
    if not cache:
        env["PUBLIC_CACHE_ENTRIES"] = "0"
    cmd = [sys.executable, "-m", "registry", "serve", "--host", "127.0.0.1", "--port", str(port),
           "--workers", str(workers), "--threads", str(threads)]
    if cpus:
        cmd = ["taskset", "-c", cpus] + cmd
    proc = subprocess.Popen(cmd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, cwd=ROOT,
                            start_new_session=True)
    deadline = time.time() + 60
    while time.time() < deadline:
        try:
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
            conn.request("GET", "/api/v1/stats")
            if conn.getresponse().status == 200:
                return proc
        except OSError:
            time.sleep(0.3)
        if proc.poll() is not None:
            raise SystemExit("server failed to start:\n" + proc.stderr.read().decode(errors="replace"))
    raise SystemExit("server did not answer within 60 s")


def run(port: int, paths: list[str], total: int, concurrency: int) -> dict:
    """Send ``total`` requests spread over ``paths`` from ``concurrency`` threads."""
    latencies: list[float] = []
    errors = [0]
    lock = threading.Lock()
    counter = iter(range(total))

    def worker():
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=120)
        mine = []
        while True:
            with lock:
                i = next(counter, None)
            if i is None:
                break
            path = paths[i % len(paths)]
            t = time.perf_counter()
            try:
                conn.request("GET", path, headers={"Accept-Language": "zh-CN"})
                resp = conn.getresponse()
                resp.read()
            except (OSError, http.client.HTTPException) as exc:
                # the server closed an idle keep-alive connection: reconnect, count nothing
                conn.close()
                conn = http.client.HTTPConnection("127.0.0.1", port, timeout=120)
                with lock:
                    errors[0] += 1
                    if errors[0] <= 3:
                        print(f"  {path}: {exc!r}", file=sys.stderr)
                continue
            mine.append(time.perf_counter() - t)
            if resp.status != 200:
                with lock:
                    errors[0] += 1
                    if errors[0] <= 3:
                        print(f"  {path}: HTTP {resp.status}", file=sys.stderr)
        conn.close()
        with lock:
            latencies.extend(mine)

    started = time.perf_counter()
    threads = [threading.Thread(target=worker) for _ in range(concurrency)]
    for th in threads:
        th.start()
    for th in threads:
        th.join()
    wall = time.perf_counter() - started
    lat = sorted(latencies) or [float("nan")]

    def pct(p):
        return lat[min(len(lat) - 1, int(round(p / 100 * (len(lat) - 1))))] * 1000

    return {"n": len(lat), "rps": len(lat) / wall, "p50": pct(50), "p95": pct(95), "p99": pct(99),
            "mean": statistics.fmean(lat) * 1000, "errors": errors[0]}


def export(port: int, path: str, times: int) -> dict:
    durations, size = [], 0
    for _ in range(times):
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=600)
        t = time.perf_counter()
        conn.request("GET", path)
        resp = conn.getresponse()
        size = 0
        while chunk := resp.read(1 << 16):
            size += len(chunk)
        durations.append(time.perf_counter() - t)
        conn.close()
    return {"n": times, "seconds": statistics.median(durations) if durations else float("nan"), "mb": size / 1e6}


def machine(url: str, workers: int, threads: int, cpus: str | None, cache: bool = True) -> str:
    cpu = "unknown CPU"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    mem = ""
    try:
        kb = int(Path("/proc/meminfo").read_text().split()[1])
        mem = f", {kb / 1024 / 1024:.0f} GB RAM"
    except (OSError, ValueError, IndexError):
        pass
    import sqlite3

    db = "SQLite " + sqlite3.sqlite_version if url.startswith("sqlite") else "PostgreSQL"
    if not url.startswith("sqlite"):
        import sqlalchemy as sa

        eng = sa.create_engine(url, poolclass=sa.pool.NullPool)
        with eng.connect() as c:
            db = "PostgreSQL " + c.exec_driver_sql("SHOW server_version").scalar()
        eng.dispose()
    return (f"{cpu}, {os.cpu_count()} cores{mem}; {platform.system()} {platform.release()}; "
            f"Python {platform.python_version()}; {db}; gunicorn gthread {workers} workers × {threads} threads"
            + (f", server pinned to CPUs {cpus}" if cpus else "") + "; load generator on the same machine; "
            + ("public response cache on (repeated requests are served from it)" if cache
               else "public response cache off (PUBLIC_CACHE_ENTRIES=0: every request is rendered)"))


def sample_codes(url: str, k: int) -> tuple[list[str], int]:
    import sqlalchemy as sa

    eng = sa.create_engine(url, poolclass=sa.pool.NullPool)
    with eng.connect() as c:
        n = c.exec_driver_sql("SELECT count(*) FROM items WHERE decision IS NOT NULL").scalar()
        codes = [r[0] for r in c.exec_driver_sql(
            "SELECT code FROM items WHERE decision IS NOT NULL ORDER BY id LIMIT 5000")]
    eng.dispose()
    random.Random(1).shuffle(codes)
    return codes[:k], n


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--database-url", default=os.environ.get("DATABASE_URL") or DEFAULT_URL)
    ap.add_argument("--requests", type=int, default=400, help="requests per scenario")
    ap.add_argument("--concurrency", default="2,8", help="client threads, comma-separated levels (default 2,8)")
    ap.add_argument("--workers", type=int, default=2)
    ap.add_argument("--threads", type=int, default=4)
    ap.add_argument("--exports", type=int, default=3, help="full CSV downloads to time")
    ap.add_argument("--cpus", default=None, help="pin the server to these CPUs (taskset), e.g. 0,1")
    ap.add_argument("--out", default=None, help="also write the Markdown table to this file")
    ap.add_argument("--no-cache", action="store_true",
                    help="turn the public response cache off: every request renders (the worst case)")
    args = ap.parse_args(argv)

    from registry.config import normalise_database_url

    url = normalise_database_url(args.database_url)
    codes, n_items = sample_codes(url, 200)
    if not codes:
        raise SystemExit("no published items: run bench/build_db.py first")
    q2 = quote("燃气")
    scenarios = [
        ("list page `/items`", ["/items"] + [f"/items?page={p}" for p in (2, 10, 50, 200)]),
        ("2-character search `/items?q=燃气`", [f"/items?q={q2}"]),
        ("2-character searches, 12 different", [f"/items?q={quote(q)}" for q in TWO_CHAR_QUERIES]),
        ("item page `/items/<code>`", [f"/items/{c}" for c in codes]),
        ("JSON list `/api/v1/items`", ["/api/v1/items", "/api/v1/items?page=7&per_page=50"]),
        ("JSON 2-character search", [f"/api/v1/items?q={q2}"]),
        ("item code search `/items?q=XK00012345`", ["/items?q=XK00012345"]),
        ("code-part search `/items?q=00012`", ["/items?q=00012"]),
    ]
    levels = [int(c) for c in str(args.concurrency).split(",") if c.strip()]
    load = os.getloadavg()
    port = free_port()
    proc = start_server(url, port, args.workers, args.threads, args.cpus, cache=not args.no_cache)
    try:
        for _name, paths in scenarios:  # warm-up: caches, connections, first-request set-up
            run(port, paths, min(40, args.requests), max(levels))
        results = {c: [(name, run(port, paths, args.requests, c)) for name, paths in scenarios] for c in levels}
        csv_result = export(port, "/items.csv?decision=all", args.exports)
    finally:
        os.killpg(proc.pid, signal.SIGTERM)
        proc.wait(timeout=30)
    lines = [
        f"{n_items:,} published items; {args.requests} requests per scenario and concurrency level.  ",
        f"Machine: {machine(url, args.workers, args.threads, args.cpus, cache=not args.no_cache)}.  ",
        f"Load average before the run: {load[0]:.1f} / {load[1]:.1f} / {load[2]:.1f} (1 / 5 / 15 min).",
    ]
    for c in levels:
        lines += ["", f"{c} concurrent keep-alive clients:", "",
                  "| scenario | req/s | p50 ms | p95 ms | p99 ms | errors |", "|---|---:|---:|---:|---:|---:|"]
        for name, r in results[c]:
            lines.append(f"| {name} | {r['rps']:.0f} | {r['p50']:.1f} | {r['p95']:.1f} | {r['p99']:.1f} "
                         f"| {r['errors']} |")
    lines += [""]
    if csv_result["n"]:
        lines.append(f"Full CSV export `/items.csv?decision=all`: {csv_result['mb']:.0f} MB in "
                     f"{csv_result['seconds']:.1f} s (median of {csv_result['n']}, one client).")
    table = "\n".join(lines)
    print(table)
    if args.out:
        Path(args.out).write_text(table + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
