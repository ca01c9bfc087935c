"""Sign-in throttling: rate limits per address and per account, the account lockout, and
refused API tokens per address.

Everything is counted in Flask-Limiter's storage (``RATELIMIT_STORAGE_URI``): ``memory://``
serves one process; with several app processes or hosts it must be a shared store
(``redis://…``), so a lockout taken in one process holds in every other.
"""
from __future__ import annotations

import logging
from dataclasses import dataclass

from flask import Flask, current_app
from flask_limiter import Limiter
from flask_limiter.util import get_remote_address
from limits import RateLimitItem, parse

log = logging.getLogger("registry.auth")

EXTENSION = "registry.throttle"


@dataclass
class Throttle:
    """The sign-in limits of one app, over its limiter's storage."""

    limiter: Limiter
    per_address: RateLimitItem
    per_account: RateLimitItem
    #: failures that lock an account, counted over the lockout period
    failures: RateLimitItem
    #: one hit = locked for the lockout period
    lock: RateLimitItem

    @property
    def _strategy(self):
        return self.limiter.limiter

    def allow_attempt(self, address: str, username: str) -> bool:
        """Count one sign-in attempt; False when the address or the account is over its rate."""
        if not self.limiter.enabled:
            return True
        by_address = self._strategy.hit(self.per_address, "login-address", address or "-")
        by_account = self._strategy.hit(self.per_account, "login-account", _key(username))
        return by_address and by_account

    def token_refusals_allowed(self, address: str) -> bool:
        """Whether this address may still present API tokens (it is under its rate of refusals)."""
        return not self.limiter.enabled or self._strategy.test(self.per_address, "token-refused", address or "-")

    def record_token_refusal(self, address: str) -> None:
        """Count one refused API token from ``address`` (the same rate as sign-ins per address)."""
        if self.limiter.enabled:
            self._strategy.hit(self.per_address, "token-refused", address or "-")

    def is_locked(self, username: str) -> bool:
        return self.limiter.enabled and not self._strategy.test(self.lock, "login-lock", _key(username))

    def locked_for_seconds(self, username: str) -> int:
        """Seconds until the lockout of ``username`` ends (0 when not locked)."""
        if not self.is_locked(username):
            return 0
        import time

        reset = self._strategy.get_window_stats(self.lock, "login-lock", _key(username)).reset_time
        return max(1, int(reset - time.time()) + 1)

    def record_failure(self, username: str) -> bool:
        """Count a failed sign-in; True when this failure locks the account."""
        if not self.limiter.enabled:
            return False
        key = _key(username)
        self._strategy.hit(self.failures, "login-fail", key)
        if self._strategy.test(self.failures, "login-fail", key):
            return False
        self._strategy.hit(self.lock, "login-lock", key)
        self._strategy.clear(self.failures, "login-fail", key)
        return True

    def record_success(self, username: str) -> None:
        """A good password forgets the earlier failures of this account."""
        if self.limiter.enabled:
            self._strategy.clear(self.failures, "login-fail", _key(username))

    def unlock(self, username: str) -> None:
        """End a lockout (operators: ``registry users unlock``)."""
        self._strategy.clear(self.lock, "login-lock", _key(username))
        self._strategy.clear(self.failures, "login-fail", _key(username))


def _key(username: str) -> str:
    return (username or "").strip()[:64] or "-"


def init_app(app: Flask) -> Throttle:
    """One limiter per app (its storage from ``RATELIMIT_STORAGE_URI``), no limit on other routes."""
    cfg = app.config
    limiter = Limiter(get_remote_address, app=app, storage_uri=cfg["RATELIMIT_STORAGE_URI"],
                      strategy="moving-window", key_prefix=cfg.get("RATELIMIT_KEY_PREFIX", "registry"))
    seconds = int(cfg["LOGIN_LOCKOUT_SECONDS"])
    throttle = Throttle(
        limiter=limiter,
        per_address=parse(cfg["LOGIN_RATE_LIMIT_ADDRESS"]),
        per_account=parse(cfg["LOGIN_RATE_LIMIT_ACCOUNT"]),
        failures=parse(f"{int(cfg['LOGIN_LOCKOUT_FAILURES'])} per {seconds} seconds"),
        lock=parse(f"1 per {seconds} seconds"),
    )
    app.extensions[EXTENSION] = throttle
    return throttle


def current() -> Throttle:
    return current_app.extensions[EXTENSION]
