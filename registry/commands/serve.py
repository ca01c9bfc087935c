"""``registry serve``: the production WSGI server (gunicorn), never Flask's debug server."""
from __future__ import annotations

import click
from flask import current_app
from flask.cli import with_appcontext


def run_server(*, host: str, port: int, workers: int, threads: int = 4, app=None) -> None:
    from gunicorn.app.base import BaseApplication

    from registry.extensions import db

    flask_app = app or current_app._get_current_object()
    if flask_app.config["SQLALCHEMY_DATABASE_URI"].startswith("sqlite"):
        workers = min(workers, 2)  # SQLite serialises writers; more processes only queue

    def post_fork(server, worker):
        # Never share a pooled connection across a fork.
        with flask_app.app_context():
            db.engine.dispose(close=False)

    class Server(BaseApplication):
        def load_config(self):
            self.cfg.set("bind", f"{host}:{port}")
            self.cfg.set("workers", workers)
            self.cfg.set("threads", threads)
            self.cfg.set("worker_class", "gthread")
            self.cfg.set("accesslog", "-")
            self.cfg.set("timeout", 120)
            # idle keep-alive connections stay open longer than a client's think time (and than
            # a reverse proxy's upstream keepalive), so a reused connection is not closed under it
            self.cfg.set("keepalive", 75)
            self.cfg.set("post_fork", post_fork)
            self.cfg.set("forwarded_allow_ips", "127.0.0.1")

        def load(self):
            return flask_app

    Server().run()


def register(cli: click.Group) -> None:
    @cli.command()
    @click.option("--host", default="127.0.0.1", show_default=True)
    @click.option("--port", default=5000, show_default=True, type=click.IntRange(1, 65535))
    @click.option("--workers", default=2, show_default=True, type=click.IntRange(1, 64),
                  help="Worker processes (use several with PostgreSQL).")
    @click.option("--threads", default=4, show_default=True, type=click.IntRange(1, 64))
    @with_appcontext
    def serve(host, port, workers, threads):
        """Serve the registry with gunicorn."""
        run_server(host=host, port=port, workers=workers, threads=threads)
