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
import subprocess
import sys
import tempfile
import time
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


def run_import(app, path: Path, *, write: bool) -> tuple[float, float, dict]:
    """Plan (read + validate + compare) and optionally write; returns wall seconds, CPU seconds, counts."""
    from registry.extensions import db
    from registry.imports.parsers import Limits
    from registry.imports.services import plan_import
    from registry.imports.services import run_import as run

    with app.app_context():
        start, cpu = time.perf_counter(), time.process_time()
        plan = plan_import(path.read_bytes(), path.name, actor=None, limits=Limits.from_config(app.config))
        if not plan.ok:
            raise SystemExit([str(e) for e in plan.errors[:5]])
        counts = run(plan, actor=None) if write else {"new": len(plan.new)}
        del plan
        db.session.commit()
        return time.perf_counter() - start, time.process_time() - cpu, counts


def phase_time(rows: int, db_url: str | None) -> None:
    with tempfile.TemporaryDirectory() as d:
        tmp = Path(d)
        path = tmp / "bench.xlsx"
        write_xlsx(path, rows)
        app = fresh_app(db_url, tmp, rows + 1)
        wall, cpu, counts = run_import(app, path, write=True)
        print(f"{rows:,} rows ({path.stat().st_size / 1e6:.1f} MB xlsx) imported (validation, {counts['new']:,} items "
              f"through the item services, audit events, one commit): {wall:.1f} s wall, {cpu:.1f} s CPU")


def phase_memory(rows: int, db_url: str | None, write: bool) -> None:
    """Run in a fresh process so its peak RSS belongs to this import alone."""
    with tempfile.TemporaryDirectory() as d:
        tmp = Path(d)
        path = tmp / "bench.xlsx"
        write_xlsx(path, rows)
        app = fresh_app(db_url, tmp, rows + 1)
        base = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        wall, cpu, counts = run_import(app, path, write=write)
        peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        what = "read, validated, compared and written" if write else "read, validated and compared (dry run)"
        print(f"{rows:,} rows ({path.stat().st_size / 1e6:.1f} MB xlsx) {what} in {wall:.1f} s wall, {cpu:.1f} s CPU; "
              f"peak RSS {peak:.0f} MB (process before the import: {base:.0f} MB)")


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--rows", type=int, default=10_000)
    ap.add_argument("--memory-rows", type=int, default=100_000)
    ap.add_argument("--write-memory-rows", action="store_true", help="also write the large file (slow)")
    ap.add_argument("--db", help="an EMPTY database URL (default: a temporary SQLite file)")
    ap.add_argument("--phase", choices=["time", "memory"], help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.phase == "time":
        return phase_time(args.rows, args.db)
    if args.phase == "memory":
        return phase_memory(args.memory_rows, args.db, args.write_memory_rows)
    print(f"machine: {platform.platform()}, {platform.processor() or platform.machine()}, {os.cpu_count()} CPUs, "
          f"Python {platform.python_version()}, load average {os.getloadavg()[0]:.1f}")
    me = [sys.executable, __file__, "--rows", str(args.rows), "--memory-rows", str(args.memory_rows)]
    if args.db:
        me += ["--db", args.db]
    subprocess.run([*me, "--phase", "time"], check=True)
    if args.memory_rows:
        subprocess.run([*me, "--phase", "memory"] + (["--write-memory-rows"] if args.write_memory_rows else []),
                       check=True)


if __name__ == "__main__":
    main()
