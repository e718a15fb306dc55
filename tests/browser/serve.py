"""Serve the app on a free 127.0.0.1 port and print the port: the browser tests' live server.

Run by `support.LiveServer` with the app's config as a JSON argument; the secret key comes
from AUDIT_SECRET_KEY in the environment.
"""

from __future__ import annotations

import json
import sys

from werkzeug.serving import make_server

from bot import create_app


def main() -> None:
    config = json.loads(sys.argv[1]) if len(sys.argv) > 1 else {}
    app = create_app(config)
    server = make_server("127.0.0.1", 0, app, threaded=True)
    app.config["PUBLIC_URL"] = f"http://127.0.0.1:{server.server_port}"
    print(server.server_port, flush=True)
    server.serve_forever()


if __name__ == "__main__":
    main()
