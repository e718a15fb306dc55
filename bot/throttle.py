"""Count events per key in a moving window: failed logins, sign-ups, unknown audit links.

The counts live in the database (`throttle_hits`), so every worker of the documented
`gunicorn --workers 4` shares one count and a restart resets nothing.
"""

from __future__ import annotations

import math
import sqlite3
import time

from flask import current_app, g, request
from limits import parse

from bot import storage_failure, store
from bot.db import get_db


def now() -> float:
    """The time throttles count by, in Unix seconds (tests move it)."""
    return time.time()


def _window(limit: str) -> tuple[int, int]:
    item = parse(limit)
    return item.amount, item.get_expiry()


def _key(key: tuple[str, ...]) -> str:
    return "\x1f".join(key)


class Throttle:
    """Count events per key in a moving window, in the given database; one per request.

    A limit is a string such as "5 per minute"; an empty limit never throttles.
    """

    def __init__(self, db) -> None:
        self.db = db
        self.taken: list[int] = []

    def allowed(self, limit: str | None, *key: str) -> bool:
        """True while fewer events than the limit were counted for key in its window."""
        if not limit:
            return True
        amount, window = _window(limit)
        return store.throttle_count(self.db, _key(key), window, now()) < amount

    def take(self, limit: str | None, *key: str, wait: bool = True) -> bool:
        """Count one event for key if the limit allows it; False (nothing counted) if not.

        Check and count are one step, so concurrent requests in other workers cannot both
        slip under the limit. With `wait` False (a page that only reads) the count waits only
        briefly for another connection's write: a longer write gets the storage-failure page
        ("very busy") at once, never an uncounted event; on read-only storage, where nothing can
        be counted, the event goes uncounted rather than every such page fail.
        """
        if not limit:
            return True
        amount, window = _window(limit)
        if wait:
            hit = store.throttle_take(self.db, _key(key), amount, window, now())
        else:
            try:
                with store.waiting_briefly(self.db):
                    hit = store.throttle_take(self.db, _key(key), amount, window, now())
            except sqlite3.OperationalError as error:
                if storage_failure.problem(error) != storage_failure.READ_ONLY:
                    raise
                current_app.logger.info("Not counted (%s): %s", ", ".join(key), error)
                return True
        if hit is None:
            return False
        self.taken.append(hit)
        return True

    def refund(self) -> None:
        """Take back every event this request counted (a sign-in that turned out right)."""
        store.throttle_refund(self.db, self.taken)
        self.taken = []

    def retry_after(self, limit: str | None, *key: str) -> int:
        """Return the seconds until key may try again (at least 1)."""
        if not limit:
            return 1
        _amount, window = _window(limit)
        oldest = store.throttle_oldest(self.db, _key(key), window, now())
        return max(1, math.ceil(oldest + window - now())) if oldest else 1


def throttle() -> Throttle:
    """The throttle for this request, on its database connection."""
    if "throttle" not in g:
        g.throttle = Throttle(get_db())
    return g.throttle


def client_address() -> str:
    return request.remote_addr or "unknown"
