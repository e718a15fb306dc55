"""The console pages kept in modules of their own: importing this adds their routes to the
console's blueprint (`bot.console.views.bp`), so it is imported before that is registered."""

from bot.console import (
    accounts,
    actions_log,
    import_views,
    mail_views,
    releases,
    signup_review,
    workbook_views,
)

__all__ = [
    "accounts",
    "actions_log",
    "import_views",
    "mail_views",
    "releases",
    "signup_review",
    "workbook_views",
]
