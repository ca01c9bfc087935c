"""Department side of a review: justification with legal bases, attachments, submit, answer a return."""
import io
import zipfile

import pytest
import sqlalchemy as sa

from registry.audit.models import AuditEvent
from registry.items.models import InstrumentType
from registry.review.models import Attachment, ReviewState
from registry.review.services import perform

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def _docx() -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as zf:
        zf.writestr("[Content_Types].xml", "<Types/>")
        zf.writestr("word/document.xml", "<w:document/>")
    return buf.getvalue()


def _odt() -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as zf:
        zf.writestr("mimetype", "application/vnd.oasis.opendocument.text")
        zf.writestr("content.xml", "<office:document-content/>")
    return buf.getvalue()


def _bases_data(review, **extra):
    data = {"reasons": "依据《食品卫生法》第二十七条设定，应予保留。", "version": review.item.version,
            "review_version": review.version}
    data.update(extra)
    return data


def test_justification_saves_reasons_and_bases(client, as_user, people, review_a, db):
    as_user(people["staff"])
    page = client.get(f"/reviews/{review_a.id}/justification").get_data(as_text=True)
    assert "bases-0-title" in page and "bases-1-title" in page  # the existing basis + blank rows
    data = _bases_data(review_a, **{
        "bases-0-kind": "setting", "bases-0-instrument_type": "law", "bases-0-issuer_level": "national",
        "bases-0-title": "《中华人民共和国食品卫生法》", "bases-0-article": "第二十七条",
        "bases-1-kind": "implementing", "bases-1-instrument_type": "local_regulation",
        "bases-1-issuer_level": "provincial", "bases-1-title": "《某省食品卫生条例》", "bases-1-article": "第十条",
        "bases-1-effective_date": "2003-05-01",
    })
    resp = client.post(f"/reviews/{review_a.id}/justification", data=data)
    assert resp.status_code == 302
    db.session.refresh(review_a.item)
    assert [b.instrument_type for b in review_a.item.bases] == [InstrumentType.law, InstrumentType.local_regulation]
    assert review_a.justifications[-1].reasons.startswith("依据")


def test_removing_a_basis_and_missing_issuer_level(client, as_user, people, review_a, db):
    as_user(people["staff"])
    client.set_cookie("lang", "en")
    bad = _bases_data(review_a, **{"bases-0-kind": "setting", "bases-0-instrument_type": "law",
                                   "bases-0-title": "某法"})
    resp = client.post(f"/reviews/{review_a.id}/justification", data=bad)
    assert resp.status_code == 422 and "level of government" in resp.get_data(as_text=True)
    gone = _bases_data(review_a, **{"bases-0-kind": "setting", "bases-0-instrument_type": "law",
                                    "bases-0-issuer_level": "national", "bases-0-title": "某法",
                                    "bases-0-remove": "y"})
    assert client.post(f"/reviews/{review_a.id}/justification", data=gone).status_code == 302
    db.session.refresh(review_a.item)
    assert review_a.item.bases == []


def test_save_and_submit(client, as_user, people, review_a):
    as_user(people["staff"])
    data = _bases_data(review_a, save_and_submit="1", **{
        "bases-0-kind": "setting", "bases-0-instrument_type": "law", "bases-0-issuer_level": "national",
        "bases-0-title": "某法"})
    assert client.post(f"/reviews/{review_a.id}/justification", data=data).status_code == 302
    assert review_a.state is ReviewState.submitted


@pytest.mark.parametrize("name,data,media", [
    ("证明.pdf", PDF, "application/pdf"),
    ("scan.png", b"\x89PNG\r\n\x1a\n" + b"\0" * 20, "image/png"),
    ("报告.docx", _docx(), "application/vnd.openxmlformats-officedocument.wordprocessingml.document"),
    ("说明.odt", _odt(), "application/vnd.oasis.opendocument.text"),
    ("old.doc", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + "WordDocument".encode("utf-16-le") + b"\0" * 50,
     "application/msword"),
])
def test_accepted_documents_are_typed_from_content(client, as_user, people, review_a, db, name, data, media):
    as_user(people["staff"])
    resp = client.post(f"/reviews/{review_a.id}/attachments",
                       data={"file": (io.BytesIO(data), name, "application/octet-stream")})
    assert resp.status_code == 302
    att = db.session.scalar(sa.select(Attachment).where(Attachment.filename == name))
    assert att.media_type == media and att.size == len(data)
    assert db.session.scalar(sa.select(AuditEvent.action).where(
        AuditEvent.entity_type == "attachments", AuditEvent.entity_id == str(att.id))) == "attachment.create"


