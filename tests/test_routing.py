"""The app's URL rules compile their builders on first use and build what Werkzeug's would."""

from __future__ import annotations

from werkzeug.routing import Map, Rule

from bot.routing import LazyBuilderRule

ODD = "é ?#/%&\u202e"


def sample_values(rule: Rule) -> dict:
    defaults = rule.defaults or {}
    return {
        argument: defaults.get(argument, 7 if argument.endswith("_id") else f"x{ODD}")
        for argument in rule.arguments
    }


def test_every_route_builds_the_url_werkzeugs_own_rule_builds(app):
    rules = list(app.url_map.iter_rules())
    assert rules and all(isinstance(rule, LazyBuilderRule) for rule in rules)
    plain = Map([Rule(rule.rule, **rule.get_empty_kwargs()) for rule in rules]).bind(
        "audit.example"
    )
    lazy = app.url_map.bind("audit.example")
    for rule in rules:
        for extra in ({}, {"lang": "cy", "note": ODD}):
            values = {**sample_values(rule), **extra}
            built = lazy.build(rule.endpoint, values, method=sorted(rule.methods)[0])
            assert built == plain.build(rule.endpoint, values, method=sorted(rule.methods)[0])
            assert "é" not in built and ("lang=cy" in built) == bool(extra)


def test_building_the_app_compiles_no_builder_until_a_url_is_built(new_app, monkeypatch):
    compiled = []
    werkzeugs = Rule._compile_builder

    def counting(rule, append_unknown=True):
        compiled.append((rule.endpoint, append_unknown))
        return werkzeugs(rule, append_unknown)

    monkeypatch.setattr(Rule, "_compile_builder", counting)
    app = new_app()
    assert compiled == []
    with app.test_request_context():
        from flask import url_for

        first = url_for("audit.question", team_id=1, question_id="q")
        again = url_for("audit.question", team_id=2, question_id="r")
    assert (first, again) == ("/t/1/q/q", "/t/2/q/r")
    assert compiled == [("audit.question", True)]
