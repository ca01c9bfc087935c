"""Public portal pages (no login): home and the language switch."""
from __future__ import annotations

from urllib.parse import urlsplit

from flask import Blueprint, redirect, render_template, request

from registry.i18n import LANG_COOKIE, SHORT
from registry.public import queries

bp = Blueprint("public", __name__)


@bp.get("/")
def home():
    """The latest published round's headline."""
    return render_template("public/home.html", stats=queries.round_stats())


def safe_next(target: str | None, default: str = "/") -> str:
    """Only a path on this site: never another host, scheme or protocol-relative URL."""
    if not target:
        return default
    parts = urlsplit(target)
    if parts.scheme or parts.netloc or not target.startswith("/") or target.startswith("//") or "\\" in target:
        return default
    return target


@bp.get("/lang/<code>")
def set_language(code: str):
    """Remember the chosen language in a cookie and go back."""
    response = redirect(safe_next(request.args.get("next")))
    if code in SHORT:
        response.set_cookie(LANG_COOKIE, code, max_age=365 * 24 * 3600, samesite="Lax", httponly=True)
    return response
