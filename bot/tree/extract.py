"""Babel extractor for the question tree: every text with its real line and owner's id.

Registered in pyproject.toml as the `question_tree` extraction method and used by
`babel.cfg`. Walking the composed YAML nodes (not the loaded data) keeps true line numbers;
each message carries a translator comment naming the question, option, descriptor or result
it belongs to, so a translator sees "question sup_under3_wte: help".
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import yaml

TRANSLATABLE_KEYS = frozenset(
    {
        "title",
        "text",
        "help",
        "hint",
        "label",
        "note",
        "ready",
        "unit",
        "statement",
        "why",
        "evidence",
        "because",
        "done_when",
        "summary",
        "explanation",
        "error",
        "warning",
        "term",
        "definition",
        "section",
    }
)
ENTITY_KINDS = {
    "domains": "domain",
    "glossary": "glossary term",
    "sources": "source",
    "flags": "flag",
    "questions": "question",
    "options": "option",
    "descriptors": "descriptor",
    "actions": "action",
    "results": "result",
}

Message = tuple[int, None, str, list[str]]


def extract_question_tree(
    fileobj: Any, keywords: Any, comment_tags: Any, options: dict[str, Any]
) -> Iterator[Message]:
    """Yield (line, None, message, comments) for every translatable text in the tree."""
    source = fileobj.read()
    if isinstance(source, bytes):
        source = source.decode(options.get("encoding", "utf-8"))
    root = yaml.compose(source, Loader=yaml.SafeLoader)
    if root is not None:
        yield from _walk(root, key=None, owner="tree")


def _scalar(node: yaml.Node, key: str) -> str | None:
    if isinstance(node, yaml.MappingNode):
        for key_node, value_node in node.value:
            if key_node.value == key and isinstance(value_node, yaml.ScalarNode):
                return value_node.value
    return None


def _walk(node: yaml.Node, key: str | None, owner: str) -> Iterator[Message]:
    if isinstance(node, yaml.MappingNode):
        for key_node, value_node in node.value:
            yield from _walk(value_node, key_node.value, owner)
    elif isinstance(node, yaml.SequenceNode):
        kind = ENTITY_KINDS.get(key or "")
        for item in node.value:
            item_owner = owner
            if kind:
                item_id = _scalar(item, "id") or _scalar(item, "value") or "?"
                item_owner = (
                    f"{owner} {kind} {item_id}"
                    if kind in ("option", "action")
                    else f"{kind} {item_id}"
                )
            yield from _walk(item, key if not kind else None, item_owner)
    elif isinstance(node, yaml.ScalarNode) and key in TRANSLATABLE_KEYS:
        text = node.value.strip()
        if text and node.tag == "tag:yaml.org,2002:str":
            yield node.start_mark.line + 1, None, text, [f"{owner}: {key}"]
