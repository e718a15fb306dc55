"""Command-line tools: `flask --app bot tree check|simulate`.

The `tree` group is registered as a `flask.commands` plugin (see pyproject.toml) and never
builds the app, so it still works, and explains itself, when the tree is broken.
"""

from __future__ import annotations

import json
import sys
import time
from pathlib import Path

import click

from bot.config import environment
from bot.tree.answers import AnswerError, normalise_answers
from bot.tree.check import enumerate_tree
from bot.tree.engine import evaluate
from bot.tree.loader import DEFAULT_TREE, parse_tree, read_tree, read_tree_text
from bot.tree.problems import TreeError


@click.group("tree")
def tree_commands() -> None:
    """Check the question tree and try answers against it."""


def default_tree_path() -> Path:
    """The app's tree: AUDIT_QUESTION_TREE, from the environment or AUDIT_ENV_FILE's file."""
    return Path(environment().get("AUDIT_QUESTION_TREE") or DEFAULT_TREE)


@tree_commands.command("check")
@click.argument("file", required=False, type=click.Path(dir_okay=False, path_type=Path))
def check_command(file: Path | None) -> None:
    """Check FILE (default: the app's tree) and prove every path ends with a result."""
    path = file or default_tree_path()
    started = time.perf_counter()
    try:
        tree = parse_tree(read_tree_text(path), str(path))
        proof = enumerate_tree(tree)
        if proof.problems:
            raise TreeError(list(proof.problems))
    except TreeError as error:
        click.echo(str(error), err=True)
        sys.exit(1)
    elapsed = time.perf_counter() - started
    click.echo(
        f"{path}: OK. Tree {tree.id} version {tree.version}: {len(tree.questions)} questions, "
        f"{len(tree.descriptors)} descriptors, {proof.paths} paths, every one ending with a "
        f"classification; results reached: {', '.join(proof.results_reached)} "
        f"({elapsed:.2f} s)"
    )


@tree_commands.command("simulate")
@click.argument("answers_file", type=click.File("r", encoding="utf-8"))
@click.option(
    "--tree",
    "tree_file",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Question-tree file (default: the app's tree).",
)
def simulate_command(answers_file, tree_file: Path | None) -> None:
    """Print what the engine makes of ANSWERS_FILE (JSON: {question_id: answer}) as JSON.

    The tree is read and validated, not proved: proving every path is `check`'s work, and
    one set of answers needs only the rules it meets.
    """
    try:
        tree = read_tree(tree_file or default_tree_path())
    except TreeError as error:
        click.echo(str(error), err=True)
        sys.exit(1)
    try:
        raw = json.load(answers_file)
    except json.JSONDecodeError as error:
        click.echo(f"{answers_file.name}: not valid JSON: {error}", err=True)
        sys.exit(1)
    try:
        answers = normalise_answers(tree, raw)
    except AnswerError as error:
        click.echo(f"{answers_file.name}: {error}", err=True)
        sys.exit(1)
    click.echo(json.dumps(evaluate(tree, answers).as_dict(), indent=2, ensure_ascii=False))
