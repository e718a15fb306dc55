"""Page weight of every team-facing page type, as a real browser loads it from the app.

Serves the app as `make run` does (Werkzeug's threaded server; the compression and cache
headers are the app's own, so gunicorn serves the same bytes), loads each page in headless
Chromium (Debian's, with the resolver rule that keeps it off the network) and sums the bytes
on the wire (compressed bodies, as Chromium reports them) and unpacked, per kind. Then it opens
the same page again in the same browser and counts the requests that reach the server: the
document only, when the CSS and JS are cached and not revalidated. Failures: a first view over
14 KB on the wire (the first round trip of a new connection), a repeat view of more than the
document, any request outside the app.

    .venv/bin/python bench/page_weight.py
"""

from __future__ import annotations

import logging
import sys
import tempfile
import threading
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from playwright.sync_api import sync_playwright  # noqa: E402
from werkzeug.serving import make_server  # noqa: E402

from bot import create_app, store  # noqa: E402
from bot.db import get_db  # noqa: E402
from tests.audit_support import form_data, team_at, walk  # noqa: E402
from tests.browser.support import CHROMIUM_ARGS, CHROMIUM_PATH  # noqa: E402
from tests.profiles import SPECIALISED  # noqa: E402

BUDGET = 14 * 1024


def seeded_app(folder: str):
    app = create_app({"TESTING": True, "DB": f"{folder}/weight.db", "WTF_CSRF_ENABLED": False})
    with app.app_context():
        _, fresh = store.create_team(get_db(), "Riverside Parent-Infant Team")
        _, middle = store.create_team(get_db(), "Hillside Parent-Infant Team")
        _, done = store.create_team(get_db(), "Seaside Parent-Infant Team")
    client = app.test_client()
    at = {token: team_at(client, token) for token in (fresh, middle, done)}
    for question_id in list(SPECIALISED)[:20]:
        client.post(f"{at[middle]}/q/{question_id}", data=form_data(SPECIALISED[question_id]))
    walk(client, done, SPECIALISED, note="We keep a supervision log.")
    client.post(f"{at[done]}/finish")
    middle_next = client.get(f"{at[middle]}/next").headers["Location"].split("#")[0]
    # Each page: the link a browser opens first (not weighed), then the page itself.
    return app, {
        "start": (fresh, f"{at[fresh]}/?intro=1"),
        "first question (number)": (fresh, f"{at[fresh]}/q/sup_under3_count"),
        "question 21, with transcript": (middle, middle_next),
        "multiple choice": (done, f"{at[done]}/q/mdt_professions"),
        "long text": (done, f"{at[done]}/q/further_anything_else"),
        "check answers": (done, f"{at[done]}/check"),
        "result": (done, f"{at[done]}/result"),
        "not found": (None, "/a/not-a-link/"),
    }


class CountingMiddleware:
    """Count the requests that reach the app, by path."""

    def __init__(self, app) -> None:
        self.app, self.paths = app, []

    def __call__(self, environ, start_response):
        self.paths.append(environ["PATH_INFO"])
        return self.app(environ, start_response)


def weigh(page, base: str, path: str) -> tuple[dict[str, list[int]], list[str]]:
    """Load `path`; return bytes per kind (unpacked, on the wire) and requests outside the app."""
    seen: list[str] = []
    responses = []
    page.on("request", lambda request: seen.append(request.url))
    page.on("response", lambda response: responses.append(response))
    page.goto(base + path)
    page.wait_for_load_state("networkidle")
    sizes: dict[str, list[int]] = {}
    outside = [url for url in seen if not url.startswith(base) and not url.startswith("data:")]
    for response in responses:
        if not response.url.startswith(base) or response.status in (301, 302, 303, 304):
            continue
        body = response.body()
        wire = response.request.sizes()["responseBodySize"]
        kind = "html" if "/static/" not in response.url else response.url.split("?")[0]
        kind = kind.rsplit(".", 1)[-1]
        unpacked, on_wire = sizes.setdefault(kind, [0, 0])
        sizes[kind] = [unpacked + len(body), on_wire + wire]
    return sizes, outside


def main() -> None:
    logging.getLogger("werkzeug").setLevel(logging.ERROR)
    with tempfile.TemporaryDirectory() as folder:
        app, pages = seeded_app(folder)
        counter = CountingMiddleware(app.wsgi_app)
        app.wsgi_app = counter
        server = make_server("127.0.0.1", 0, app, threaded=True)
        threading.Thread(target=server.serve_forever, daemon=True).start()
        base = f"http://127.0.0.1:{server.server_port}"
        rows, failures = [], []
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=CHROMIUM_PATH, args=CHROMIUM_ARGS)
            for name, (token, path) in pages.items():
                context = browser.new_context(**playwright.devices["Pixel 7"])
                page = context.new_page()
                if token:  # the session, without the page's CSS and JS landing in the cache
                    context.request.get(f"{base}/a/{token}", max_redirects=0)
                counter.paths.clear()
                sizes, outside = weigh(page, base, path)
                first = len(counter.paths)
                counter.paths.clear()
                page.goto(base + path)
                page.wait_for_load_state("networkidle")
                repeat = list(counter.paths)
                context.close()
                raw = sum(size[0] for size in sizes.values())
                wire = sum(size[1] for size in sizes.values())
                rows.append((name, sizes, raw, wire, first, len(repeat)))
                failures += [f"{name}: request outside the app: {url}" for url in outside]
                if wire > BUDGET:
                    failures.append(f"{name}: {wire} bytes on the wire, over {BUDGET}")
                if any("/static/" in hit for hit in repeat):
                    failures.append(f"{name}: the repeat view asked for {repeat}")
            browser.close()
        server.shutdown()
    print(
        "| page | HTML unpacked / wire | CSS unpacked / wire | JS unpacked / wire "
        "| total unpacked | total on the wire | requests, first view | requests, repeat view |"
    )
    print("|---|---:|---:|---:|---:|---:|---:|---:|")
    for name, sizes, raw, wire, first, repeat in rows:
        cells = [
            " / ".join(f"{n / 1024:.1f}" for n in sizes.get(kind, [0, 0]))
            for kind in ("html", "css", "js")
        ]
        print(
            f"| {name} | {' | '.join(cells)} | {raw / 1024:.1f} KB | {wire / 1024:.1f} KB "
            f"| {first} | {repeat} |"
        )
    print(
        "\nfailures:"
        if failures
        else "\nno failures: every page under 14 KB on the wire, a repeat view fetches the "
        "document alone, no request outside the app"
    )
    for failure in failures:
        print("  " + failure)
    sys.exit(1 if failures else 0)


if __name__ == "__main__":
    main()
