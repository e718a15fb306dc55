"""Every command-line command explains itself."""

import click
import pytest

from bot.tree.commands import tree_commands


def all_commands(app):
    groups = [
        tree_commands,
        *(command for command in app.cli.commands.values() if isinstance(command, click.Group)),
    ]
    for group in groups:
        for name, command in group.commands.items():
            yield f"{group.name} {name}", command


def test_every_command_of_ours_has_a_help_text(app):
    commands = dict(all_commands(app))
    assert {
        "tree check",
        "tree simulate",
        "team create",
        "team demo",
        "db backup",
        "db restore",
        "admin create",
    } <= set(commands)
    for name, command in commands.items():
        assert command.help and len(command.help.split()) >= 4, name


@pytest.mark.parametrize(
    "args",
    [
        ["tree", "--help"],
        ["team", "create", "--help"],
        ["db", "backup", "--help"],
        ["db", "restore", "--help"],
        ["admin", "create", "--help"],
    ],
)
def test_help_is_printed_for_each_group(runner, args):
    if args[0] == "tree":
        result = runner.invoke(tree_commands, args[1:])
    else:
        result = runner.invoke(args=args)
    assert result.exit_code == 0, result.output
    assert "Usage:" in result.output
