"""The API reference page draws every operation of the OpenAPI document in a real browser,
from this site's files alone: no request leaves it and the page's policy blocks nothing."""

from __future__ import annotations

from urllib.parse import urlsplit

import requests


def test_the_reference_draws_every_operation_from_this_site_alone(live_server, browser):
    document = requests.get(f"{live_server}/api/v1/openapi.json", timeout=30).json()
    operations = sum(1 for item in document["paths"].values() for method in item
                     if method in ("get", "post", "put", "patch", "delete"))
    context = browser.new_context()
    page = context.new_page()
    elsewhere, complaints = [], []
    page.on("request", lambda request: urlsplit(request.url).hostname != "127.0.0.1"
            and not request.url.startswith("data:") and elsewhere.append(request.url))
    page.on("console", lambda message: message.type == "error"
            and complaints.append(message.text))
    try:
        page.goto(f"{live_server}/api/v1/reference?lang=en")
        page.wait_for_selector(".opblock", timeout=30_000)
        drawn = page.locator(".opblock").count()
        title = page.locator("h1").first.inner_text()
    finally:
        context.close()
    assert drawn == operations, (drawn, operations)
    assert title
    assert elsewhere == []
    assert complaints == []
