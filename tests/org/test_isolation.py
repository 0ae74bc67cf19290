"""Isolation between organisations, proven (issue 14): two organisations built alike, with the
same department codes and document codes; every role of each walks every GET route of the
app with the other's ids and finds nothing of it: not listed, not readable, not searchable,
not exportable."""

from __future__ import annotations

from types import SimpleNamespace

import pytest
from sqlalchemy import update

from compliance.auth.models import User
from compliance.core import tenancy
from compliance.core.extensions import db
from compliance.documents.models import Document
from compliance.org import organisations
from compliance.org.models import Department, Process
from tests import factories
from tests.conftest import do_login, pdf_rendered_in_process
from tests.documents.helpers import blank_pdf
from tests.test_permissions import ROLES, _targets, _url, _world_kind, routes

SIGNED_IN = ROLES[1:]
# Written into every name and title of an organisation's rows: a page of the other
# organisation that shows one has shown its record.
MARKERS = {"A": "ORGAMARKER", "B": "ORGBMARKER"}
# URL arguments that name no record (a year, a format, a document type...).
# A grade's code names each organisation's own grade of that code (copied at its creation).
NOT_IDS = frozenset({"year", "half", "fmt", "doc_type", "lang", "token", "scope", "period",
                     "kind", "filename", "code", "grade_code"})
INSTALLATION_WIDE: frozenset[str] = frozenset()
# Public by design: every organisation's public register (and its documents) is anyone's to
# read; tests/installation/test_public.py proves each lists only its own organisation's.
PUBLIC_BY_DESIGN = frozenset({"public.organisation_register", "public.organisation_download"})


def _get_routes(app) -> list[tuple[str, tuple[str, ...]]]:
    arguments = {rule.endpoint: tuple(sorted(rule.arguments)) for rule in app.url_map.iter_rules()}
    return [(endpoint, arguments[endpoint]) for endpoint, method in routes(app) if method == "GET"]


def _world(app, make, key: str, organisation_id: int) -> SimpleNamespace:
    """One organisation's world: a person per role, and the rows every GET route names (one
    set per kind of route, the same codes in each organisation), all marked."""
    with tenancy.acting_for(organisation_id):
        # The same sequence in each organisation: the same department codes (D000, D001...).
        factories.DepartmentFactory.reset_sequence(0)
        users = {role: make.user_with_role(role) for role in SIGNED_IN}
        ids: dict[str, object] = {}
        kinds = {}
        for endpoint, arguments in _get_routes(app):
            if arguments:
                kinds.setdefault(_world_kind(endpoint), endpoint)
        for endpoint in kinds.values():
            built = _targets(app, make, users["coordinator"], "coordinator", endpoint,
                             keys=("other",))["other"]
            ids.update({name: value for name, value in vars(built).items()
                        if name not in ids})
        marker = MARKERS[key]
        with app.app_context():
            for model, columns in ((Department, ("name_vi", "name_en")),
                                   (Process, ("name_vi", "name_en")),
                                   (Document, ("title_vi", "title_en")), (User, ("name",))):
                db.session.execute(update(model).where(
                    model.organisation_id == organisation_id).values(
                    {column: getattr(model, column) + f" {marker}" for column in columns})
                    .execution_options(synchronize_session=False))
            db.session.commit()
            codes = set(db.session.scalars(db.select(Department.code).where(
                Department.organisation_id == organisation_id)))
            document_codes = set(db.session.scalars(db.select(Document.code).where(
                Document.organisation_id == organisation_id)))
            # The trail names people by e-mail: none of theirs may show elsewhere.
            emails = set(db.session.scalars(db.select(User.email).where(
                User.organisation_id == organisation_id)))
    return SimpleNamespace(users=users, ids=SimpleNamespace(**ids), codes=codes,
                           document_codes=document_codes, marker=marker, emails=emails)


@pytest.fixture
def two_organisations(app, make):
    """The default organisation (A) and a second one (B), built alike."""
    with app.app_context():
        second = organisations.create_organisation(code="XA", name_vi="Xã Tân Thạnh",
                                                   name_en="Tan Thanh Commune")
        db.session.commit()
        ids = {"A": organisations.default_organisation().id, "B": second.id}
    with pdf_rendered_in_process(rendered=blank_pdf()):
        return {key: _world(app, make, key, organisation_id)
                for key, organisation_id in ids.items()}


def _walk(app, client, theirs: SimpleNamespace) -> list[str]:
    """Every GET route, with the other organisation's ids where it names a record; what
    showed or answered anything of theirs."""
    leaks = []
    for endpoint, arguments in _get_routes(app):
        if endpoint in INSTALLATION_WIDE | PUBLIC_BY_DESIGN or any(not hasattr(theirs.ids, name)
                                                for name in arguments):
            continue
        url = _url(app, endpoint, theirs.ids, arguments)
        response = client.get(url)
        body = response.get_data(as_text=True) if response.mimetype.startswith(
            ("text/", "application/json")) else ""
        names_a_record = any(name not in NOT_IDS for name in arguments)
        if response.status_code >= 500:
            leaks.append(f"{url}: {response.status_code}")
        elif names_a_record and response.status_code == 200:
            leaks.append(f"{url}: 200 with the other organisation's id")
        elif theirs.marker in body or any(email in body for email in theirs.emails):
            leaks.append(f"{url}: shows the other organisation's rows")
    for term in (theirs.marker, *sorted(theirs.document_codes)[:2]):
        body = client.get(f"/documents/?q={term}").get_data(as_text=True)
        # The term itself is echoed in the search box: their titles are what must not show.
        if f"Test procedure {theirs.marker}" in body or f"kiểm thử {theirs.marker}" in body:
            leaks.append(f"search {term}: found the other organisation's documents")
        # The search box of the navigation bar: no kind of record of theirs, no person.
        found = client.get(f"/search?q={term}").get_data(as_text=True)
        if f"{theirs.marker}</a>" in found or any(email in found for email in theirs.emails):
            leaks.append(f"/search?q={term}: found the other organisation's records")
    return leaks


@pytest.mark.one_database
def test_no_role_of_either_organisation_reaches_the_others_records(app, two_organisations):
    worlds = two_organisations
    # Built alike: the same department codes and document codes in both.
    assert worlds["A"].codes == worlds["B"].codes
    assert worlds["A"].document_codes & worlds["B"].document_codes
    leaks = {}
    with pdf_rendered_in_process(rendered=blank_pdf()):
        for key, other in (("A", "B"), ("B", "A")):
            for role, user in worlds[key].users.items():
                client = app.test_client()
                assert do_login(client, user.email).status_code == 302
                # Their own records are there to be seen: the walk's markers mean something.
                assert worlds[key].marker in client.get("/documents/").get_data(as_text=True) \
                    or role == "department_head" or role == "staff"
                found = _walk(app, client, worlds[other])
                if found:
                    leaks[(key, role)] = found
    assert leaks == {}, "\n".join(f"{who}: {line}" for who, lines in leaks.items()
                                   for line in lines)
