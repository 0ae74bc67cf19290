"""The layout every page shares: a skip link to the content, a navigation bar whose text
reads against its colour, machine-readable times HTML accepts, and each id once on a page of
several forms."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from compliance.core.jobs import run_all
from tests.documents.helpers import document_target
from tests.factories import PASSWORD

# The markup every page shares: the same on either database.
pytestmark = pytest.mark.one_database

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


def test_the_menu_follows_a_change_of_roles_and_of_language(app, client, make, login):
    # The menu is kept per reader's roles and language (auth/web/menu.py): a membership
    # granted between two pages shows at once, and so does the other language.
    from compliance.auth import services as users
    from compliance.auth.models import User
    from compliance.core.extensions import db
    from compliance.core.uow import unit_of_work

    department = make.department()
    user = make.user(locale="vi")
    login(client, user.email)
    before = client.get("/").get_data(as_text=True)
    assert 'data-testid="nav-reports"' not in before and "Trang chủ" in before
    with app.app_context(), unit_of_work():
        users.add_membership(None, db.session.get(User, user.id), department.id,
                             "department_head", check=False)
    after = client.get("/").get_data(as_text=True)
    assert 'data-testid="nav-reports"' in after
    client.post("/language", data={"locale": "en"})
    assert ">Home</a>" in client.get("/").get_data(as_text=True)


def _tokens() -> dict[str, tuple[int, int, int]]:
    root = re.search(r":root \{(.*?)\}", CSS.read_text(), re.S).group(1)
    return {name: tuple(int(value[i:i + 2], 16) for i in (0, 2, 4))
            for name, value in re.findall(r"--([\w-]+): #([0-9a-fA-F]{6});", root)}


def test_the_design_tokens_read_at_aa_contrast_status_colours_too():
    tokens = _tokens()
    pairs = [("c-text", "c-surface"), ("c-text", "c-subtle"), ("c-muted", "c-surface"),
             ("c-muted", "c-subtle"), ("c-link", "c-surface"), ("c-link", "c-subtle")]
    tones = ("draft", "review", "in-force", "overdue", "due-soon", "closed")
    pairs += [(f"status-{tone}-fg", f"status-{tone}-bg") for tone in tones]
    low = {f"{fg} on {bg}": round(_contrast(tokens[fg], tokens[bg]), 2) for fg, bg in pairs
           if _contrast(tokens[fg], tokens[bg]) < 4.5}
    assert low == {}
    # Six tones, six different backgrounds: a state is told apart at a glance.
    assert len({tokens[f"status-{tone}-bg"] for tone in tones}) == len(tones)
    for tone in tones:
        assert f".status-{tone} {{" in CSS.read_text()


def test_status_badges_share_the_tones_across_domains():
    from compliance.core.status import status_class

    assert status_class("effective") == "badge status status-in-force"
    assert status_class("draft") == status_class("planned") == "badge status status-draft"
    assert status_class("closed") == status_class("obsolete") == "badge status status-closed"
    assert status_class("verifying") == status_class("in_progress") == \
        "badge status status-review"
    assert status_class("overdue").endswith("status-overdue")
    assert status_class("due_soon").endswith("status-due-soon")


def test_a_printed_register_names_the_organisation_and_the_day_and_hides_the_controls(
        client, make, login, clock):
    user = make.user(roles=["coordinator"], locale="vi")
    login(client, user.email)
    html = client.get("/documents/").get_data(as_text=True)
    header = re.search(r'<div class="print-header">(.*?)</div>', html, re.S).group(1)
    assert "In ngày" in header and clock.today().strftime("%d/%m/%Y") in header
    css = CSS.read_text()
    printing = css[css.index("/* Printing"):]
    assert ".print-header { display: none; }" in printing
    for hidden in ("body > nav", ".btn", ".register-filters", "form button"):
        assert hidden in printing.split("{ display: none !important; }")[0]
    assert "a[href]::after { content: none !important; }" in printing
