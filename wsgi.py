"""WSGI entry point for production servers: ``gunicorn wsgi:app``."""
from registry import create_app

app = create_app()
