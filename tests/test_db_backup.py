import sqlite3

from bot import store
from tests.audit_support import stored_answers, walk
from tests.profiles import SPECIALISED


def test_backup_is_a_consistent_copy_with_every_answer(app, client, team, runner, tmp_path):
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


def test_backup_refuses_to_overwrite(runner, tmp_path):
    target = tmp_path / "exists.db"
    sqlite3.connect(target).close()
    result = runner.invoke(args=["db", "backup", str(target)])
    assert result.exit_code != 0
    assert "already exists" in result.output
