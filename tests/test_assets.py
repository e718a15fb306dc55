"""Static files fingerprinted and cached for a year; pages compressed by the app itself."""

from __future__ import annotations

import gzip
import hashlib
import re

import brotli

from bot import PROJECT_ROOT
from tests.audit_support import team_at

STATIC_URL = re.compile(r'(?:href|src)="(/static/[^"?]+)\?v=([0-9a-f]+)"')


def static_urls(html: str) -> list[tuple[str, str]]:
    return STATIC_URL.findall(html)


def test_pages_link_static_files_by_a_hash_of_their_content(client, team):
    _, token = team
    urls = static_urls(client.get(f"{team_at(client, token)}/").text)
    assert {path for path, _ in urls} >= {"/static/css/app.css", "/static/js/chat.js"}
    for path, fingerprint in urls:
        content = (PROJECT_ROOT / path.lstrip("/")).read_bytes()
        assert hashlib.sha256(content).hexdigest().startswith(fingerprint)


def test_a_fingerprinted_file_is_cached_for_a_year_and_never_revalidated(client):
    path, fingerprint = static_urls(client.get("/").text)[0]
    response = client.get(f"{path}?v={fingerprint}")
    assert response.status_code == 200
    cache = response.cache_control
    assert cache.public and cache.immutable and cache.max_age == 31_536_000
    assert not cache.no_cache


def test_a_file_asked_for_without_or_with_an_old_fingerprint_is_revalidated(client):
    path, _ = static_urls(client.get("/").text)[0]
    for url in (path, f"{path}?v=000000000000"):
        response = client.get(url)
        assert response.status_code == 200
        assert response.cache_control.no_cache and not response.cache_control.immutable


def test_a_changed_file_gets_a_new_url(app, tmp_path):
    (tmp_path / "a.css").write_text("p { color: red }")
    fingerprints = type(app.extensions["static_fingerprints"])(tmp_path)
    before = fingerprints.of("a.css")
    (tmp_path / "a.css").write_text("p { color: blue; }")
    assert fingerprints.of("a.css") != before
    assert fingerprints.of("../secret") is None and fingerprints.of("missing.css") is None


def test_pages_are_compressed_for_browsers_that_accept_it(client, team):
    _, token = team
    plain = client.get(f"{team_at(client, token)}/?intro=1")
    zipped = client.get(f"{team_at(client, token)}/?intro=1", headers={"Accept-Encoding": "gzip"})
    squeezed = client.get(
        f"{team_at(client, token)}/?intro=1", headers={"Accept-Encoding": "br, gzip"}
    )
    assert plain.headers.get("Content-Encoding") is None
    assert zipped.headers["Content-Encoding"] == "gzip"
    assert squeezed.headers["Content-Encoding"] == "br"
    assert "Accept-Encoding" in zipped.headers["Vary"]
    # The same page, under half the bytes (CSRF tokens differ, so compare the lengths roughly).
    for response, unpack in ((zipped, gzip.decompress), (squeezed, brotli.decompress)):
        text = unpack(response.data).decode()
        assert text.startswith("<!DOCTYPE html>") and "</html>" in text
        assert len(response.data) < len(plain.data) / 2
