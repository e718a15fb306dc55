"""Static files fingerprinted and cached for a year, and every response compressed.

`url_for("static", filename=...)` adds `v=<content hash>`, so a changed file gets a new URL
and the old one can be cached for good: a repeat page view costs the document alone, with no
revalidation of the CSS and JS. Compression is Flask-Compress's (zstd, Brotli or gzip, as the
browser accepts), so pages arrive within the first round trip however the app is served.
"""

from __future__ import annotations

import hashlib
import os
from pathlib import Path
from stat import S_ISREG

from flask import Flask, request
from flask_compress import Compress

YEAR_SECONDS = 365 * 24 * 60 * 60
FINGERPRINT_LENGTH = 12

compress = Compress()


class Fingerprints:
    """Content hashes of the static files, computed once per version of each file.

    A page links its CSS and JS on every request, so a known file costs one `stat` (to see
    whether it changed), not a path resolution as well.
    """

    def __init__(self, folder: str | Path) -> None:
        self.folder = Path(folder).resolve()
        self._paths: dict[str, Path | None] = {}
        self._known: dict[str, tuple[tuple[int, int], str]] = {}

    def _path(self, filename: str) -> Path | None:
        """The file inside the static folder that `filename` names, or None."""
        if filename not in self._paths:
            path = (self.folder / filename).resolve()
            self._paths[filename] = path if path.is_relative_to(self.folder) else None
        return self._paths[filename]

    def of(self, filename: str) -> str | None:
        """Return the file's fingerprint, or None if there is no such static file."""
        path = self._path(filename)
        try:
            stat = os.stat(path) if path else None
        except OSError:
            stat = None
        if stat is None or not S_ISREG(stat.st_mode):
            return None
        version = (stat.st_mtime_ns, stat.st_size)
        known = self._known.get(filename)
        if known is None or known[0] != version:
            digest = hashlib.sha256(path.read_bytes()).hexdigest()[:FINGERPRINT_LENGTH]
            known = self._known[filename] = (version, digest)
        return known[1]


def init_app(app: Flask) -> None:
    app.config.setdefault(
        "COMPRESS_MIMETYPES",
        [
            "text/html",
            "text/css",
            "text/javascript",
            "application/javascript",
            "text/csv",
            "application/json",
            "image/svg+xml",
            "text/plain",
        ],
    )
    compress.init_app(app)
    fingerprints = Fingerprints(app.static_folder)
    app.extensions["static_fingerprints"] = fingerprints

    @app.url_defaults
    def add_fingerprint(endpoint: str, values: dict) -> None:
        if endpoint == "static" and "filename" in values and "v" not in values:
            fingerprint = fingerprints.of(values["filename"])
            if fingerprint:
                values["v"] = fingerprint

    @app.after_request
    def cache_fingerprinted_files(response):
        """A year, immutable, for the URL of the file's current content; else revalidate."""
        if request.endpoint != "static" or response.status_code != 200:
            return response
        filename = (request.view_args or {}).get("filename", "")
        if request.args.get("v") and request.args["v"] == fingerprints.of(filename):
            response.cache_control.public = True
            response.cache_control.max_age = YEAR_SECONDS
            response.cache_control.immutable = True
            response.cache_control.no_cache = None
        else:
            response.cache_control.no_cache = True
        return response
