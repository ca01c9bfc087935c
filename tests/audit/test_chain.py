"""The audit trail is append-only and hash-chained; tampering is found at the right event."""
import pytest
import sqlalchemy as sa
from sqlalchemy.exc import DBAPIError

from registry.audit.chain import verify
from registry.audit.models import GENESIS_HASH, AuditEvent
from registry.audit.services import record


@pytest.fixture
def five_events(db, create_item):
    for i in range(5):
        record("test.event", entity_type="test", entity_id=i, changes={"n": [None, i]}, reason=f"event {i}")
    db.session.flush()
    return db.session.scalars(sa.select(AuditEvent).order_by(AuditEvent.seq)).all()


def _drop_guards(db):
    """Simulate an attacker with direct database access (rolled back with the test)."""
    conn = db.session.connection()
    if conn.dialect.name == "postgresql":
        conn.exec_driver_sql("ALTER TABLE audit_events DISABLE TRIGGER audit_events_no_update_delete")
    else:
        conn.exec_driver_sql("DROP TRIGGER audit_events_no_update")
        conn.exec_driver_sql("DROP TRIGGER audit_events_no_delete")


def test_chain_links_events_in_order(db, five_events):
    assert [e.seq for e in five_events][-5:] == list(range(five_events[-1].seq - 4, five_events[-1].seq + 1))
    for prev, ev in zip(five_events, five_events[1:], strict=False):
        assert ev.prev_hash == prev.hash
    result = verify(db.session)
    assert result.ok and result.count == len(five_events) and result.head_hash == five_events[-1].hash


def test_first_event_starts_from_genesis(db, five_events):
    assert five_events[0].seq == 1 and five_events[0].prev_hash == GENESIS_HASH


@pytest.mark.parametrize("statement", ["UPDATE audit_events SET reason = 'x'", "DELETE FROM audit_events"])
def test_database_refuses_update_and_delete(db, five_events, statement):
    with pytest.raises(DBAPIError, match="append-only"):
        with db.session.begin_nested():
            db.session.execute(sa.text(statement))


def test_altered_event_is_named(db, five_events):
    _drop_guards(db)
    target = five_events[2]
    db.session.execute(sa.text("UPDATE audit_events SET reason = 'rewritten' WHERE id = :id"), {"id": target.id})
    db.session.expire_all()
    result = verify(db.session)
    assert not result.ok and result.bad_seq == target.seq and "altered" in result.problem


def test_deleted_event_is_found(db, five_events):
    _drop_guards(db)
    target_id, target_seq = five_events[1].id, five_events[1].seq
    db.session.execute(sa.text("DELETE FROM audit_events WHERE id = :id"), {"id": target_id})
    db.session.expire_all()
    result = verify(db.session)
    assert not result.ok and result.bad_seq == target_seq + 1


def test_inserted_event_is_found(db, five_events):
    _drop_guards(db)
    victim = five_events[3]
    forged = {c.name: getattr(victim, c.key) for c in AuditEvent.__table__.columns if c.name != "id"}
    conn = db.session.connection()
    # make room after the victim's predecessor and insert a forged event there
    conn.execute(sa.text("UPDATE audit_events SET seq = seq + 1000 WHERE seq >= :s"), {"s": forged["seq"]})
    forged.update(reason="forged", prev_hash="f" * 64, hash="e" * 64)
    conn.execute(sa.insert(AuditEvent.__table__).values(**forged))
    db.session.expire_all()
    result = verify(db.session)
    assert not result.ok and result.bad_seq == forged["seq"]


def test_reordered_events_are_found(db, five_events):
    _drop_guards(db)
    (a_id, a_seq), (b_id, b_seq) = [(e.id, e.seq) for e in five_events[1:3]]
    conn = db.session.connection()
    conn.execute(sa.text("UPDATE audit_events SET seq = -1 WHERE id = :id"), {"id": a_id})
    conn.execute(sa.text("UPDATE audit_events SET seq = :s WHERE id = :id"), {"s": a_seq, "id": b_id})
    conn.execute(sa.text("UPDATE audit_events SET seq = :s WHERE id = :id"), {"s": b_seq, "id": a_id})
    db.session.expire_all()
    result = verify(db.session)
    assert not result.ok and result.bad_seq == a_seq
