"""The transcript's items, each rendered once and then served from a per-worker cache.

An item shows one answer, and answers are append-only: a changed answer is a new row with a new
id. So (answer id, the question as the tree shows it, language, link, return target) names one piece
of HTML for good. The link is part of the key because each item's "Change" link carries it
(a reissued link makes new items); only this worker's memory holds them, bounded.
"""

from __future__ import annotations

from collections import OrderedDict

from flask import Flask, current_app, g
from markupsafe import Markup

from bot.audit.presenters import AnsweredQuestion
from bot.i18n import current_language, tree_text

DEFAULT_SIZE = 20_000
TEMPLATE = "audit/_transcript_item.html"


class TranscriptCache:
    def __init__(self, size: int = DEFAULT_SIZE) -> None:
        self.size = size
        self._items: OrderedDict[tuple, Markup] = OrderedDict()

    def get(self, key: tuple) -> Markup | None:
        found = self._items.get(key)
        if found is not None:
            self._items.move_to_end(key)
        return found

    def put(self, key: tuple, html: Markup) -> Markup:
        self._items[key] = html
        if len(self._items) > self.size:
            self._items.popitem(last=False)
        return html


def transcript_items(items: list[AnsweredQuestion], returning: str | None) -> Markup:
    """Return the items' HTML, each rendered only the first time it is asked for."""
    cache: TranscriptCache = current_app.extensions["transcript_cache"]
    shared = (current_language(), g.team["id"], returning)
    html = []
    for item in items:
        if item.record is None:
            html.append(_render(item, returning))
            continue
        # The question object stands for its tree's version (trees stay loaded for life).
        key = (item.record.id, id(item.question), *shared)
        html.append(cache.get(key) or cache.put(key, _render(item, returning)))
    return Markup("").join(html)


def _render(item: AnsweredQuestion, returning: str | None) -> Markup:
    template = current_app.jinja_env.get_template(TEMPLATE)
    return Markup(template.make_module({"tt": tree_text}).transcript_item(item, returning))


def init_app(app: Flask) -> None:
    app.extensions["transcript_cache"] = TranscriptCache()
    app.jinja_env.globals["transcript_items"] = transcript_items
