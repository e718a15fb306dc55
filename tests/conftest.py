"""Shared fixtures, flaskr style: an app with a fresh database per test."""

from __future__ import annotations

import re

import pytest

from bot import create_app, store
from bot.db import get_db


@pytest.fixture
def app(tmp_path):
    app = create_app(
        {
            "TESTING": True,
            "SECRET_KEY": "test",
            "DB": str(tmp_path / "audit.db"),
            "WTF_CSRF_ENABLED": False,
        }
    )
    yield app


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def runner(app):
    return app.test_cli_runner()


@pytest.fixture
def make_team(app):
    """Create a team and return (team_id, token)."""

    def make(name="Test parent-infant team", **fields):
        with app.app_context():
            return store.create_team(get_db(), name, **fields)

    return make


@pytest.fixture
def team(make_team):
    return make_team()


def csrf_token(html: str) -> str:
    match = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', html)
    assert match, "no CSRF token on the page"
    return match.group(1)
