"""The public search index: one normalised document and its tokens per item."""
from __future__ import annotations

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from registry.db import Base
from registry.items.models import Item
from registry.review.models import Review


class ItemSearchDoc(Base):
    """An item's normalised searchable text (see ``registry.public.search``)."""

    __tablename__ = "item_search_docs"

    item_id: Mapped[int] = mapped_column(sa.ForeignKey("items.id", ondelete="CASCADE"), primary_key=True)
    #: the item name, normalised: exact-name ranking compares against it
    name_norm: Mapped[str] = mapped_column(sa.String(400))
    #: name, code, departments and setting bases, normalised and joined by spaces
    body: Mapped[str] = mapped_column(sa.Text)


class ItemSearchToken(Base):
    """One unigram or bigram of an item's document: the inverted index."""

    __tablename__ = "item_search_tokens"

    #: a token comes first in the key: looking a token up is one index range scan
    token: Mapped[str] = mapped_column(sa.String(8), primary_key=True)
    item_id: Mapped[int] = mapped_column(
        sa.ForeignKey("items.id", ondelete="CASCADE"), primary_key=True, index=True
    )


#: the public lists filter on the decision and sort by code or name: one index serves both steps
sa.Index("ix_items_decision_code", Item.decision, Item.code)
sa.Index("ix_items_decision_name", Item.decision, Item.name)
#: the round headline counts published decisions per round: answered from this index alone
sa.Index("ix_reviews_round_state_decision", Review.round_id, Review.state, Review.final_decision)