@pytest.mark.parametrize("name,data,message", [
    ("evil.pdf", b"<html><script>alert(1)</script>", "not a PDF, image or office document"),
    ("fake.docx", zipfile.ZipFile.__name__.encode() and b"PK\x03\x04garbage", "not a PDF, image or office document"),
    ("photo.pdf", b"\x89PNG\r\n\x1a\n" + b"\0" * 20, "does not match its name"),
    ("empty.pdf", b"", "empty"),
])
def test_refused_documents(client, as_user, people, review_a, db, name, data, message):
    as_user(people["staff"])
    client.set_cookie("lang", "en")
    resp = client.post(f"/reviews/{review_a.id}/attachments",
                       data={"file": (io.BytesIO(data), name, "application/pdf")}, follow_redirects=True)
    assert message in resp.get_data(as_text=True)
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Attachment)) == 0


def test_size_limit_comes_from_config(app, client, as_user, people, review_a, db, monkeypatch):
    monkeypatch.setitem(app.config, "ATTACHMENT_MAX_BYTES", 100)
    as_user(people["staff"])
    client.set_cookie("lang", "en")
    resp = client.post(f"/reviews/{review_a.id}/attachments",
                       data={"file": (io.BytesIO(PDF + b"x" * 200), "big.pdf")}, follow_redirects=True)
    assert "larger than" in resp.get_data(as_text=True)
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Attachment)) == 0


def test_download_is_an_attachment_with_a_chinese_filename(client, as_user, people, review_a, db):
    as_user(people["staff"])
    client.post(f"/reviews/{review_a.id}/attachments", data={"file": (io.BytesIO(PDF), "营业执照.pdf")})
    att = db.session.scalar(sa.select(Attachment))
    resp = client.get(f"/reviews/{review_a.id}/attachments/{att.id}")
    assert resp.status_code == 200 and resp.data == PDF
    cd = resp.headers["Content-Disposition"]
    assert cd.startswith("attachment") and "filename*=UTF-8''%E8%90%A5%E4%B8%9A%E6%89%A7%E7%85%A7.pdf" in cd
    assert resp.headers["X-Content-Type-Options"] == "nosniff"
    assert resp.headers["Content-Type"] == "application/pdf"
    as_user(people["officer"])
    assert client.get(f"/reviews/{review_a.id}/attachments/{att.id}").status_code == 200
    as_user(people["other"])
    assert client.get(f"/reviews/{review_a.id}/attachments/{att.id}").status_code == 404


def test_attachment_of_another_review_is_404(client, as_user, people, review_a, create_item, create_review, dept_a, db):
    other = create_review(create_item(department=dept_a))
    as_user(people["staff"])
    client.post(f"/reviews/{other.id}/attachments", data={"file": (io.BytesIO(PDF), "a.pdf")})
    att = db.session.scalar(sa.select(Attachment))
    assert client.get(f"/reviews/{review_a.id}/attachments/{att.id}").status_code == 404


def test_other_department_gets_404_everywhere(client, as_user, people, review_a):
    as_user(people["other"])
    for url in (f"/reviews/{review_a.id}", f"/reviews/{review_a.id}/justification",
                f"/reviews/{review_a.id}/history"):
        assert client.get(url).status_code == 404
    assert client.post(f"/reviews/{review_a.id}/act", data={"action": "submit"}).status_code == 404
    assert client.post(f"/reviews/{review_a.id}/attachments",
                       data={"file": (io.BytesIO(PDF), "a.pdf")}).status_code == 404


def test_returned_review_shows_why_and_can_be_answered_and_resubmitted(client, as_user, people, review_a, db):
    perform(review_a, "submit", actor=people["staff"], reason="初次申报理由")
    perform(review_a, "claim", actor=people["officer"])
    perform(review_a, "return", actor=people["officer"], reason="请补充实施依据的条款号")
    db.session.commit()
    as_user(people["staff"])
    client.set_cookie("lang", "en")
    page = client.get(f"/reviews/{review_a.id}/justification").get_data(as_text=True)
    assert "Returned by the legal office" in page and "请补充实施依据的条款号" in page
    assert "Returned to my department" in client.get("/inbox/").get_data(as_text=True)
    resp = client.post(f"/reviews/{review_a.id}/act", data={
        "action": "submit", "reason": "已补充第十条", "version": review_a.version})
    assert resp.status_code == 302
    assert review_a.state is ReviewState.submitted
    assert "已补充第十条" in client.get(f"/reviews/{review_a.id}").get_data(as_text=True)
