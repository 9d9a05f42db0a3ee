"""README: every command, option and setting a user can reach is documented."""
from __future__ import annotations

import re

import click

from searcher.cli import main
from searcher.config import PROJECT_ROOT
from searcher.web import DEFAULTS

README = (PROJECT_ROOT / "README.md").read_text(encoding="utf-8")


def test_every_command_and_its_options_are_in_the_readme():
    for name, command in main.commands.items():
        assert f"searcher {name}" in README, name
        for parameter in command.params:
            if isinstance(parameter, click.Option):
                assert any(opt in README for opt in parameter.opts), f"{name} {parameter.opts}"


def test_every_setting_is_in_the_readme():
    for setting in DEFAULTS:
        assert f"`{setting}`" in README, setting


def test_the_quick_start_is_two_commands_and_ci_runs_the_test_one():
    quick_start = README.split("## Quick start", 1)[1].split("\n## ", 1)[0]
    commands = re.findall(r"^    (\S.*)$", quick_start, re.M)
    assert len(commands) == 2 and "searcher serve" in commands[0]
    ci = (PROJECT_ROOT / ".ci" / "run").read_text(encoding="utf-8")
    assert commands[1] in ci
