"""docs/exports.md describes every export column, and its descriptor legend matches the tree."""

import re

import pytest

from bot import PROJECT_ROOT
from bot.console import exports
from bot.tree import model as m
from tests.conftest import question_tree

TREE = question_tree()
DOC = (PROJECT_ROOT / "docs" / "exports.md").read_text(encoding="utf-8")
ROW = re.compile(r"^\| `([^`]+)` \|(.*)\|$", re.MULTILINE)


def section(heading: str) -> str:
    """The text under a heading, up to the next heading of any level."""
    start = DOC.index(heading + "\n") + len(heading)
    following = re.search(r"^#{2,3} ", DOC[start:], re.MULTILINE)
    return DOC[start : start + following.start()] if following else DOC[start:]


def rows(text: str) -> list[tuple[str, list[str]]]:
    return [(key, [cell.strip() for cell in rest.split("|")]) for key, rest in ROW.findall(text)]


def test_every_audits_column_is_documented_in_order():
    documented = [key for key, _ in rows(section("## Audits"))]
    columns = exports.audit_columns(TREE)
    plain = [column for column in columns if not column.startswith(exports.DESCRIPTOR_PREFIX)]
    assert documented == [*plain, "descriptor_<id>"]


def test_the_descriptor_legend_names_every_descriptor_of_the_tree_in_order():
    legend = rows(section("### Descriptor columns"))
    descriptor_rows = [(key, cells) for key, cells in legend if key.startswith("descriptor_")]
    assert [(key, cells[0], cells[1]) for key, cells in descriptor_rows] == [
        (
            exports.DESCRIPTOR_PREFIX + descriptor.id,
            descriptor.title,
            TREE.domains_by_id[descriptor.domain].title,
        )
        for descriptor in TREE.descriptors
    ]
    statuses = [key for key, _ in legend if not key.startswith("descriptor_")]
    assert statuses == [*m.STATUSES, m.NOT_ANSWERED]


@pytest.mark.parametrize("result", [result.id for result in TREE.results])
def test_the_result_column_names_every_result(result):
    cells = dict(rows(section("## Audits")))["result"]
    assert f"`{result}`" in cells[0]


def test_every_answers_column_is_documented_in_order():
    assert [key for key, _ in rows(section("## Answers"))] == exports.ANSWER_COLUMNS
