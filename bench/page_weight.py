"""Page weight of every team-facing page type, as a real browser loads it.

Loads each page in headless Chromium (Debian's, with the resolver rule that keeps it off the
network), records every request, and sums the bytes of HTML, CSS, JS and images, raw and
gzipped. Any request not to the app itself is a failure. Aim: every page under 14 KB gzipped
in total, so it arrives in the first round trip of a new connection.

    .venv/bin/python bench/page_weight.py
"""

from __future__ import annotations

import gzip
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
from tests.browser.support import CHROMIUM_ARGS, CHROMIUM_PATH  # noqa: E402
from tests.profiles import SPECIALISED  # noqa: E402
from tests.test_audit_journey import form_data, walk  # noqa: E402

BUDGET = 14 * 1024


def seeded_app(folder: str):
    app = create_app({"TESTING": True, "DB": f"{folder}/weight.db", "WTF_CSRF_ENABLED": False})
    with app.app_context():
        _, fresh = store.create_team(get_db(), "Riverside Parent-Infant Team")
        _, middle = store.create_team(get_db(), "Hillside Parent-Infant Team")
        _, done = store.create_team(get_db(), "Seaside Parent-Infant Team")
    client = app.test_client()
    for question_id in list(SPECIALISED)[:20]:
        client.post(f"/a/{middle}/q/{question_id}", data=form_data(SPECIALISED[question_id]))
    walk(client, done, SPECIALISED, note="We keep a supervision log.")
    client.post(f"/a/{done}/finish")
    middle_next = client.get(f"/a/{middle}/next").headers["Location"].split("#")[0]
    return app, {
        "start": f"/a/{fresh}/?intro=1",
        "first question (number)": f"/a/{fresh}/q/sup_under3_count",
        "question 21, with transcript": middle_next,
        "multiple choice": f"/a/{done}/q/mdt_professions",
        "long text": f"/a/{done}/q/further_anything_else",
        "check answers": f"/a/{done}/check",
        "result": f"/a/{done}/result",
        "not found": "/a/not-a-link/",
    }


def weigh(page, base: str, path: str) -> tuple[dict[str, list[int]], list[str], int]:
    """Load `path` and return bytes per kind (raw, gzipped), outside requests, request count."""
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
        kind = "html" if "/static/" not in response.url else response.url.rsplit(".", 1)[-1]
        raw, zipped = sizes.setdefault(kind, [0, 0])
        sizes[kind] = [raw + len(body), zipped + len(gzip.compress(body, 9))]
    return sizes, outside, len(seen)


def main() -> None:
    logging.getLogger("werkzeug").setLevel(logging.ERROR)
    with tempfile.TemporaryDirectory() as folder:
        app, pages = seeded_app(folder)
        server = make_server("127.0.0.1", 0, app, threaded=True)
        threading.Thread(target=server.serve_forever, daemon=True).start()
        base = f"http://127.0.0.1:{server.server_port}"
        rows, failures = [], []
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=CHROMIUM_PATH, args=CHROMIUM_ARGS)
            for name, path in pages.items():
                context = browser.new_context(**playwright.devices["Pixel 7"])
                page = context.new_page()
                sizes, outside, requests = weigh(page, base, path)
                context.close()
                raw = sum(size[0] for size in sizes.values())
                zipped = sum(size[1] for size in sizes.values())
                rows.append((name, sizes, raw, zipped, requests))
                failures += [f"{name}: request outside the app: {url}" for url in outside]
                if zipped > BUDGET:
                    failures.append(f"{name}: {zipped} bytes gzipped, over {BUDGET}")
            browser.close()
        server.shutdown()
    print("| page | HTML raw / gz | CSS raw / gz | JS raw / gz | total raw | total gz | requests |")
    print("|---|---:|---:|---:|---:|---:|---:|")
    for name, sizes, raw, zipped, requests in rows:
        cells = [
            " / ".join(f"{n / 1024:.1f}" for n in sizes.get(kind, [0, 0]))
            for kind in ("html", "css", "js")
        ]
        print(
            f"| {name} | {' | '.join(cells)} | {raw / 1024:.1f} KB | {zipped / 1024:.1f} KB "
            f"| {requests} |"
        )
    print(
        "\nfailures:"
        if failures
        else "\nno failures: every page under 14 KB gzipped, no request outside the app"
    )
    for failure in failures:
        print("  " + failure)
    sys.exit(1 if failures else 0)


if __name__ == "__main__":
    main()
