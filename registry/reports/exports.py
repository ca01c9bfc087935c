"""XLSX exports for officers: the whole registry with reviews and findings, a round's announcement."""
from __future__ import annotations

from datetime import date
from typing import IO

from flask_babel import gettext as _

from registry.imports.columns import label
from registry.imports.export import text_cell, write_xlsx
from registry.items.models import Decision, Item, LegalBasis
from registry.legal.check import check, decision_label, findings_text, suggestion_text
from registry.reports.queries import BATCH, iter_items, latest_reviews, round_result
from registry.review.models import ReviewRound
from registry.review.services import state_label


def basis_text(b: LegalBasis | None) -> str:
    if b is None:
        return ""
    parts = [b.title, b.document_number, b.article]
    return " ".join(p for p in parts if p) or label(b.instrument_type)


def registry_headers() -> list[str]:
    return [_("Code"), _("Name"), _("Competent department"), _("Implementing department"), _("Category"),
            _("Approval level"), _("Statutory days"), _("Committed days"), _("Fee charged"), _("Setting basis type"),
            _("Setting basis"), _("Implementing bases"), _("Published decision"), _("Round"), _("Review state"),
            _("Proposed decision"), _("Final decision"), _("Reason"), _("Waits on"), _("Suggested decision"),
            _("Legal-check findings")]


def registry_rows(as_of: date):
    """One row per item; reviews looked up per batch so memory stays flat."""
    batch: list[Item] = []
    for item in iter_items():
        batch.append(item)
        if len(batch) >= BATCH:
            yield from _rows(batch, as_of)
            batch = []
    yield from _rows(batch, as_of)


def _rows(items: list[Item], as_of: date):
    reviews = latest_reviews([i.id for i in items])
    for item in items:
        result, review = check(item, as_of), reviews.get(item.id)
        basis = item.setting_bases[0] if item.setting_bases else None
        yield [item.code, item.name, item.competent_department.name, item.implementing_department.name,
               label(item.category), label(item.approval_level), item.statutory_days, item.committed_days,
               _("yes") if item.fee_charged else _("no"), label(basis.instrument_type) if basis else "",
               basis_text(basis), "\n".join(basis_text(b) for b in item.implementing_bases),
               decision_label(item.decision), review.round.name if review else "",
               state_label(review.state) if review else "", decision_label(review.proposed_decision) if review else "",
               decision_label(review.final_decision) if review else "", review.reason if review else "",
               (review.pending_on or "") if review else "", suggestion_text(result.suggestion),
               findings_text(result.findings)]


def write_registry(fh: IO[bytes], as_of: date) -> None:
    write_xlsx(fh, registry_headers(), registry_rows(as_of), title=_("Registry"))


def announcement_rows(rnd: ReviewRound) -> dict[Decision, list[list]]:
    result = round_result(rnd)
    out = {}
    for decision in (Decision.keep, Decision.abolish, Decision.pending):
        out[decision] = [[n, r.item.code, r.item.name, r.item.implementing_department.name,
                          basis_text(r.item.setting_bases[0] if r.item.setting_bases else None), r.reason]
                         for n, r in enumerate(result[decision], start=1)]
    return out


def write_announcement(fh: IO[bytes], rnd: ReviewRound) -> None:
    """Retained items with their basis, abolished items with their basis (and pending ones), one sheet each."""
    from openpyxl import Workbook

    headers = [_("No."), _("Code"), _("Name"), _("Implementing department"), _("Setting basis"), _("Reason")]
    wb = Workbook(write_only=True)
    titles = {Decision.keep: _("Retained items"), Decision.abolish: _("Abolished items"),
              Decision.pending: _("Pending alignment")}
    for decision, rows in announcement_rows(rnd).items():
        ws = wb.create_sheet(titles[decision][:31])
        ws.append([f"{rnd.name} · {titles[decision]} ({len(rows)})"])
        ws.append(headers)
        for row in rows:
            ws.append([text_cell(ws, v) if isinstance(v, str) and v.startswith("=") else v for v in row])
    wb.save(fh)
