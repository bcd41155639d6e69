"""The chat page and the API docs are served by the project itself: no CDN, strict security headers."""

from __future__ import annotations

import re

from api.routes.pages import STATIC_DIR

SVG_NAMESPACE = "http://www.w3.org/2000/svg"  # names SVG elements for createElementNS; never fetched


def test_the_chat_page_is_served_with_its_landmarks(client):
    response = client.get("/")
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/html")
    page = response.text
    assert '<html lang="zh-CN">' in page
    assert 'aria-label="对话记录"' in page  # the conversation, a named region a screen reader can jump to
    # what arrives unasked (an officer's words, the queue's news) is said by a polite live region of its own
    assert '<div id="heard" class="sr-only" role="status" aria-live="polite">' in page
    assert 'id="to-person"' in page and "找人工" in page


def test_every_asset_is_local(client):
    files = [p for p in STATIC_DIR.iterdir() if p.suffix in (".html", ".css", ".js")]
    assert files
    for path in files:
        assert not re.search(r"https?://", path.read_text(encoding="utf-8").replace(SVG_NAMESPACE, "")), path.name
    for asset in ("/static/chat.css", "/static/chat.js"):
        assert client.get(asset).status_code == 200


def test_the_page_runs_only_its_own_scripts(client):
    policy = client.get("/").headers["content-security-policy"]
    assert "script-src 'self'" in policy and "frame-ancestors 'none'" in policy
    assert client.get("/").headers["x-content-type-options"] == "nosniff"


def test_citizen_text_is_never_put_into_html_by_the_page_script():
    script = (STATIC_DIR / "chat.js").read_text(encoding="utf-8")
    assert not re.search(r"innerHTML|outerHTML|insertAdjacentHTML|document\.write", script)


def test_the_api_docs_work_offline(client):
    docs = client.get("/docs")
    assert docs.status_code == 200
    assert "cdn" not in docs.text.lower()
    assert "/api/ask" in client.get("/openapi.json").json()["paths"]


def test_the_browsers_icon_request_gets_an_icon_not_a_404(client):
    response = client.get("/favicon.ico")
    assert response.status_code == 200
    assert response.headers["content-type"] == "image/svg+xml"
    assert response.text.startswith("<svg")
    for page in ("/", "/staff", "/stats"):
        assert '<link rel="icon" href="/static/icon.svg"' in client.get(page).text
