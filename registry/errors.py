"""Error pages and JSON errors: a request id, never a stack trace, SQL or version."""
from __future__ import annotations

import logging

from flask import Flask, g, jsonify, make_response, render_template, request
from werkzeug.exceptions import HTTPException, InternalServerError

log = logging.getLogger("registry")


def wants_json() -> bool:
    return request.path.startswith("/api/")


def init_app(app: Flask) -> None:
    @app.errorhandler(HTTPException)
    def _http_error(exc: HTTPException):
        response = make_response(_render(exc.code or 500, exc.name, exc.description if exc.code != 500 else ""))
        for name, value in exc.get_headers():  # Allow on a 405, WWW-Authenticate, Retry-After …
            if name.lower() != "content-type":
                response.headers[name] = value
        return response

    @app.errorhandler(Exception)
    def _unhandled(exc: Exception):
        if isinstance(exc, HTTPException):
            return _http_error(exc)
        log.exception("unhandled error (request %s)", g.get("request_id", "-"))
        from registry.extensions import db

        db.session.rollback()
        return _render(500, InternalServerError.name, "")


def _render(code: int, name: str, description: str):
    rid = g.get("request_id", "")
    if wants_json():
        body = {"error": name, "status": code, "request_id": rid}
        if description and code < 500:
            body["message"] = description
        return jsonify(body), code
    return render_template("errors/error.html", code=code, name=name, request_id=rid), code
