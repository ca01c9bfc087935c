"""Benchmark (not a test): import time for 10,000 rows and peak memory for a 100,000-row file.

    PYTHONPATH=. python bench/import_bench.py [--rows 10000] [--memory-rows 100000] [--db URL]

Each run uses a fresh database (a temporary SQLite file unless --db names an empty one),
seeds the demo departments, writes the spreadsheets and imports them through the same
services the web page and the CLI use (validation, item services, audit events).
"""
from __future__ import annotations

import argparse
import os
import platform
import resource
import sys
import tempfile
import time
import tracemalloc
from pathlib import Path

from openpyxl import Workbook

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from registry.imports.columns import COLUMNS

DEPTS = ["D01", "D02", "D04", "D05", "D06"]


def make_rows(n: int, prefix: str = "BX"):
    for i in range(n):
        yield [f"{prefix}{i:08d}", f"基准测试许可事项{i}", "", DEPTS[i % 5], DEPTS[i % 5], "安全健康", "区",
               "公民、法人或其他组织", "有与经营相适应的场所和设施；有相应的管理制度。", "申请书、营业执照复印件",
               "申请—受理—审查—决定", 20, 10 + i % 10, "否", "", "", "《许可证》", "3 年", "",
               "行政法规", "国家", "《某某管理条例》", "国务院", f"国务院令第{i % 700}号", "第八条", "2003-01-01"]


def write_xlsx(path: Path, n: int) -> None:
    wb = Workbook(write_only=True)
    ws = wb.create_sheet("事项")
    ws.append([c.header for c in COLUMNS])
    for row in make_rows(n):
        ws.append(row)
    wb.save(path)


def fresh_app(url: str | None, tmp: Path, max_rows: int):
    from registry import create_app, migrate, seeding
    from registry.extensions import db

    url = url or f"sqlite:///{tmp / 'bench.db'}"
    app = create_app({"REGISTRY_ENV": "testing", "SQLALCHEMY_DATABASE_URI": url, "IMPORT_MAX_ROWS": max_rows,
                      "IMPORT_MAX_BYTES": 200 * 1024 * 1024})
    migrate.upgrade(url)
    with app.app_context():
        seeding.seed()
        db.session.commit()
    return app


def run_import(app, path: Path, *, write: bool) -> tuple[float, dict]:
    from registry.extensions import db
    from registry.imports.parsers import Limits
    from registry.imports.services import plan_import
    from registry.imports.services import run_import as run

    with app.app_context():
        start = time.perf_counter()
        plan = plan_import(path.read_bytes(), path.name, actor=None, limits=Limits.from_config(app.config))
        if not plan.ok:
            raise SystemExit([str(e) for e in plan.errors[:5]])
        counts = run(plan, actor=None) if write else {"new": len(plan.new)}
        db.session.commit()
        return time.perf_counter() - start, counts


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--rows", type=int, default=10_000)
    ap.add_argument("--memory-rows", type=int, default=100_000)
    ap.add_argument("--db", help="an EMPTY database URL (default: a temporary SQLite file)")
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as d:
        tmp = Path(d)
        small, big = tmp / "bench_small.xlsx", tmp / "bench_big.xlsx"
        write_xlsx(small, args.rows)
        print(f"machine: {platform.platform()}, {platform.processor() or platform.machine()}, "
              f"{os.cpu_count()} CPUs, Python {platform.python_version()}")
        app = fresh_app(args.db, tmp, max(args.rows, args.memory_rows) + 1)
        seconds, counts = run_import(app, small, write=True)
        print(f"{args.rows:,} rows ({small.stat().st_size / 1e6:.1f} MB xlsx): imported in {seconds:.1f} s "
              f"({counts['new']} new items with audit events)")
        if args.memory_rows:
            write_xlsx(big, args.memory_rows)
            tracemalloc.start()
            seconds, counts = run_import(app, big, write=False)
            _, peak = tracemalloc.get_traced_memory()
            tracemalloc.stop()
            rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
            print(f"{args.memory_rows:,} rows ({big.stat().st_size / 1e6:.1f} MB xlsx): read, validated and planned "
                  f"in {seconds:.1f} s; peak traced Python memory {peak / 1e6:.0f} MB; process peak RSS {rss:.0f} MB")


if __name__ == "__main__":
    main()
