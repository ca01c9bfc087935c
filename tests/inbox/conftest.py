"""Workspace fixtures shared with tests/inbox."""
from tests.workspace_fixtures import *  # noqa: F403  (fixtures)
