"""Licensing Item Registry: the application factory."""
from __future__ import annotations

import importlib
import os
import uuid
from pathlib import Path

from flask import Flask, g, request

from registry.config import build_config
from registry.extensions import babel, csrf, db, login_manager

#: each module exposes ``bp``; registered in this order
BLUEPRINT_MODULES = (
    "registry.public.views",
    "registry.api.views",
    "registry.auth.views",
    "registry.api.workflow",
    "registry.items.views",
    "registry.review.views",
    "registry.admin.views",
    "registry.audit.views",
    "registry.inbox.views",
    "registry.imports.views",
    "registry.reports.views",
    "registry.alignment.views",
)

PACKAGE_ROOT = Path(__file__).resolve().parent
PROJECT_ROOT = PACKAGE_ROOT.parent


def create_app(config: dict | None = None) -> Flask:
    """Build the app: config → extensions → request hooks → blueprints → cli → errors."""
    app = Flask(
        __name__,
        instance_path=os.environ.get("REGISTRY_INSTANCE_PATH") or str(PROJECT_ROOT / "instance"),
        template_folder=str(PROJECT_ROOT / "templates"),
        static_folder=str(PACKAGE_ROOT / "static"),
    )
    Path(app.instance_path).mkdir(parents=True, exist_ok=True)
    app.config.update(build_config(app.instance_path, config))

    from registry import i18n, models  # noqa: F401  (complete metadata)
    from registry.auth import login  # noqa: F401  (user loader)
    from registry.db import configure_sqlite

    configure_sqlite(app.config["SQLITE_BUSY_TIMEOUT_MS"], app.config["SQLITE_MMAP_SIZE"])
    db.init_app(app)
    csrf.init_app(app)
    login_manager.init_app(app)
    i18n.init_app(app, babel)

    if app.config["TRUSTED_PROXIES"]:
        from werkzeug.middleware.proxy_fix import ProxyFix

        n = app.config["TRUSTED_PROXIES"]
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=n, x_proto=n, x_host=n)
    _register_request_hooks(app)
    from registry.auth import refusals, sessions, throttle

    throttle.init_app(app)
    sessions.init_app(app)
    refusals.init_app(app)
    for name in BLUEPRINT_MODULES:
        app.register_blueprint(importlib.import_module(name).bp)
    from registry import errors, security_headers
    from registry.public import cache as public_cache

    errors.init_app(app)
    public_cache.init_app(app)
    security_headers.init_app(app)
    return app


def _register_request_hooks(app: Flask) -> None:
    from registry.audit.context import AuditContext, set_context
    from registry.db import set_write_intent

    @app.before_request
    def _request_context():
        g.request_id = request.headers.get("X-Request-ID", "")[:64] or uuid.uuid4().hex
        set_context(AuditContext(ip=request.remote_addr or "", request_id=g.request_id))
        set_write_intent(request.method not in ("GET", "HEAD", "OPTIONS"))

    @app.after_request
    def _request_id_header(response):
        response.headers.setdefault("X-Request-ID", g.get("request_id", ""))
        response.headers.setdefault("X-Content-Type-Options", "nosniff")
        return response
