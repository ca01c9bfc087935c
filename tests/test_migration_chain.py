"""The migrations form one line: a single head, no branches."""
import pytest
from alembic.script import ScriptDirectory

from registry.migrate import alembic_config

pytestmark = pytest.mark.no_db


def test_single_head_and_linear_history():
    script = ScriptDirectory.from_config(alembic_config("sqlite://"))
    assert len(script.get_heads()) == 1, script.get_heads()
    for rev in script.walk_revisions():
        assert not isinstance(rev.down_revision, tuple), f"{rev.revision} merges branches"
