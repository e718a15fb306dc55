"""The background sender: one thread per worker process, so the running app sends its mail.

Started on the first request a process serves (never in gunicorn's master before the fork),
it sends what is due, then sleeps until woken by newly queued mail or until
AUDIT_MAIL_SEND_SECONDS pass (for retries, and for mail another worker queued). Several
workers share the outbox safely: each message is claimed in a write transaction
(`store.outbox.claim_next`), so no two send the same one.
"""

from __future__ import annotations

import logging
import os
import threading
from pathlib import Path

from bot import store
from bot.mail.delivery import MailSettings, send_due

log = logging.getLogger(__name__)


class MailWorker:
    def __init__(self, database: str | Path, settings: MailSettings, interval: float) -> None:
        self.database = database
        self.settings = settings
        self.interval = interval
        self._wake = threading.Event()
        self._lock = threading.Lock()
        self._thread: threading.Thread | None = None
        self._pid: int | None = None

    @property
    def enabled(self) -> bool:
        return self.interval > 0

    def ensure_running(self) -> None:
        """Start this process's sender thread if it has none (after a fork, a new one)."""
        if not self.enabled or (self._pid == os.getpid() and self._thread.is_alive()):
            return
        with self._lock:
            if self._pid == os.getpid() and self._thread.is_alive():
                return
            self._wake = threading.Event()
            self._thread = threading.Thread(target=self._run, name="mail-sender", daemon=True)
            self._pid = os.getpid()
            self._thread.start()

    def wake(self) -> None:
        """Send what was just queued now rather than at the next look."""
        if self.enabled:
            self.ensure_running()
            self._wake.set()

    def _run(self) -> None:
        db = store.connect(self.database)
        while True:
            self._wake.clear()
            try:
                send_due(db, self.settings)
            except Exception:  # a failure must not stop the sender for the life of the worker
                log.exception("The mail sender failed; it tries again later")
                if db.conn.in_transaction:
                    db.conn.rollback()
            self._wake.wait(self.interval)
