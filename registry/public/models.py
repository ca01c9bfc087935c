"""The public search index (one normalised document and its tokens per item) and the public version."""
from __future__ import annotations

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from registry.db import Base, enum_column
from registry.items.models import Decision, Item
from registry.review.models import Review


class PublicVersion(Base):
    """One row whose number the database advances whenever public data changes (migration 0007's
    triggers): the public response cache's key (``registry.public.cache``)."""

    __tablename__ = "public_version"
    __table_args__ = (sa.CheckConstraint("id = 1", name="single_row"),)

    id: Mapped[int] = mapped_column(primary_key=True, autoincrement=False)
    version: Mapped[int] = mapped_column(sa.BigInteger)


class ItemSearchDoc(Base):
    """An item's normalised searchable text (see ``registry.public.search``)."""

    __tablename__ = "item_search_docs"

    item_id: Mapped[int] = mapped_column(sa.ForeignKey("items.id", ondelete="CASCADE"), primary_key=True)
    #: the item name, normalised: exact-name ranking compares against it
    name_norm: Mapped[str] = mapped_column(sa.String(400))
    #: name, code, departments and setting bases, normalised and joined by spaces
    body: Mapped[str] = mapped_column(sa.Text)


#: byte order on PostgreSQL whatever the database's locale: a prefix is then one key range
TOKEN_TYPE = sa.String(16).with_variant(sa.String(16, collation="C"), "postgresql")


class ItemSearchToken(Base):
    """One token of an item's document (a unigram, bigram or Latin/digit suffix): the inverted index.

    Each posting also carries copies of what a public search filters and sorts on (the item's
    code and published decision, and where the token sits in its name), kept in step by the
    indexer: the key orders a token's postings as a relevance-sorted list shows them, so a
    one-word search reads its page, and counts its matches, from this index alone.
    """

    __tablename__ = "item_search_tokens"
    __table_args__ = (
        sa.PrimaryKeyConstraint("token", "name_rank", "code", "item_id", postgresql_include=["decision"]),
        {"sqlite_with_rowid": False},
    )

    #: a token comes first in the key: looking a token (or a prefix) up is one index range scan
    token: Mapped[str] = mapped_column(TOKEN_TYPE)
    #: the token in the item's normalised name (``search.name_rank``): 0 the whole name, 1 its start,
    #: 2 inside it, 3 elsewhere in the document
    name_rank: Mapped[int] = mapped_column(sa.SmallInteger)
    #: the item's code (a copy): relevance ties are ordered by code
    code: Mapped[str] = mapped_column(sa.String(40))
    #: the item's published decision (a copy; NULL while unpublished, so never public)
    decision: Mapped[Decision | None] = mapped_column(enum_column(Decision, "item_decision"))
    item_id: Mapped[int] = mapped_column(sa.ForeignKey("items.id", ondelete="CASCADE"), index=True)


#: the public lists filter on the decision and sort by code or name: one index serves both steps,
#: and with the id in it PostgreSQL finds a page's ids from the index alone (SQLite keys carry the rowid)
sa.Index("ix_items_decision_code", Item.decision, Item.code, Item.id)
sa.Index("ix_items_decision_name", Item.decision, Item.name, Item.code, Item.id)
#: the round headline counts published decisions per round: answered from this index alone
sa.Index("ix_reviews_round_state_decision", Review.round_id, Review.state, Review.final_decision)
