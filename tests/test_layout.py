"""The layout every page shares: a skip link to the content, a navigation bar whose text
reads against its colour, machine-readable times HTML accepts, and each id once on a page of
several forms."""

from __future__ import annotations

import re
from pathlib import Path

from compliance.core.jobs import run_all
from tests.documents.helpers import document_target
from tests.factories import PASSWORD

CSS = Path(__file__).resolve().parents[1] / "compliance" / "static" / "app.css"
# HTML's valid date string or global date and time string, to the second.
VALID_TIME = re.compile(r"^\d{4}-\d\d-\d\d(T\d\d:\d\d:\d\dZ)?$")


def _luminance(rgb: tuple[float, float, float]) -> float:
    channels = [c / 255 for c in rgb]
    linear = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def _contrast(a, b) -> float:
    high, low = sorted((_luminance(a), _luminance(b)), reverse=True)
    return (high + 0.05) / (low + 0.05)


def test_the_skip_link_comes_first_and_leads_to_the_content(client, make, login):
    user = make.user(roles=["coordinator"], locale="vi")
    login(client, user.email)
    html = client.get("/documents/").get_data(as_text=True)
    body = html[html.index("<body>"):]
    first_link = re.search(r"<a [^>]*>", body).group(0)
    assert 'href="#main"' in first_link and "skip-link" in first_link
    assert "Chuyển đến nội dung chính" in body[:body.index("<nav")]
    assert re.search(r'<main [^>]*id="main"[^>]*tabindex="-1"', html)


def test_the_navigation_bar_text_reads_at_aa_contrast(client):
    html = client.get("/login").get_data(as_text=True)
    nav = re.search(r"<nav [^>]*>", html).group(0)
    assert "site-nav" in nav and "bg-primary" not in nav
    rule = re.search(r"\.site-nav \{(.*?)\}", CSS.read_text(), re.S).group(1)
    background = re.search(r"background-color: #(\w{6})", rule).group(1)
    bg = tuple(int(background[i:i + 2], 16) for i in (0, 2, 4))
    alpha = float(re.search(r"--bs-navbar-color: rgba\(255, 255, 255, ([\d.]+)\)", rule).group(1))
    link = tuple(255 * alpha + c * (1 - alpha) for c in bg)
    assert _contrast(link, bg) >= 4.5
    assert _contrast((255, 255, 255), bg) >= 4.5


def test_times_on_pages_are_valid_html_times(app, client, as_role):
    run_all(app)
    as_role("admin")
    html = client.get("/admin/scheduler/").get_data(as_text=True)
    stamps = re.findall(r'<time datetime="([^"]*)"', html)
    assert stamps, "the scheduler page shows when each job last ran"
    assert [s for s in stamps if not VALID_TIME.match(s)] == []


def test_a_page_of_several_forms_has_each_id_once_csrf_tokens_too(csrf_app, make):
    department = make.department()
    author = make.user(departments=[(department.id, "department_head")])
    document = document_target(csrf_app, department.id, author.id, "effective")
    coordinator = make.user(roles=["coordinator"])
    client = csrf_app.test_client()
    page = client.get("/login").get_data(as_text=True)
    token = re.search(r'name="csrf_token" [^>]*value="([^"]+)"', page).group(1)
    assert client.post("/login", data={"email": coordinator.email, "password": PASSWORD,
                                       "csrf_token": token}).status_code == 302
    html = client.get(f"/documents/{document.document_id}").get_data(as_text=True)
    assert html.count('name="csrf_token"') >= 4  # the page's forms and the bar's two
    ids = re.findall(r'\sid="([^"]+)"', html)
    assert sorted({i for i in ids if ids.count(i) > 1}) == []
    for target in re.findall(r'<label[^>]*\sfor="([^"]+)"', html):
        assert f'id="{target}"' in html, target
