"""The least an app on this project's fixed stack does for one answer round trip.

`bench/floor_app.py` is the least a Flask app does; this one adds what every page of the real
app needs whatever it shows: Flask's signed-cookie session (read and written each request), a
Flask-WTF form with its CSRF token (made on GET, checked on POST, its fields rendered by
WTForms) and a Jinja template around them. The page is of `FLOOR_PAGE_BYTES`, its body rendered
once at start-up (as if the whole conversation above a question came from a cache), so the
template's own work per request is as small as it can be. On POST, one SQLite INSERT in a
`BEGIN IMMEDIATE` transaction, then a redirect. No team, no audit, no evaluation, no tree:
`bench/load.py` measures it beside the bare floor, to show how far the stack alone stands from
it. Never part of the app.

    gunicorn -w 2 --preload 'bench.stack_floor_app:create_app()'   # FLOOR_DB, FLOOR_PAGE_BYTES
"""

from __future__ import annotations

import os

from flask import Flask, redirect, session, url_for
from flask_wtf import FlaskForm
from markupsafe import Markup
from wtforms import StringField

from bench.floor_app import connection, prepare

ROWS = """<ol>{% for row in rows %}<li><p>{{ row.question }}</p><p>{{ row.answer }}</p>
<a href="/q/{{ row.number }}">Change</a></li>{% endfor %}</ol>"""
PAGE = """<!DOCTYPE html>
<html lang="en"><head><title>{{ title }}</title></head><body><main>{{ conversation }}
<form method="post">{{ form.csrf_token }}{{ form.answer() }}{{ form.note() }}
<button type="submit">Continue</button></form></main></body></html>"""

ROW = {
    "question": "How many practitioners in the team work with babies and their parents?",
    "answer": "Four practitioners & one psychologist",
}


class AnswerForm(FlaskForm):
    answer = StringField()
    note = StringField()


def create_app() -> Flask:
    path = os.environ.get("FLOOR_DB", "floor.db")
    size = int(os.environ.get("FLOOR_PAGE_BYTES", "17000"))
    prepare(path)
    app = Flask(__name__)
    app.secret_key = os.environ.get("AUDIT_SECRET_KEY", "stack floor")
    template = app.jinja_env.from_string(PAGE)
    rows_template = app.jinja_env.from_string(ROWS)
    with app.test_request_context():
        empty = len(template.render(title="A question", conversation="", form=AnswerForm()))
    one_row = len(rows_template.render(rows=[ROW | {"number": 10}])) - len("<ol></ol>")
    count = max(1, (size - empty) // one_row)
    conversation = Markup(rows_template.render(rows=[ROW | {"number": n} for n in range(count)]))

    @app.route("/", methods=["GET", "POST"])
    @app.route("/q/<int:number>", methods=["GET", "POST"])
    def page(number: int = 0):
        session["pages"] = session.get("pages", 0) + 1
        form = AnswerForm()
        if form.validate_on_submit():
            conn = connection(path)
            conn.execute("BEGIN IMMEDIATE")
            try:
                conn.execute(
                    "INSERT INTO rows (token, value) VALUES (?, ?)",
                    [form.answer.data, form.note.data],
                )
                conn.execute("COMMIT")
            except BaseException:
                conn.execute("ROLLBACK")
                raise
            return redirect(url_for("page"))
        return template.render(title="A question", conversation=conversation, form=form)

    return app
