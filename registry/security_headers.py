"""Security headers on every response: a strict Content-Security-Policy and friends.

The registry runs on closed government networks: every asset comes from the app itself,
there is no inline script or style anywhere, and nothing may frame the pages.
"""
from __future__ import annotations

from flask import Flask, Response, current_app, request, session

CONTENT_SECURITY_POLICY = "; ".join((
    "default-src 'self'",
    "script-src 'self'",
    "style-src 'self'",
    "img-src 'self' data:",
    "font-src 'self'",
    "connect-src 'self'",
    "object-src 'none'",
    "base-uri 'self'",
    "form-action 'self'",
    "frame-ancestors 'none'",
))

HEADERS = {
    "Content-Security-Policy": CONTENT_SECURITY_POLICY,
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
    "Referrer-Policy": "same-origin",
    "Permissions-Policy": "camera=(), microphone=(), geolocation=(), payment=()",
    "Cross-Origin-Opener-Policy": "same-origin",
}


#: blueprints whose anonymous responses may be cached (everything else is never stored)
PUBLIC_BLUEPRINTS = frozenset({"public", "api"})


def _signed_in() -> bool:
    from flask_login import current_user

    return "_user_id" in session or bool(current_user and current_user.is_authenticated)


def init_app(app: Flask) -> None:
    @app.after_request
    def _security_headers(response: Response) -> Response:
        for name, value in HEADERS.items():
            response.headers.setdefault(name, value)
        max_age = current_app.config.get("HSTS_MAX_AGE", 0)
        if request.is_secure and max_age:  # behind ProxyFix, X-Forwarded-Proto from a trusted proxy counts
            response.headers["Strict-Transport-Security"] = f"max-age={max_age}; includeSubDomains"
        if request.endpoint != "static" and (request.blueprint not in PUBLIC_BLUEPRINTS or _signed_in()):
            response.headers["Cache-Control"] = "no-store"
            response.headers.pop("Expires", None)
        return response
