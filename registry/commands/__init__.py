"""Sub-commands of ``registry``, one module per area."""
from __future__ import annotations

import importlib

import click

COMMAND_MODULES = (
    "registry.commands.db",
    "registry.commands.seed",
    "registry.commands.serve",
    "registry.commands.users",
    "registry.commands.audit",
    "registry.commands.tokens",
    "registry.commands.backup",
    "registry.commands.imports",
)


def register(cli: click.Group) -> None:
    for name in COMMAND_MODULES:
        importlib.import_module(name).register(cli)
