"""The national picture as dated releases: tables safe to quote, proven so by integer programming.

Pure Python apart from `store_facts` (which reads the store) and `report` (python-docx and
matplotlib). The narrow input is one `facts.TeamFacts` per team; `release.make_release` lays
the tables out (`layout`), hides what must be hidden (`suppression`, checked by `audit` against
every earlier release) and returns a `Release`, kept as JSON by the store.
"""
