"""Configuration: defaults, environment overrides and the SECRET_KEY rule."""
from __future__ import annotations

import os
import secrets
from pathlib import Path


class ConfigError(RuntimeError):
    """Raised when the configuration cannot start the application."""


ENVIRONMENTS = ("production", "development", "testing")


def sqlite_url(instance_path: str) -> str:
    return "sqlite:///" + str(Path(instance_path) / "registry.db")


def normalise_database_url(url: str) -> str:
    """Accept the common ``postgres://`` / ``postgresql://`` spellings and use psycopg 3."""
    if url.startswith("postgres://"):
        url = "postgresql://" + url[len("postgres://"):]
    if url.startswith("postgresql://"):
        url = "postgresql+psycopg://" + url[len("postgresql://"):]
    return url


def _dev_secret(instance_path: str) -> str:
    """A per-installation key for development: generated once, kept under instance/."""
    path = Path(instance_path) / "dev-secret-key"
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(secrets.token_urlsafe(48))
        path.chmod(0o600)
    return path.read_text().strip()


def build_config(instance_path: str, overrides: dict | None = None) -> dict:
    """Return the configuration mapping for one application instance.

    Order: defaults, then environment variables, then ``overrides`` (tests).
    """
    overrides = dict(overrides or {})
    env = overrides.get("REGISTRY_ENV") or os.environ.get("REGISTRY_ENV", "production")
    if env not in ENVIRONMENTS:
        raise ConfigError(f"REGISTRY_ENV must be one of {', '.join(ENVIRONMENTS)}, not {env!r}")
    url = overrides.get("SQLALCHEMY_DATABASE_URI") or os.environ.get("DATABASE_URL") or sqlite_url(instance_path)
    config: dict = {
        "REGISTRY_ENV": env,
        "TESTING": env == "testing",
        "SQLALCHEMY_DATABASE_URI": normalise_database_url(url),
        "SQLALCHEMY_ENGINE_OPTIONS": {"pool_pre_ping": True},
        "SQLITE_BUSY_TIMEOUT_MS": int(os.environ.get("SQLITE_BUSY_TIMEOUT_MS", "15000")),
        #: bytes of the database file SQLite reads through mmap (0 turns it off)
        "SQLITE_MMAP_SIZE": int(os.environ.get("SQLITE_MMAP_SIZE", str(1 << 30))),
        "BABEL_DEFAULT_LOCALE": "zh_Hans_CN",
        "BABEL_DEFAULT_TIMEZONE": os.environ.get("REGISTRY_TIMEZONE", "Asia/Shanghai"),
        "LANGUAGES": ["zh_Hans_CN", "zh_Hant_TW", "en"],
        "MAX_CONTENT_LENGTH": int(os.environ.get("MAX_CONTENT_LENGTH", str(60 * 1024 * 1024))),
        "ATTACHMENT_MAX_BYTES": int(os.environ.get("ATTACHMENT_MAX_BYTES", str(10 * 1024 * 1024))),
        "SESSION_COOKIE_HTTPONLY": True,
        "SESSION_COOKIE_SAMESITE": "Lax",
        "SESSION_COOKIE_SECURE": env == "production"
        and os.environ.get("SESSION_COOKIE_SECURE", "1") not in ("0", "false", "False"),
        "REMEMBER_COOKIE_HTTPONLY": True,
        "WTF_CSRF_TIME_LIMIT": None,
        "RATELIMIT_STORAGE_URI": os.environ.get("RATELIMIT_STORAGE_URI", "memory://"),
        #: sign-in attempts (any outcome) per client address and per account name
        "LOGIN_RATE_LIMIT_ADDRESS": os.environ.get("LOGIN_RATE_LIMIT_ADDRESS", "30 per minute"),
        "LOGIN_RATE_LIMIT_ACCOUNT": os.environ.get("LOGIN_RATE_LIMIT_ACCOUNT", "10 per minute"),
        #: this many failed sign-ins within LOGIN_LOCKOUT_SECONDS lock the account that long
        "LOGIN_LOCKOUT_FAILURES": int(os.environ.get("LOGIN_LOCKOUT_FAILURES", "5")),
        "LOGIN_LOCKOUT_SECONDS": int(os.environ.get("LOGIN_LOCKOUT_SECONDS", "900")),
        #: a signed-in session ends after this long without a request, and this long after sign-in
        "SESSION_IDLE_MINUTES": int(os.environ.get("SESSION_IDLE_MINUTES", "30")),
        "SESSION_MAX_HOURS": int(os.environ.get("SESSION_MAX_HOURS", "12")),
        #: Strict-Transport-Security max-age, sent only on HTTPS requests (0: never)
        "HSTS_MAX_AGE": int(os.environ.get("HSTS_MAX_AGE", str(365 * 24 * 3600))),
        #: raise | warn | off — see registry/audit/listeners.py
        "AUDIT_GUARD": os.environ.get("AUDIT_GUARD") or ("warn" if env == "production" else "raise"),
        #: how many reverse proxies in front set X-Forwarded-* (0: trust none)
        "TRUSTED_PROXIES": int(os.environ.get("REGISTRY_TRUSTED_PROXIES", "0")),
        #: anonymous public responses kept per process (0 turns the cache off), and their bytes
        "PUBLIC_CACHE_ENTRIES": int(os.environ.get("PUBLIC_CACHE_ENTRIES", "2000")),
        "PUBLIC_CACHE_BYTES": int(os.environ.get("PUBLIC_CACHE_BYTES", str(64 << 20))),
        "REGISTRY_DISTRICT_NAME": os.environ.get("REGISTRY_DISTRICT_NAME", "示范区"),
    }
    secret = overrides.get("SECRET_KEY") or os.environ.get("SECRET_KEY")
    if not secret:
        if env == "production":
            raise ConfigError(
                "SECRET_KEY is not set: export SECRET_KEY (e.g. python -c 'import secrets;"
                " print(secrets.token_urlsafe(48))') or set REGISTRY_ENV=development"
            )
        secret = "testing-secret-key" if env == "testing" else _dev_secret(instance_path)
    config["SECRET_KEY"] = secret
    config.update(overrides)
    config["SQLALCHEMY_DATABASE_URI"] = normalise_database_url(config["SQLALCHEMY_DATABASE_URI"])
    return config
