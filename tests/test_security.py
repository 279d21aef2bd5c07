"""Headers and behaviour that keep pages safe by default."""

import gzip
import re

from marketplace.accounts.roles import Role


def test_pages_forbid_inline_code_and_framing(client):
    headers = client.get("/").headers
    csp = headers["Content-Security-Policy"]
    assert "script-src 'self'" in csp
    assert "style-src 'self'" in csp
    assert "frame-ancestors 'none'" in csp
    assert "unsafe-inline" not in csp
    assert headers["X-Content-Type-Options"] == "nosniff"
    assert headers["Referrer-Policy"] == "same-origin"


def test_signed_in_pages_are_never_cached(signed_in_client, client):
    signed_in, _user = signed_in_client(Role.PARTICIPANT)
    assert signed_in.get("/dashboard").headers["Cache-Control"] == "no-store"
    assert "no-store" not in client.get("/").headers.get("Cache-Control", "")


def test_pages_are_gzip_compressed(client):
    response = client.get("/", headers={"Accept-Encoding": "gzip"})
    assert response.headers["Content-Encoding"] == "gzip"
    assert b"<html" in gzip.decompress(response.data)


def test_bootstrap_is_served_by_the_site_itself(client):
    page = client.get("/").get_data(as_text=True)
    asset_urls = re.findall(r'(?:src|href)="([^"]+)"', page)
    assert asset_urls and all(not url.startswith(("http:", "https:", "//")) for url in asset_urls)
    assert client.get("/bootstrap/static/css/bootstrap.min.css").status_code == 200


def test_phone_menu_opens_without_javascript(client):
    page = client.get("/").get_data(as_text=True)
    assert '<details class="phone-menu' in page
    assert "<script" not in page


def test_healthz_reports_the_database(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.get_json() == {"status": "ok", "database": "ok"}
