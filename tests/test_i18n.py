"""Vietnamese catalogues complete and compiled; the interface speaks the user's language."""

from __future__ import annotations

import re
from datetime import UTC, datetime
from pathlib import Path

import pytest
from babel.messages.frontend import CommandLineInterface
from babel.messages.mofile import read_mo
from babel.messages.pofile import read_po
from flask_babel import force_locale, gettext, pgettext
from flask_wtf import FlaskForm
from wtforms import StringField
from wtforms.i18n import messages_path
from wtforms.validators import Length

from compliance.audit_trail import services as trail
from compliance.auth.models import User
from compliance.core.extensions import db
from compliance.core.i18n import TRANSLATIONS_DIR

# Catalogues and the language of a page: the same on either database.
pytestmark = pytest.mark.one_database

ROOT = Path(__file__).resolve().parents[1]
LOCALES = ["vi"]
DOMAINS = ["messages", "wtforms"]
# Must match scripts/i18n: Flask-Babel's lazy variants are not among Babel's default keywords.
KEYWORDS = ["-k", "_l", "-k", "lazy_gettext", "-k", "lazy_ngettext:1,2", "-k", "lazy_pgettext:1c,2"]
PLACEHOLDER = re.compile(r"%(?:\((\w+)\))?[-#0 +]*\d*(?:\.\d+)?[sdifrx%]")


def _catalogue(locale: str, domain: str):
    with open(TRANSLATIONS_DIR / locale / "LC_MESSAGES" / f"{domain}.po", "rb") as f:
        return read_po(f, locale=locale, domain=domain)


def _strings(message) -> tuple[str, ...]:
    # Plural entries hold a tuple (a list when read from a .mo file).
    string = message.string
    return tuple(string) if isinstance(string, (tuple, list)) else (string,)


def _ids(catalogue) -> set:
    return {m.id for m in catalogue if m.id}


@pytest.mark.parametrize("domain", DOMAINS)
@pytest.mark.parametrize("locale", LOCALES)
def test_catalogue_is_fully_translated(locale, domain):
    catalogue = _catalogue(locale, domain)
    untranslated = [m.id for m in catalogue if m.id and not all(_strings(m))]
    fuzzy = [m.id for m in catalogue if m.id and m.fuzzy]
    assert not untranslated, f"untranslated in {locale}/{domain}.po: {untranslated}"
    assert not fuzzy, f"fuzzy in {locale}/{domain}.po: {fuzzy}"
    assert not catalogue.fuzzy, f"{locale}/{domain}.po header is marked fuzzy"


@pytest.mark.parametrize("domain", DOMAINS)
@pytest.mark.parametrize("locale", LOCALES)
def test_translations_keep_their_placeholders(locale, domain):
    catalogue = _catalogue(locale, domain)
    problems = [(m.id, [str(e) for e in errors]) for m, errors in catalogue.check()]
    for message in catalogue:
        if not message.id:
            continue
        source = message.id[0] if isinstance(message.id, tuple) else message.id
        wanted = sorted(PLACEHOLDER.findall(source))
        for string in filter(None, _strings(message)):
            if sorted(PLACEHOLDER.findall(string)) != wanted:
                problems.append((message.id, string))
    assert not problems


def test_every_marked_string_is_in_the_vietnamese_catalogue(tmp_path):
    pot = tmp_path / "fresh.pot"
    # The same command as scripts/i18n; "_"-prefixed folders (templates/_macros) included.
    CommandLineInterface().run(
        ["pybabel", "-q", "extract", "-F", str(ROOT / "babel.cfg"), *KEYWORDS,
         "--ignore-dirs", ".* __pycache__ node_modules", "-o", str(pot), str(ROOT)])
    with open(pot, "rb") as f:
        extracted = _ids(read_po(f))
    assert "Sign out" in extracted, "templates/_partials was not scanned"
    assert "Please sign in to continue." in extracted, "lazy_gettext (_l) was not scanned"
    for locale in LOCALES:
        missing = sorted(map(str, extracted - _ids(_catalogue(locale, "messages"))))
        assert not missing, (f"{len(missing)} marked strings are missing from {locale}/messages.po;"
                             f" run scripts/i18n and translate them: {missing}")


def test_every_wtforms_message_is_in_the_vietnamese_catalogue():
    with open(Path(messages_path()) / "wtforms.pot", "rb") as f:
        upstream = _ids(read_po(f))
    for locale in LOCALES:
        missing = sorted(map(str, upstream - _ids(_catalogue(locale, "wtforms"))))
        assert not missing, f"WTForms messages missing from {locale}/wtforms.po: {missing}"


@pytest.mark.parametrize("domain", DOMAINS)
@pytest.mark.parametrize("locale", LOCALES)
def test_compiled_catalogue_matches_its_source(locale, domain):
    folder = TRANSLATIONS_DIR / locale / "LC_MESSAGES"
    with open(folder / f"{domain}.mo", "rb") as f:
        compiled = {(tuple(m.id) if isinstance(m.id, list) else m.id): _strings(m)
                    for m in read_mo(f) if m.id}
    source = {m.id: _strings(m) for m in _catalogue(locale, domain)
              if m.id and not m.fuzzy and all(_strings(m))}
    assert compiled == source, f"{locale}/{domain}.mo is stale: run scripts/i18n"


