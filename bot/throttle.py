"""Count events per key in a moving window: failed logins, sign-ups, unknown audit links.

The counts live in a small database of their own beside the audit database
(`store.connect_limits`), so every worker of the documented `gunicorn --workers 4` shares one
count and a restart resets nothing, while a page that only reads (an unknown link) counts
without writing the audit database or waiting for its write lock (docs/decisions.md).
"""

from __future__ import annotations

import math
import sqlite3
import time

from flask import current_app, g, request
from limits import parse

from bot import store
from bot.db import get_limits_db


def now() -> float:
    """The time throttles count by, in Unix seconds (tests move it)."""
    return time.time()


def _window(limit: str) -> tuple[int, int]:
    item = parse(limit)
    return item.amount, item.get_expiry()


def _key(key: tuple[str, ...]) -> str:
    return "\x1f".join(key)


class Throttle:
    """Count events per key in a moving window, in the throttle counts; one per request.

    A limit is a string such as "5 per minute"; an empty limit never throttles. When the counts
    cannot be read or written (read-only or failing storage, another worker's count holding the
    file past `store.security.LIMITS_WAIT_MS`), the event is let through and the failure logged:
    the counts guard against guessing, and must never be why a team cannot open its audit.
    """

    def __init__(self) -> None:
        self.taken: list[int] = []

    def _failed(self, key: tuple[str, ...], error: sqlite3.Error) -> None:
        current_app.logger.warning("Not counted (%s): %s", ", ".join(key), error)

    def allowed(self, limit: str | None, *key: str) -> bool:
        """True while fewer events than the limit were counted for key in its window."""
        if not limit:
            return True
        amount, window = _window(limit)
        try:
            return store.throttle_count(get_limits_db(), _key(key), window, now()) < amount
        except sqlite3.Error as error:
            self._failed(key, error)
            return True

    def take(self, limit: str | None, *key: str) -> bool:
        """Count one event for key if the limit allows it; False (nothing counted) if not.

        Check and count are one step, so concurrent requests in other workers cannot both
        slip under the limit.
        """
        if not limit:
            return True
        amount, window = _window(limit)
        try:
            hit = store.throttle_take(get_limits_db(), _key(key), amount, window, now())
        except sqlite3.Error as error:
            self._failed(key, error)
            return True
        if hit is None:
            return False
        self.taken.append(hit)
        return True

    def refund(self) -> None:
        """Take back every event this request counted (a sign-in that turned out right)."""
        if self.taken:
            try:
                store.throttle_refund(get_limits_db(), self.taken)
            except sqlite3.Error as error:
                self._failed(("refund",), error)
        self.taken = []

    def retry_after(self, limit: str | None, *key: str) -> int:
        """Return the seconds until key may try again (at least 1)."""
        if not limit:
            return 1
        _amount, window = _window(limit)
        try:
            oldest = store.throttle_oldest(get_limits_db(), _key(key), window, now())
        except sqlite3.Error as error:
            self._failed(key, error)
            return 1
        return max(1, math.ceil(oldest + window - now())) if oldest else 1


def throttle() -> Throttle:
    """The throttle for this request."""
    if "throttle" not in g:
        g.throttle = Throttle()
    return g.throttle


def client_address() -> str:
    return request.remote_addr or "unknown"
