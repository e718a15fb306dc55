import re

from bot import create_app
from bot.config import PROJECT_ROOT, SETTINGS

OPERATIONS = PROJECT_ROOT / "docs" / "operations.md"
TABLE_ROW = re.compile(r"^\| `(AUDIT_\w+)` \| (.+?) \| (.+?) \|$", re.M)


def shown(default) -> str:
    if default is None:
        return "none"
    text = str(default).removeprefix(str(PROJECT_ROOT) + "/")
    return f"`{text}`"


def test_operations_doc_lists_every_setting_with_its_default_and_meaning():
    documented = {
        name: (meaning, default)
        for name, meaning, default in TABLE_ROW.findall(OPERATIONS.read_text(encoding="utf-8"))
    }
    expected = {s.variable: (s.meaning, shown(s.default)) for s in SETTINGS}
    assert documented == expected


def test_every_setting_is_read_from_its_audit_variable(monkeypatch, tmp_path):
    monkeypatch.setenv("AUDIT_SIGNUP_LIMIT", "3 per hour")
    monkeypatch.setenv("AUDIT_ADMIN_SESSION_HOURS", "2")
    app = create_app({"TESTING": True, "DB": str(tmp_path / "audit.db")})
    assert app.config["SIGNUP_LIMIT"] == "3 per hour"
    assert app.config["ADMIN_SESSION_HOURS"] == 2
    assert app.config["LINK_LOOKUP_LIMIT"] == "30 per minute"
