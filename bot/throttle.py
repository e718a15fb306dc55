"""Count events per key in a moving window: failed logins, sign-ups, unknown audit links."""

from __future__ import annotations

import functools
from datetime import UTC, datetime

from flask import current_app, request
from limits import RateLimitItem, parse
from limits.storage import MemoryStorage
from limits.strategies import MovingWindowRateLimiter


class Throttle:
    """Count events per key in a moving window, in memory; one per app.

    A limit is a string such as "5 per minute"; an empty limit never throttles. The memory
    store is made on first use, so an app that never counts anything starts no timer thread.
    """

    def __init__(self) -> None:
        self._limiter: MovingWindowRateLimiter | None = None

    @property
    def limiter(self) -> MovingWindowRateLimiter:
        if self._limiter is None:
            self._limiter = MovingWindowRateLimiter(MemoryStorage())
        return self._limiter

    @staticmethod
    @functools.cache
    def _item(limit: str) -> RateLimitItem:
        return parse(limit)

    def allowed(self, limit: str | None, *key: str) -> bool:
        """True while fewer events than the limit were counted for key in its window."""
        return not limit or self.limiter.test(self._item(limit), *key)

    def count(self, limit: str | None, *key: str) -> None:
        """Count one event for key."""
        if limit:
            self.limiter.hit(self._item(limit), *key)

    def retry_after(self, limit: str | None, *key: str) -> int:
        """Return the seconds until key may try again (at least 1)."""
        if not limit:
            return 1
        reset = self.limiter.get_window_stats(self._item(limit), *key).reset_time
        return max(1, round(reset - datetime.now(UTC).timestamp()))


def throttle() -> Throttle:
    return current_app.extensions["throttle"]


def client_address() -> str:
    return request.remote_addr or "unknown"


def init_app(app) -> None:
    """Give the app its own counters, so tests never share them."""
    app.extensions.setdefault("throttle", Throttle())
