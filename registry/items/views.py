"""Department workspace: my department's items — list, create, edit, history."""
from __future__ import annotations

import enum

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from sqlalchemy.orm.exc import StaleDataError

from registry.audit import history
from registry.auth.models import Role
from registry.auth.permissions import can_edit_item, can_view_item, require, roles_required
from registry.errors_domain import DomainError, StaleObject
from registry.extensions import db
from registry.items import queries, services
from registry.items.forms import ItemForm
from registry.items.models import Item

bp = Blueprint("items", __name__, url_prefix="/workspace/items")
PER_PAGE = 25


def load_item(item_id: int) -> Item:
    """The item, or 404 when it does not exist or the user may not see it."""
    item = db.get_or_404(Item, item_id)
    require(can_view_item(current_user, item), 404)
    return item


def stale_message(entity_type: str, entity_id) -> str:
    who, when = history.last_change(entity_type, entity_id)
    return _("Changed by %(who)s at %(when)s — reload the page; your changes were not saved.", who=who, when=when)


@bp.get("/")
@login_required
def index():
    """My department's items (every item for legal officers, approvers and admins)."""
    dept = request.args.get("department", type=int)
    q = (request.args.get("q") or "").strip()[:100]
    page = db.paginate(queries.visible_items(current_user, department_id=dept, q=q), per_page=PER_PAGE)
    reviews = queries.latest_reviews([i.id for i in page.items])
    can_create = current_user.has_role(Role.department_staff, Role.admin)
    departments = queries.all_departments() if current_user.has_role(Role.legal_officer, Role.approver,
                                                                       Role.admin) else []
    return render_template("items/index.html", page=page, reviews=reviews, q=q, department=dept,
                           departments=departments, can_create=can_create)


@bp.route("/new", methods=["GET", "POST"])
@roles_required(Role.department_staff, Role.admin)
def new():
    """Create an item for my department."""
    form = ItemForm()
    form.department_id.choices = queries.department_choices(current_user)
    if form.validate_on_submit():
        try:
            item = services.create_item(code=form.code.data or "", actor=current_user,
                                        competent_department_id=form.department_id.data,
                                        implementing_department_id=form.department_id.data, **form.item_fields())
            db.session.commit()
        except DomainError as exc:
            db.session.rollback()
            flash(exc.message, "error")
        else:
            flash(_("Item %(code)s created.", code=item.code), "success")
            return redirect(url_for("items.detail", item_id=item.id))
    return render_template("items/form.html", form=form, item=None), 422 if form.errors else 200


@bp.get("/<int:item_id>")
@login_required
def detail(item_id: int):
    """One item with its legal bases and its reviews."""
    item = load_item(item_id)
    return render_template("items/detail.html", item=item, reviews=queries.item_reviews(item),
                           can_edit=can_edit_item(current_user, item))


@bp.route("/<int:item_id>/edit", methods=["GET", "POST"])
@login_required
def edit(item_id: int):
    """Edit an item; the loaded version travels in a hidden field (no lost updates)."""
    item = load_item(item_id)
    require(can_edit_item(current_user, item))
    form = ItemForm()
    form.department_id.choices = [(item.implementing_department_id, item.implementing_department.name)]
    form.department_id.data = item.implementing_department_id
    if request.method == "GET":
        form.load(item)
    status = 200
    if form.validate_on_submit():
        try:
            services.update_item(item, actor=current_user, expected_version=_int(form.version.data),
                                 **form.item_fields())
            db.session.commit()
        except (StaleObject, StaleDataError):
            db.session.rollback()
            flash(stale_message("items", item_id), "error")
            status = 409
        except DomainError as exc:
            db.session.rollback()
            flash(exc.message, "error")
            status = 422
        else:
            flash(_("Saved."), "success")
            return redirect(url_for("items.detail", item_id=item.id))
    elif form.errors:
        status = 422
    return render_template("items/form.html", form=form, item=item), status


@bp.get("/<int:item_id>/history")
@login_required
def history_page(item_id: int):
    """Who changed what on the item, when and why."""
    item = load_item(item_id)
    entries = history.render(history.events_for([("items", item.id)]))
    return render_template("items/history.html", item=item, entries=entries)


def _int(value) -> int | None:
    try:
        return int(value)
    except (TypeError, ValueError):
        abort(400)


@bp.app_template_filter("label")
def _label_filter(value) -> str:
    """``{{ item.category|label }}``: the translated label of an enum value."""
    from registry.i18n import once_per_request
    from registry.items.labels import label

    return once_per_request("label", value, label) if isinstance(value, enum.Enum) else label(value)
