"""Run the mixed load benchmark (bench/load/locustfile.py) against the production server.

    python bench/run_load.py --out bench/results/load-sqlite.md                     # SQLite, 1 process
    DATABASE_URL=postgresql+psycopg://postgres@127.0.0.1:5432/registry_load \\
        python bench/run_load.py --workers 3 --out bench/results/load-postgres.md   # PostgreSQL, 3 processes

The database is emptied and prepared: the demo district (220 items, the published 2004 round,
the demo users and their open round), plus a load round of every item, submitted by each
department, for the workflow writers; API tokens for the demo officers and approvers. Then
``registry serve`` runs on 127.0.0.1 only and locust drives 200 users for a bounded time.
"""
from __future__ import annotations

import argparse
import csv
import os
import platform
import re
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

DEFAULT_URL = f"sqlite:///{ROOT / 'bench' / 'results' / 'load.db'}"


def prepare(url: str) -> list[str]:
    """Fresh schema and data; returns ``kind:token`` pairs for the workflow writers."""
    import sqlalchemy as sa

    from registry import create_app, migrate, seeding
    from registry.auth.models import Role, User
    from registry.auth.services import create_user
    from registry.auth.tokens import issue_token
    from registry.extensions import db
    from registry.items.models import Department
    from registry.review import rounds
    from registry.review.services import perform, save_justification

    if url.startswith("sqlite:///"):
        Path(url[len("sqlite:///"):]).unlink(missing_ok=True)
    else:
        engine = sa.create_engine(url)
        with engine.begin() as conn:
            conn.exec_driver_sql("DROP SCHEMA public CASCADE; CREATE SCHEMA public")
        engine.dispose()
    migrate.upgrade(url)
    app = create_app({"REGISTRY_ENV": "development", "SQLALCHEMY_DATABASE_URI": url})
    with app.app_context():
        seeding.seed()
        seeding.seed_demo_users()
        seeding.seed_demo_round()
        admin = db.session.scalar(sa.select(User).where(User.username == "admin"))
        rnd = rounds.create_round(name="负载测试轮次", year=2027, actor=admin)
        rounds.add_items(rnd, actor=admin)
        staff = {}
        for dept in db.session.scalars(sa.select(Department)):
            staff[dept.id] = create_user(f"load_{dept.code}", display_name=dept.name, password=seeding.DEMO_PASSWORD,
                                         roles=[Role.department_staff], department=dept)
        for review in rnd.reviews:
            user = staff[review.item.implementing_department_id]
            save_justification(review, actor=user, reasons="依法设定，申请保留")
            perform(review, "submit", actor=user)
        tokens = []
        for name, kind in (("fazhi", "officer"), ("fazhi2", "officer"), ("zhuren", "officer"),
                           ("lingdao", "approver")):
            user = db.session.scalar(sa.select(User).where(User.username == name))
            tokens.append(f"{kind}:{issue_token(user, name='load')[1]}")
        db.session.commit()
        db.engine.dispose()
    return tokens


def summarise(prefix: Path) -> tuple[list[dict], dict]:
    with open(f"{prefix}_stats.csv", newline="", encoding="utf-8") as f:
        rows = list(csv.DictReader(f))
    return [r for r in rows if r["Name"] != "Aggregated"], next(r for r in rows if r["Name"] == "Aggregated")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--users", type=int, default=200)
    parser.add_argument("--spawn-rate", type=int, default=20)
    parser.add_argument("--duration", default="2m", help="locust --run-time (bounded)")
    parser.add_argument("--workers", type=int, default=1)
    parser.add_argument("--threads", type=int, default=8)
    parser.add_argument("--port", type=int, default=5077)
    parser.add_argument("--out", type=Path, required=True)
    args = parser.parse_args()

    from registry.config import normalise_database_url
    from registry.seeding import DEMO_PASSWORD

    url = normalise_database_url(os.environ.get("DATABASE_URL") or DEFAULT_URL)
    tokens = prepare(url)
    env = {**os.environ, "DATABASE_URL": url, "REGISTRY_ENV": "production", "SECRET_KEY": "load-benchmark-key",
           "SESSION_COOKIE_SECURE": "0", "PYTHONPATH": str(ROOT), "PYTHONFAULTHANDLER": "1",
           # every simulated user signs in from 127.0.0.1: the per-address limit would refuse them
           "LOGIN_RATE_LIMIT_ADDRESS": "100000 per minute", "LOGIN_RATE_LIMIT_ACCOUNT": "100000 per minute"}
    if args.workers > 1:
        env.setdefault("RATELIMIT_STORAGE_URI", "redis://127.0.0.1:6379")
    log = open(args.out.with_suffix(".server.log"), "w")
    server = subprocess.Popen([sys.executable, "-m", "registry", "serve", "--host", "127.0.0.1", "--port",
                               str(args.port), "--workers", str(args.workers), "--threads", str(args.threads)],
                              env=env, stdout=log, stderr=subprocess.STDOUT)
    time.sleep(6)
    prefix = args.out.with_suffix("")
    try:
        subprocess.run([sys.executable, "-m", "locust", "-f", str(ROOT / "bench" / "load" / "locustfile.py"),
                        "--headless", "-u", str(args.users), "-r", str(args.spawn_rate), "-t", args.duration,
                        "--host", f"http://127.0.0.1:{args.port}", "--csv", str(prefix), "--only-summary"],
                       env={**os.environ, "BENCH_TOKENS": ",".join(tokens), "BENCH_PASSWORD": DEMO_PASSWORD},
                       check=False, timeout=3600)
    finally:
        server.terminate()
        server.wait(timeout=30)
        log.close()
    rows, total = summarise(prefix)
    server_log = args.out.with_suffix(".server.log").read_text(encoding="utf-8", errors="replace")
    # gunicorn reports a worker killed by a signal ("was sent SIGSEGV!"); faulthandler prints its stack
    crashes = max(len(re.findall(r"Worker \(pid:\d+\) was sent SIG(?!TERM)", server_log)),
                  server_log.count("Fatal Python error"))
    db_kind = "PostgreSQL" if url.startswith("postgresql") else "SQLite"
    lines = [
        f"{db_kind}, `registry serve --workers {args.workers} --threads {args.threads}`; {args.users} users "
        f"(spawn {args.spawn_rate}/s), {args.duration}; locust on the same machine.",
        f"Machine: {platform.processor() or platform.machine()}, {os.cpu_count()} cores; Python "
        f"{platform.python_version()}; load average at the end {os.getloadavg()[0]:.1f}.",
        "",
        "| request | count | req/s | p50 ms | p95 ms | failures |",
        "|---|---:|---:|---:|---:|---:|",
    ]
    for r in sorted(rows, key=lambda r: -int(r["Request Count"])):
        lines.append(f"| {r['Type']} {r['Name']} | {r['Request Count']} | {float(r['Requests/s']):.1f} | "
                     f"{r['50%']} | {r['95%']} | {r['Failure Count']} |")
    count, failures = int(total["Request Count"]), int(total["Failure Count"])
    lines.append(f"| **all** | {count} | {float(total['Requests/s']):.1f} | {total['50%']} | {total['95%']} | "
                 f"{failures} ({100 * failures / max(count, 1):.2f} %) |")
    lines.append("")
    lines.append(f"Server workers lost to a crash during the run: {crashes} (see {args.out.with_suffix('.server.log').name}).")
    args.out.write_text("\n".join(lines) + "\n", encoding="utf-8")
    print("\n".join(lines))


if __name__ == "__main__":
    main()
