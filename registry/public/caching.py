"""HTTP caching for public responses: ETag, conditional GET (304) and Cache-Control."""
from __future__ import annotations

from flask import Blueprint, Response, request
from flask_login import current_user

#: pages and JSON: a cache must revalidate (cheap: a matching ETag answers 304 without a body)
DEFAULT_CACHE_CONTROL = "public, no-cache"


def conditional(response: Response) -> Response:
    """Add an ETag (a hash of the body unless the view set one) and answer 304 when it matches."""
    if request.method not in ("GET", "HEAD") or response.status_code != 200:
        return response
    if current_user and current_user.is_authenticated:
        response.headers["Cache-Control"] = "private, no-cache"
    else:
        response.headers.setdefault("Cache-Control", DEFAULT_CACHE_CONTROL)
    response.vary.update(("Accept-Language", "Cookie"))
    if response.is_streamed:
        # never make_conditional() a stream: werkzeug would read it all to set Content-Length
        # (a streamed download answers its own conditional requests: see ``not_modified``)
        return response
    if response.get_etag()[0] is None:
        response.add_etag()
    return response.make_conditional(request)


def init_blueprint(bp: Blueprint) -> None:
    bp.after_request(conditional)


def not_modified(etag: str, last_modified=None) -> bool:
    """Whether the client already holds this version (checked before streaming a download)."""
    if request.if_none_match:
        return request.if_none_match.contains(etag)
    if last_modified is not None and request.if_modified_since is not None:
        return last_modified.replace(microsecond=0) <= request.if_modified_since
    return False
