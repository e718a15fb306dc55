"""Keep audit links out of every log line: the app's own, the dev server's and gunicorn's.

An audit link is a bearer secret in the URL (`/a/<token>/...`); only its hash is stored, so a
log line holding it would undo that. `MaskLinks` rewrites any `/a/<token>` in a record's
message and traceback to `/a/…`. The app installs it on its own logger and the dev server's;
under gunicorn, `--logger-class bot.logs.GunicornLogger` puts it on the access and error logs.
"""

from __future__ import annotations

import logging
import re

from gunicorn import glogging

LINK = re.compile(r"/a/[^/?#\s\"'<>]+")
MASKED = "/a/…"


def mask_links(text: str) -> str:
    """Replace every audit-link token in text with an ellipsis."""
    return LINK.sub(MASKED, text)


class MaskLinks(logging.Filter):
    """Mask audit links in the record's formatted message and its traceback."""

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        masked = mask_links(message)
        if masked != message:
            record.msg, record.args = masked, ()
        if record.exc_info and not record.exc_text:
            record.exc_text = logging.Formatter().formatException(record.exc_info)
        if record.exc_text:
            record.exc_text = mask_links(record.exc_text)
        if record.stack_info:
            record.stack_info = mask_links(record.stack_info)
        return True


MASK_LINKS = MaskLinks()


def mask_logger(logger: logging.Logger) -> None:
    """Mask links in what logger records and in what its handlers write (children included)."""
    if MASK_LINKS not in logger.filters:
        logger.addFilter(MASK_LINKS)
    for handler in logger.handlers:
        if MASK_LINKS not in handler.filters:
            handler.addFilter(MASK_LINKS)


def init_app(app) -> None:
    """Mask links in the app's log (and its children's) and the development server's."""
    for logger in (app.logger, logging.getLogger("werkzeug"), logging.getLogger()):
        mask_logger(logger)


class GunicornLogger(glogging.Logger):
    """Gunicorn's logger with audit links masked in the access and error logs."""

    def setup(self, cfg) -> None:
        super().setup(cfg)
        mask_logger(self.error_log)
        mask_logger(self.access_log)
