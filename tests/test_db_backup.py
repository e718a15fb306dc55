"""`flask db backup`: a consistent private copy of the service's database, or a clear refusal."""

import os
import sqlite3
import stat

from bot import create_app, store
from tests.audit_support import stored_answers, walk
from tests.conftest import BASE_CONFIG
from tests.profiles import SPECIALISED


def test_backup_is_a_consistent_private_copy_with_every_answer(app, client, team, runner, tmp_path):
    team_id, token = team
    walk(client, token, SPECIALISED)
    target = tmp_path / "backups" / "audit-backup.db"
    result = runner.invoke(args=["db", "backup", str(target)])
    assert result.exit_code == 0, result.output
    assert "integrity ok" in result.output
    copy = store.connect(target)
    audit_id = copy.execute("SELECT id FROM audits WHERE team_id = ?", [team_id]).fetchone()[0]
    restored = {qid: record.value for qid, record in store.current_answers(copy, audit_id).items()}
    assert restored == stored_answers(app, team_id)
    assert stat.S_IMODE(target.stat().st_mode) == 0o600
    assert stat.S_IMODE(target.parent.stat().st_mode) == 0o700


def test_backup_refuses_to_overwrite(runner, team, tmp_path):
    target = tmp_path / "exists.db"
    sqlite3.connect(target).close()
    result = runner.invoke(args=["db", "backup", str(target)])
    assert result.exit_code != 0
    assert "already exists" in result.output


def test_backup_refuses_a_database_this_command_just_created(tmp_path):
    """The documented cron job without the service's settings found no database and made one."""
    app = create_app({**BASE_CONFIG, "DB": str(tmp_path / "instance" / "audit.db")})
    result = app.test_cli_runner().invoke(args=["db", "backup", str(tmp_path / "backup.db")])
    assert result.exit_code == 1
    assert "no database at" in result.output and "created an empty one" in result.output
    assert "AUDIT_ENV_FILE" in result.output
    assert not (tmp_path / "backup.db").exists()


def test_backup_refuses_a_database_that_is_not_there(app, runner, tmp_path):
    for suffix in ("", "-wal", "-shm"):
        if os.path.exists(app.config["DB"] + suffix):
            os.remove(app.config["DB"] + suffix)
    result = runner.invoke(args=["db", "backup", str(tmp_path / "backup.db")])
    assert result.exit_code == 1
    assert f"there is no database at {app.config['DB']}" in result.output


def test_backup_refuses_a_database_with_no_team_unless_told_to(runner, tmp_path):
    refused = runner.invoke(args=["db", "backup", str(tmp_path / "backup.db")])
    assert refused.exit_code == 1
    assert "holds no team" in refused.output and "--even-if-empty" in refused.output
    assert not (tmp_path / "backup.db").exists()
    told = runner.invoke(args=["db", "backup", "--even-if-empty", str(tmp_path / "backup.db")])
    assert told.exit_code == 0, told.output
