"""Workspace fixtures shared with tests/review."""
from tests.workspace_fixtures import *  # noqa: F403  (fixtures)
