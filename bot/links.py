"""Every link the app prints or shows, built in one place.

The base is `AUDIT_PUBLIC_URL` when it is set. Otherwise it is the address the app really
serves on: inside a request the address the request came to, and on the command line the
host and port `flask run` will listen on (FLASK_RUN_HOST and FLASK_RUN_PORT, which `make run`
sets from HOST and PORT; Flask's own defaults otherwise).
"""

from __future__ import annotations

import os

from flask import current_app, has_request_context, request, url_for

FLASK_DEFAULT_HOST = "127.0.0.1"
FLASK_DEFAULT_PORT = "5000"


def public_base() -> str:
    """Return the scheme, host and port links start with, without a trailing slash."""
    configured = current_app.config.get("PUBLIC_URL")
    if configured:
        return str(configured).rstrip("/")
    if has_request_context():
        return request.host_url.rstrip("/")
    host = os.environ.get("FLASK_RUN_HOST") or FLASK_DEFAULT_HOST
    port = os.environ.get("FLASK_RUN_PORT") or FLASK_DEFAULT_PORT
    return f"http://{host}:{port}"


def external_url(endpoint: str, **values) -> str:
    """Return the full address of an endpoint, on `public_base`."""
    base = public_base()
    with current_app.test_request_context(base_url=base):
        return url_for(endpoint, _external=True, **values)


def audit_link(token: str) -> str:
    """Return a team's private audit link."""
    return external_url("team_link.open_link", token=token)
