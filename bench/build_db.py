"""Build a benchmark database of N synthetic, published licensing items.

    python bench/build_db.py                       # 100,000 items into bench/results/bench.db
    python bench/build_db.py 20000                 # or --items 20000, or N=20000 in the environment
    DATABASE_URL=postgresql+psycopg://postgres@127.0.0.1:5432/registry_bench python bench/build_db.py

The database must be empty or already migrated by this script (``--reset`` empties it).
Schema from the migrations; rows by bulk Core inserts (no audit trail: this is load data);
then the public search index is rebuilt and the planner statistics refreshed (VACUUM ANALYZE
on PostgreSQL). Other tools
can measure against the same data.
"""
from __future__ import annotations

import argparse
import os
import random
import sys
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import sqlalchemy as sa  # noqa: E402

from registry import migrate  # noqa: E402
from registry.config import normalise_database_url  # noqa: E402

DEFAULT_URL = f"sqlite:///{ROOT / 'bench' / 'results' / 'bench.db'}"
SUBJECTS = (
    "食品", "药品", "建筑工程", "燃气", "道路运输", "出租汽车", "娱乐场所", "烟花爆竹", "危险化学品", "特种设备",
    "医疗机构", "诊所", "民办学校", "幼儿园", "培训机构", "旅行社", "户外广告", "出版物", "印刷业", "网吧",
    "取水", "河道采砂", "林木采伐", "野生动物", "草原使用", "渔业捕捞", "排污", "放射源", "消防", "人防工程",
    "城市绿化", "临时占道", "殡葬设施", "宗教活动场所", "社会团体", "民办非企业单位", "测绘", "气象探测", "文物修缮",
    "体育经营", "彩票销售", "粮食收购", "生猪屠宰", "兽药经营", "种子生产", "农药经营", "肥料登记", "饲料生产",
    "计量器具", "电力设施", "城市供水", "城镇排水", "公共场所卫生", "化妆品生产", "医疗器械", "餐饮服务", "酒类零售",
    "成品油零售", "二手车交易", "拍卖", "典当", "劳务派遣", "职业介绍", "人力资源服务",
)
ACTIONS = ("经营许可", "生产许可", "设立审批", "使用许可", "资格认定", "登记", "施工许可", "运营许可", "变更审批",
           "延续审批", "注销审批", "备案审核")
SCOPES = ("", "小型", "临时", "特殊", "跨区", "第一类", "第二类", "第三类", "甲级", "乙级", "丙级", "农村")
INSTRUMENTS = (("law", "national", "中华人民共和国{}法"), ("administrative_regulation", "national", "{}管理条例"),
               ("state_council_decision", "national", "国务院对确需保留的{}行政审批项目设定行政许可的决定"),
               ("local_regulation", "provincial", "某省{}条例"), ("provincial_rule", "provincial", "某省{}管理办法"),
               ("ministry_rule", "national", "{}管理规定"), ("normative_document", "district", "示范区{}管理暂行办法"))
DECISION_BY_INSTRUMENT = {"law": "keep", "administrative_regulation": "keep", "state_council_decision": "keep",
                          "local_regulation": "keep", "provincial_rule": "pending", "ministry_rule": "pending",
                          "normative_document": "abolish"}
CATEGORIES = ("safety_health", "public_resources", "qualification", "inspection", "establishment", "statutory_other")
LEVELS = ("state", "province", "city", "district", "township")


def empty(url: str) -> None:
    """Remove everything: the SQLite file, or the PostgreSQL database's public schema."""
    parsed = sa.engine.make_url(url)
    if parsed.get_backend_name() == "sqlite":
        for suffix in ("", "-wal", "-shm"):
            Path(f"{parsed.database}{suffix}").unlink(missing_ok=True)
        return
    engine = sa.create_engine(url, poolclass=sa.pool.NullPool)
    with engine.begin() as conn:
        conn.exec_driver_sql("DROP SCHEMA public CASCADE")
        conn.exec_driver_sql("CREATE SCHEMA public")
    engine.dispose()


