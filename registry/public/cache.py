"""A response cache for the public's reads, keyed by the public version.

Public pages change only when public data changes, and the database counts those changes
itself (``public_version``, advanced by triggers in the same transaction as the data: see
migration 0007). A rendered response is kept under ``(version, language, path and query)``;
after any change the version moves on and old entries are never looked up again (they age
out of the LRU). Each process keeps its own cache, bounded in entries and bytes.

Only anonymous requests without flashed messages use it: a signed-in page shows its user.
Reading the version is one primary-key lookup, run before the view, so the data a view
renders is never older than the version it is stored under.
"""
from __future__ import annotations

import threading
from collections import OrderedDict
from dataclasses import dataclass
from functools import wraps

import sqlalchemy as sa
from flask import Flask, Response, current_app, request, session
from flask_babel import get_locale
from flask_login import current_user

from registry.extensions import db
from registry.public.models import PublicVersion

#: a longer path and query is served but not kept (nobody shares such a URL)
MAX_KEY_CHARS = 512
#: headers a cached response keeps; the request hooks add the rest (CSP, request id, caching)
KEPT_HEADERS = ("Content-Type", "Content-Disposition", "Content-Language")


@dataclass(frozen=True)
class Entry:
    body: bytes
    headers: tuple[tuple[str, str], ...]


class ResponseCache:
    """A thread-safe LRU of response bodies, bounded by entries and by bytes."""

    def __init__(self, max_entries: int, max_bytes: int):
        self.max_entries, self.max_bytes = max_entries, max_bytes
        self._entries: OrderedDict[tuple, Entry] = OrderedDict()
        self._bytes = 0
        self._lock = threading.Lock()
        self.hits = self.misses = 0

    def get(self, key: tuple) -> Entry | None:
        with self._lock:
            entry = self._entries.get(key)
            if entry is None:
                self.misses += 1
                return None
            self._entries.move_to_end(key)
            self.hits += 1
            return entry

    def put(self, key: tuple, entry: Entry) -> None:
        size = len(entry.body)
        if size > self.max_bytes // 8:
            return
        with self._lock:
            old = self._entries.pop(key, None)
            if old is not None:
                self._bytes -= len(old.body)
            self._entries[key] = entry
            self._bytes += size
            while len(self._entries) > self.max_entries or self._bytes > self.max_bytes:
                _, dropped = self._entries.popitem(last=False)
                self._bytes -= len(dropped.body)

    def clear(self) -> None:
        with self._lock:
            self._entries.clear()
            self._bytes = 0

    def __len__(self) -> int:
        return len(self._entries)


def init_app(app: Flask) -> None:
    entries = app.config["PUBLIC_CACHE_ENTRIES"]
    app.extensions["registry.public_cache"] = (
        ResponseCache(entries, app.config["PUBLIC_CACHE_BYTES"]) if entries > 0 else None
    )


def get_cache() -> ResponseCache | None:
    return current_app.extensions.get("registry.public_cache")


def current_version() -> int:
    return db.session.scalar(sa.select(PublicVersion.version).where(PublicVersion.id == 1)) or 0


def _usable() -> bool:
    return (
        request.method in ("GET", "HEAD")
        and len(request.full_path) <= MAX_KEY_CHARS
        and not current_user.is_authenticated
        and "_flashes" not in session
    )


def cached(view):
    """Serve ``view``'s 200 responses from the cache while the public version stands."""

    @wraps(view)
    def wrapper(*args, **kwargs):
        cache = get_cache()
        if cache is None or not _usable():
            return view(*args, **kwargs)
        key = (current_version(), str(get_locale()), request.full_path)
        entry = cache.get(key)
        if entry is not None:
            return Response(entry.body, headers=list(entry.headers))
        response = current_app.make_response(view(*args, **kwargs))
        # a view that wrote the session (a CSRF token, say) rendered something of this visitor's
        if (response.status_code == 200 and not response.is_streamed and not session.modified
                and "Set-Cookie" not in response.headers):
            headers = tuple((k, v) for k, v in response.headers.items() if k in KEPT_HEADERS)
            cache.put(key, Entry(response.get_data(), headers))
        return response

    return wrapper
