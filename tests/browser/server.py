"""The app under test, run as in production: ``registry db upgrade``, ``seed --demo-users``, ``serve``."""
from __future__ import annotations

import os
import secrets
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from dataclasses import dataclass
from pathlib import Path
from typing import IO

REPO_ROOT = Path(__file__).resolve().parents[2]
#: how long the server may take to answer its first request (two cores shared with other work)
START_TIMEOUT_S = 90


@dataclass
class LiveServer:
    url: str
    database_url: str
    process: subprocess.Popen
    log_path: Path
    log: IO[str]

    def log_tail(self, lines: int = 40) -> str:
        try:
            return "\n".join(self.log_path.read_text(errors="replace").splitlines()[-lines:])
        except OSError:
            return "(no log)"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def server_env(database_url: str, instance_path: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in ("TEST_DATABASE_URL", "FLASK_APP")}
    env.update({
        "DATABASE_URL": database_url,
        "REGISTRY_ENV": "development",
        "SECRET_KEY": secrets.token_urlsafe(32),
        "SESSION_COOKIE_SECURE": "0",
        "REGISTRY_INSTANCE_PATH": str(instance_path),
        "RATELIMIT_STORAGE_URI": "memory://",
        "PYTHONPATH": os.pathsep.join(p for p in (str(REPO_ROOT), env.get("PYTHONPATH", "")) if p),
    })
    return env


def run_cli(args: list[str], env: dict[str, str], log) -> None:
    """Run one ``registry`` sub-command; a failure names the command and shows its output."""
    result = subprocess.run([sys.executable, "-m", "registry", *args], env=env, cwd=REPO_ROOT,
                            capture_output=True, text=True, timeout=600)
    log.write(f"$ registry {' '.join(args)}\n{result.stdout}{result.stderr}\n")
    log.flush()
    if result.returncode != 0:
        raise RuntimeError(f"`registry {' '.join(args)}` failed ({result.returncode}):\n{result.stdout}{result.stderr}")


def start(database_url: str, workdir: Path) -> LiveServer:
    """Prepare the database and start ``registry serve`` on a free port; return once it answers."""
    env = server_env(database_url, workdir / "instance")
    log_path = workdir / "server.log"
    log = open(log_path, "a", encoding="utf-8")  # closed by stop()
    try:
        run_cli(["db", "upgrade"], env, log)
        run_cli(["seed", "--demo-users"], env, log)
    except BaseException:
        log.close()
        raise
    port = free_port()
    process = subprocess.Popen(
        [sys.executable, "-m", "registry", "serve", "--host", "127.0.0.1", "--port", str(port),
         "--workers", "2", "--threads", "4"],
        env=env, cwd=REPO_ROOT, stdout=log, stderr=subprocess.STDOUT, start_new_session=True,
    )
    server = LiveServer(f"http://127.0.0.1:{port}", database_url, process, log_path, log)
    deadline = time.monotonic() + START_TIMEOUT_S
    while True:
        if process.poll() is not None:
            stop(server)
            raise RuntimeError(f"`registry serve` exited with {process.returncode}:\n{server.log_tail()}")
        try:
            with urllib.request.urlopen(server.url + "/", timeout=5) as response:  # noqa: S310 (our http server)
                if response.status == 200:
                    return server
        except (urllib.error.URLError, ConnectionError, TimeoutError):
            pass
        if time.monotonic() > deadline:
            stop(server)
            raise RuntimeError(f"`registry serve` did not answer within {START_TIMEOUT_S} s:\n{server.log_tail()}")
        time.sleep(0.3)


def stop(server: LiveServer) -> None:
    """Stop gunicorn gracefully (SIGTERM to its master), then kill its process group if it hangs."""
    if server.process.poll() is None:
        server.process.send_signal(signal.SIGTERM)
        try:
            server.process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(server.process.pid, signal.SIGKILL)
            server.process.wait(timeout=10)
    server.log.close()
