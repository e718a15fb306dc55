"""Entry point for WSGI servers: `gunicorn wsgi:app`."""

from bot import create_app

app = create_app()