def build(url: str, n: int, reset: bool, seed: int = 2004) -> None:
    from registry.items.models import Department, Item, LegalBasis
    from registry.public import indexer
    from registry.review.models import Review, ReviewRound

    if reset:
        empty(url)
    engine = sa.create_engine(url, poolclass=sa.pool.NullPool)
    migrate.upgrade(url)
    rnd = random.Random(seed)
    now = datetime.now(UTC)
    published = datetime(2024, 6, 30, tzinfo=UTC)
    t0 = time.perf_counter()
    with engine.begin() as conn:
        if conn.scalar(sa.select(sa.func.count()).select_from(Item)):
            raise SystemExit("the database already holds items: use --reset (it empties the database)")
        conn.execute(Department.__table__.insert(), [
            {"code": f"BD{i:03d}", "name": f"示范区{s}管理局", "kind": "department", "is_active": True}
            for i, s in enumerate(SUBJECTS[:60], 1)])
        dept_ids = list(conn.scalars(sa.select(Department.id).order_by(Department.id)))
        round_id = conn.execute(ReviewRound.__table__.insert().values(
            name="基准测试清理", year=2024, state="published", opened_at=published - timedelta(days=120),
            closed_at=published - timedelta(days=10), published_at=published, created_at=now, updated_at=now,
        )).inserted_primary_key[0]
        batch = 5000
        for start in range(0, n, batch):
            items, bases, decisions = [], [], []
            for k in range(start, min(n, start + batch)):
                subject, action, scope = rnd.choice(SUBJECTS), rnd.choice(ACTIONS), rnd.choice(SCOPES)
                instrument, issuer, title = rnd.choices(INSTRUMENTS, weights=(10, 12, 6, 8, 4, 8, 3))[0]
                decision = DECISION_BY_INSTRUMENT[instrument]
                dept = dept_ids[(SUBJECTS.index(subject) + k) % len(dept_ids)]
                fee = rnd.random() < 0.2
                items.append({
                    "code": f"XK{k + 1:08d}", "name": f"{scope}{subject}{action}", "competent_department_id": dept,
                    "implementing_department_id": dept, "category": rnd.choice(CATEGORIES),
                    "approval_level": rnd.choice(LEVELS), "applicant_type": "both",
                    "conditions": f"具备与{subject}相适应的场所、设备和人员；符合{title.format(subject)}规定的其他条件。",
                    "materials": "申请书；营业执照或身份证明；场所证明；相关人员资格证明。",
                    "procedure": "申请、受理、审查、决定、送达。", "statutory_days": 20, "committed_days": 10,
                    "fee_charged": fee, "fee_rate": "按规定标准收取" if fee else "", "fee_basis": "", "notes": "",
                    "licence_document": f"{subject}许可证", "validity": "三年", "decision": decision,
                    "decision_reason": f"设定依据为{title.format(subject)}", "decision_published_at": published,
                    "version": 1, "created_at": now, "updated_at": now,
                })
                bases.append((k, instrument, issuer, f"《{title.format(subject)}》", rnd.randint(1, 60)))
                decisions.append((k, decision))
            conn.execute(Item.__table__.insert(), items)
            ids = dict(conn.execute(sa.select(Item.code, Item.id).where(
                Item.code.between(items[0]["code"], items[-1]["code"]))).all())
            # one item in 20 is a sub-item (子项) of the item before it, as in real lists
            conn.execute(Item.__table__.update().where(Item.id == sa.bindparam("child")).values(
                parent_id=sa.bindparam("parent")), [
                {"child": ids[f"XK{k + 1:08d}"], "parent": ids[f"XK{k:08d}"]}
                for k in range(start + 1, min(n, start + batch)) if k % 20 == 0])
            conn.execute(LegalBasis.__table__.insert(), [
                {"item_id": ids[f"XK{k + 1:08d}"], "kind": "setting", "instrument_type": inst, "issuer_level": iss,
                 "title": title, "issuer": "", "document_number": f"第{art}号", "article": f"第{art}条",
                 "position": 0} for k, inst, iss, title, art in bases])
            conn.execute(Review.__table__.insert(), [
                {"item_id": ids[f"XK{k + 1:08d}"], "round_id": round_id, "state": "published",
                 "proposed_decision": d, "final_decision": d, "reason": "依据审查",
                 "pending_on": "上级主管部门" if d == "pending" else None, "published_at": published,
                 "decided_at": published, "version": 1, "created_at": now, "updated_at": now}
                for k, d in decisions])
            print(f"  {min(n, start + batch):>7} items", flush=True)
    print(f"rows inserted in {time.perf_counter() - t0:.1f}s; indexing…", flush=True)
    t1 = time.perf_counter()
    with engine.begin() as conn:
        indexed = indexer.rebuild(conn)
    # fresh statistics; on PostgreSQL also a visibility map, so that the token index is read alone
    analyse = "ANALYZE" if engine.dialect.name == "sqlite" else "VACUUM ANALYZE"
    with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
        conn.exec_driver_sql(analyse)
    print(f"indexed {indexed} items in {time.perf_counter() - t1:.1f}s")
    engine.dispose()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("n", nargs="?", type=int, default=None, help="number of items (same as --items)")
    parser.add_argument("--items", type=int, default=int(os.environ.get("N") or 100_000),
                        help="number of items (default $N, else 100000)")
    parser.add_argument("--database-url", default=os.environ.get("DATABASE_URL") or DEFAULT_URL,
                        help="default: $DATABASE_URL, else bench/results/bench.db")
    parser.add_argument("--reset", action="store_true", help="empty the database first")
    args = parser.parse_args(argv)
    if args.n is not None:
        args.items = args.n
    if args.items < 1:
        parser.error("the number of items must be at least 1")
    url = normalise_database_url(args.database_url)
    if url.startswith("sqlite:///"):
        Path(url[len("sqlite:///"):]).parent.mkdir(parents=True, exist_ok=True)
    print(f"building {args.items} items in {sa.engine.make_url(url).render_as_string(hide_password=True)}")
    build(url, args.items, args.reset)
    return 0


if __name__ == "__main__":
    sys.exit(main())
