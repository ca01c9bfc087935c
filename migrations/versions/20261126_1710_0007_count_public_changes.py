"""Count changes to public data (the public response cache's key)

Revision ID: 0007
Revises: 0006
Create Date: 2026-11-26 17:10:00

One row, ``public_version.version``, that the database itself advances in every transaction
that changes what the public can see: items, departments, setting bases, rounds, and reviews
that are or were published. The public pages cache their responses under this number
(registry/public/cache.py), so a cached page can never outlive the data it shows, whichever
door wrote the data (pages, API, imports, the CLI, plain SQL).

PostgreSQL: deferred constraint triggers advance the number once per transaction, at commit,
when every other lock the transaction needs is already held — two writers can wait for each
other there, never deadlock. SQLite serialises writers, so plain row triggers do.
Beware: a SQLite batch operation (table rebuild) on one of these tables drops its triggers;
such a migration must call ``create_triggers`` again.
"""
from alembic import op
import sqlalchemy as sa


revision = '0007'
down_revision = '0006'
branch_labels = None
depends_on = None

#: table -> a condition on the changed row (``{row}`` is NEW or OLD), or None for every change
WATCHED = {
    "items": None,
    "departments": None,
    "legal_bases": None,
    "review_rounds": None,
    "reviews": "{row}.state = 'published'",
}
EVENTS = {"INSERT": ("NEW",), "UPDATE": ("OLD", "NEW"), "DELETE": ("OLD",)}
BUMP = "UPDATE public_version SET version = version + 1 WHERE id = 1"


def _when(table: str, rows: tuple[str, ...]) -> str:
    condition = WATCHED[table]
    if condition is None:
        return ""
    return " WHEN (" + " OR ".join(condition.format(row=row) for row in rows) + ")"


def create_triggers() -> None:
    postgres = op.get_bind().dialect.name == "postgresql"
    if postgres:
        op.execute(
            f"""
            CREATE FUNCTION public_version_bump() RETURNS trigger LANGUAGE plpgsql AS $$
            DECLARE
                mark text := txid_current()::text || '@' || statement_timestamp()::text;
            BEGIN
                -- deferred events all fire in the COMMIT statement: the first advances the number,
                -- the rest see the mark (with SET CONSTRAINTS IMMEDIATE: once per statement)
                IF current_setting('registry.public_version_mark', true) IS DISTINCT FROM mark THEN
                    {BUMP};
                    PERFORM set_config('registry.public_version_mark', mark, true);
                END IF;
                RETURN NULL;
            END $$
            """
        )
    for table in WATCHED:
        for event, rows in EVENTS.items():
            name = f"{table}_public_{event.lower()}"
            if postgres:
                op.execute(
                    f"CREATE CONSTRAINT TRIGGER {name} AFTER {event} ON {table} DEFERRABLE INITIALLY DEFERRED "
                    f"FOR EACH ROW{_when(table, rows)} EXECUTE FUNCTION public_version_bump()"
                )
            else:
                op.execute(f"CREATE TRIGGER {name} AFTER {event} ON {table}{_when(table, rows)} BEGIN {BUMP}; END")


def drop_triggers() -> None:
    postgres = op.get_bind().dialect.name == "postgresql"
    for table in WATCHED:
        for event in EVENTS:
            name = f"{table}_public_{event.lower()}"
            op.execute(f"DROP TRIGGER IF EXISTS {name} ON {table}" if postgres else f"DROP TRIGGER IF EXISTS {name}")
    if postgres:
        op.execute("DROP FUNCTION IF EXISTS public_version_bump()")


def upgrade() -> None:
    op.create_table('public_version',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('version', sa.BigInteger(), nullable=False),
    sa.CheckConstraint('id = 1', name=op.f('ck_public_version_single_row')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_public_version'))
    )
    op.execute("INSERT INTO public_version (id, version) VALUES (1, 1)")
    create_triggers()


def downgrade() -> None:
    drop_triggers()
    op.drop_table('public_version')
