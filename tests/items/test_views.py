"""Department workspace: list, create and edit items; no lost updates; other departments see 404."""
import sqlalchemy as sa

from registry.audit.models import AuditEvent
from registry.items import services
from registry.items.models import Item


def test_staff_list_only_their_department(client, as_user, people, item_a, create_item, dept_b):
    create_item("XB0001", department=dept_b, name="乙许可")
    as_user(people["staff"])
    text = client.get("/workspace/items/").get_data(as_text=True)
    assert "甲许可" in text and "乙许可" not in text
    as_user(people["officer"])
    text = client.get("/workspace/items/").get_data(as_text=True)
    assert "甲许可" in text and "乙许可" in text


def test_create_item_through_the_service(client, as_user, people, dept_a, db):
    as_user(people["staff"])
    resp = client.post("/workspace/items/new", data={
        "code": "XA0099", "name": "新设许可", "department_id": dept_a.id, "category": "qualification",
        "approval_level": "district", "applicant_type": "both", "statutory_days": 20, "committed_days": 10,
    })
    assert resp.status_code == 302
    item = db.session.scalar(sa.select(Item).where(Item.code == "XA0099"))
    assert item.implementing_department_id == dept_a.id
    assert db.session.scalar(sa.select(AuditEvent.actor_username).where(
        AuditEvent.action == "item.create", AuditEvent.entity_id == str(item.id))) == "staff_a"


def test_create_item_for_another_department_is_refused(client, as_user, people, dept_b):
    as_user(people["staff"])
    resp = client.post("/workspace/items/new", data={
        "code": "XB0099", "name": "越权许可", "department_id": dept_b.id, "category": "qualification",
        "approval_level": "district", "applicant_type": "both", "statutory_days": 20,
    })
    assert resp.status_code == 422


def test_committed_above_statutory_is_a_clear_message(client, as_user, people, item_a):
    as_user(people["staff"])
    client.set_cookie("lang", "en")
    resp = client.post(f"/workspace/items/{item_a.id}/edit", data=_edit_data(item_a, statutory_days=10, committed_days=15))
    assert resp.status_code == 422
    assert "cannot exceed the statutory" in resp.get_data(as_text=True)


def _edit_data(item, **overrides):
    data = {"name": item.name, "category": item.category.value, "approval_level": item.approval_level.value,
            "applicant_type": item.applicant_type.value, "statutory_days": item.statutory_days,
            "committed_days": item.committed_days or "", "version": item.version}
    data.update(overrides)
    return data


def test_edit_carries_the_version_and_a_stale_save_overwrites_nothing(client, as_user, people, item_a, db):
    as_user(people["staff"])
    page = client.get(f"/workspace/items/{item_a.id}/edit").get_data(as_text=True)
    assert f'name="version" type="hidden" value="{item_a.version}"' in page
    loaded = item_a.version
    services.update_item(item_a, actor=people["admin"], name="管理员改的名称")  # someone else saves first
    db.session.commit()
    client.set_cookie("lang", "en")
    resp = client.post(f"/workspace/items/{item_a.id}/edit", data=_edit_data(item_a, name="我的修改", version=loaded))
    assert resp.status_code == 409
    text = resp.get_data(as_text=True)
    assert "Changed by admin at" in text and "reload" in text
    db.session.refresh(item_a)
    assert item_a.name == "管理员改的名称"


def test_edit_saves_and_history_shows_words(client, as_user, people, item_a):
    as_user(people["staff"])
    resp = client.post(f"/workspace/items/{item_a.id}/edit", data=_edit_data(item_a, name="改名许可", category="inspection"))
    assert resp.status_code == 302
    client.set_cookie("lang", "en")
    text = client.get(f"/workspace/items/{item_a.id}/history").get_data(as_text=True)
    assert "Item changed" in text and "改名许可" in text
    assert "Equipment and product inspection" in text and "inspection\"" not in text


def test_other_department_gets_404_and_officer_may_not_edit(client, as_user, people, item_a):
    as_user(people["other"])
    for url in (f"/workspace/items/{item_a.id}", f"/workspace/items/{item_a.id}/edit", f"/workspace/items/{item_a.id}/history"):
        assert client.get(url).status_code == 404
    as_user(people["officer"])
    assert client.get(f"/workspace/items/{item_a.id}").status_code == 200
    assert client.get(f"/workspace/items/{item_a.id}/edit").status_code == 403
