"""Start ``python -m registry serve`` as a real process for tests that need real HTTP."""
from __future__ import annotations

import contextlib
import os
import socket
import subprocess
import sys
import time
from pathlib import Path

import requests

ROOT = Path(__file__).resolve().parent.parent


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextlib.contextmanager
def serve(database_url: str, tmp_path: Path, *, workers: int = 1, threads: int = 4, env: dict | None = None):
    """Yield the base URL of a gunicorn-served registry on a free loopback port; stop it after."""
    port = free_port()
    full_env = {k: v for k, v in os.environ.items() if k not in ("TEST_DATABASE_URL",)}
    full_env.update({"DATABASE_URL": database_url, "REGISTRY_ENV": "production", "SECRET_KEY": "live-server-test-key",
                     "SESSION_COOKIE_SECURE": "0", "REGISTRY_INSTANCE_PATH": str(tmp_path / f"instance-{port}"),
                     "PYTHONPATH": str(ROOT) + os.pathsep + os.environ.get("PYTHONPATH", "")})
    full_env.update(env or {})
    log = open(tmp_path / f"server-{port}.log", "w")
    proc = subprocess.Popen([sys.executable, "-m", "registry", "serve", "--port", str(port), "--workers", str(workers),
                             "--threads", str(threads)], env=full_env, cwd=ROOT, stdout=log, stderr=subprocess.STDOUT)
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(600):
            if proc.poll() is not None:
                raise RuntimeError(f"server exited: {(tmp_path / f'server-{port}.log').read_text()[-2000:]}")
            try:
                requests.get(base + "/api/v1/stats", timeout=2)
                break
            except requests.ConnectionError:
                time.sleep(0.1)
        yield base
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            proc.kill()
        log.close()
