"""The staff console and the statistics page are the project's own files: no CDN, strict headers, and nothing a
citizen or an officer wrote is ever put into a page as HTML."""

from __future__ import annotations

import re

import pytest

from api.routes.pages import STATIC_DIR

SCRIPTS = sorted(p.name for p in STATIC_DIR.glob("*.js") if p.name.startswith(("staff", "stats")))


@pytest.mark.parametrize("script", SCRIPTS)
def test_text_goes_into_the_page_as_text_only(script):
    assert not re.search(r"innerHTML|outerHTML|insertAdjacentHTML|document\.write|eval\(", (STATIC_DIR / script)
                         .read_text(encoding="utf-8"))


@pytest.mark.parametrize("path", ["/staff", "/stats"])
def test_the_pages_run_only_their_own_scripts(client, path):
    response = client.get(path)
    assert response.status_code == 200
    assert "script-src 'self'" in response.headers["content-security-policy"]
    assert response.headers["x-frame-options"] == "DENY"
    for asset in re.findall(r'(?:src|href)="(/static/[^"]+)"', response.text):
        assert client.get(asset).status_code == 200, asset
