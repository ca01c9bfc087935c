"""JSON shapes of the public API (described in ``openapi.py``; a test holds them together)."""
from __future__ import annotations

from flask import url_for

from registry.items.models import Decision, Department, Item, LegalBasis


def _iso(value) -> str | None:
    return value.isoformat() if value is not None else None


def department_ref(dept: Department) -> dict:
    return {"code": dept.code, "name": dept.name}


def basis(b: LegalBasis) -> dict:
    return {
        "kind": b.kind.value, "instrument_type": b.instrument_type.value, "title": b.title,
        "issuer": b.issuer, "document_number": b.document_number, "article": b.article,
        "effective_date": _iso(b.effective_date),
    }


def item_summary(item: Item) -> dict:
    """What every list shows: retained, abolished and pending items alike."""
    return {
        "code": item.code,
        "name": item.name,
        "url": url_for("public.item", code=item.code, _external=True),
        "department": department_ref(item.implementing_department),
        "competent_department": department_ref(item.competent_department),
        "category": item.category.value,
        "approval_level": item.approval_level.value,
        "fee_charged": item.fee_charged,
        "decision": item.decision.value,
        "decision_reason": item.decision_reason,
        "decision_published_at": _iso(item.decision_published_at),
        "setting_bases": [basis(b) for b in item.setting_bases],
    }


def item_detail(item: Item, history, children) -> dict:
    """The item page as JSON; the Art. 30 details only for retained items (else ``null``)."""
    out = item_summary(item)
    out["bases"] = [basis(b) for b in item.bases]
    kept = item.decision is Decision.keep
    out["details"] = {
        "applicant_type": item.applicant_type.value,
        "conditions": item.conditions, "materials": item.materials, "procedure": item.procedure,
        "statutory_days": item.statutory_days, "committed_days": item.committed_days,
        "fee_rate": item.fee_rate, "fee_basis": item.fee_basis,
        "licence_document": item.licence_document, "validity": item.validity, "notes": item.notes,
    } if kept else None
    out["parent"] = item.parent.code if item.parent is not None and item.parent.decision is not None else None
    out["children"] = [c.code for c in children]
    out["history"] = [
        {"round": h.round_name, "year": h.year, "decision": h.decision.value, "reason": h.reason,
         "pending_on": h.pending_on if h.decision is Decision.pending else None,
         "published_at": _iso(h.published_at)}
        for h in history
    ]
    return out