# Through the web --------------------------------------------------------------------------

def _page(response) -> str:
    return response.get_data(as_text=True)


def test_sign_in_page_is_vietnamese_by_default_and_english_on_request(client):
    vi = _page(client.get("/login"))
    assert '<html lang="vi">' in vi
    assert "Đăng nhập" in vi and "Mật khẩu" in vi
    en = _page(client.get("/login", headers={"Accept-Language": "en-GB,en;q=0.8"}))
    assert '<html lang="en">' in en
    assert "Sign in" in en and "Đăng nhập" not in en


def test_flask_login_prompt_is_translated(client):
    response = client.get("/account", follow_redirects=True)
    assert "Vui lòng đăng nhập để tiếp tục." in _page(response)


def test_required_field_error_follows_the_language(client):
    vi = client.post("/login", data={"email": "", "password": ""})
    assert vi.status_code == 400
    assert "Trường này là bắt buộc." in _page(vi)
    en = client.post("/login", data={"email": "", "password": ""},
                     headers={"Accept-Language": "en"})
    assert "This field is required." in _page(en)
    assert "Trường này là bắt buộc." not in _page(en)


def test_wtforms_plural_messages_are_translated(app):
    class Form(FlaskForm):
        code = StringField("code", validators=[Length(min=3)])

    for language, expected in (("vi", "Trường này phải có ít nhất 3 ký tự."),
                               ("en", "Field must be at least 3 characters long.")):
        with app.test_request_context("/", method="POST", data={"code": "x"},
                                      headers={"Accept-Language": language}):
            form = Form(meta={"csrf": False})
            assert not form.validate()
            assert form.code.errors == [expected]


def test_signed_in_user_sees_their_language_and_the_switch_sticks(app, client, make, login):
    user = make.user(locale="vi")
    assert login(client, user.email).status_code == 302
    home = _page(client.get("/"))
    assert "Trang chủ" in home and "Đăng xuất" in home

    switched = client.post("/language", data={"locale": "en", "next": "/"})
    assert switched.status_code == 302 and switched.headers["Location"] == "/"
    home = _page(client.get("/", headers={"Accept-Language": "vi"}))
    assert "Home" in home and "Sign out" in home and "Đăng xuất" not in home
    with app.app_context():
        assert db.session.get(User, user.id).locale == "en"

    client.post("/logout")
    assert login(client, user.email).status_code == 302
    assert "Sign out" in _page(client.get("/", headers={"Accept-Language": "vi"}))


def test_choice_made_before_sign_in_is_kept_for_the_user(app, client, make, login):
    user = make.user(locale="en")
    client.post("/language", data={"locale": "vi", "next": "/login"})
    assert "Đăng nhập" in _page(client.get("/login", headers={"Accept-Language": "en"}))
    assert login(client, user.email).status_code == 302
    assert "Đăng xuất" in _page(client.get("/"))
    with app.app_context():
        assert db.session.get(User, user.id).locale == "vi"


def test_dates_are_shown_in_the_organisation_time_zone(app, client, make, login):
    user = make.user(roles=["admin"], locale="vi")
    with app.app_context():
        event = trail.record(None, "test.clock", "test", 1)
        event.occurred_at = datetime(2026, 1, 1, 20, 0, tzinfo=UTC)
        event.hash = trail.compute_hash(event)
        db.session.commit()
    login(client, user.email)
    # 20:00 UTC is 03:00 the next morning in Hà Nội (UTC+7); day first in both languages.
    vi = _page(client.get("/audit-trail/"))
    assert 'datetime="2026-01-01T20:00:00Z">02/01/2026 03:00</time>' in vi
    client.post("/language", data={"locale": "en"})
    en = _page(client.get("/audit-trail/"))
    assert ">2 Jan 2026, 03:00</time>" in en


def test_service_messages_outside_a_request_do_not_fail(runner):
    # The CLI has an app context but no request: the locale selector must still answer.
    result = runner.invoke(args=["create-admin", "--email", "root@example.test",
                                 "--name", "Root", "--password", "short"])
    assert result.exit_code == 1
    assert "at least 10 characters" in result.output
    assert "Traceback" not in result.output


def test_one_english_word_with_two_meanings_gets_the_right_vietnamese(app, client, make, login):
    """'To' of a period is not an addressee, 'Open' on a button is not a state, the link to a
    six-monthly report is not an audit report."""
    user = make.user(locale="vi", roles=["coordinator"])
    assert login(client, user.email).status_code == 302
    evidence = _page(client.get("/evidence/"))
    assert "Đến ngày" in evidence and "Người nhận" not in evidence
    reports = _page(client.get("/reports/"))
    assert ">Báo cáo</a>" in reports and "Báo cáo đánh giá" not in reports
    with app.test_request_context(), force_locale("vi"):
        assert pgettext("verb", "Open") == "Mở"
        assert gettext("Open") == "Đang mở"
