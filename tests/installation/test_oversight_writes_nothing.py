"""Oversight never grants writing: overseers of a district (a coordinator of it, and an
inspector holding no role there) send every POST route of the app with the ids of a commune
below it; every route that names a record of the commune answers 403 or 404, and the
commune's audit trail does not grow by one event. The one post oversight may make, a pack
across the subtree (READ_OUTPUTS), writes only in the overseer's own organisation."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from compliance.audit_trail.models import AuditEvent
from compliance.core import tenancy
from compliance.core.extensions import db
from compliance.installation.models import OversightGrant
from compliance.org import organisations
from tests.conftest import do_login, pdf_rendered_in_process
from tests.documents import helpers as document_helpers
from tests.documents.helpers import blank_pdf
from tests.installation.helpers import second_organisation
from tests.org.test_isolation import NOT_IDS, _world
from tests.test_permissions import BLANK_FORM, _url, routes

# The person's own session, account and notifications: they act on the overseer only.
OWN = frozenset({"auth.login", "auth.logout", "auth.language", "auth.account",
                 "auth.tokens.index", "auth.tokens.revoke",
                 "notifications.mark_all_read", "notifications.settings",
                 "auth.second_factor.code", "auth.second_factor.enrol",
                 "auth.second_factor.switch_off"})
# Still the installation's, not each organisation's (tests/org/test_isolation.py says so too):
# a grade's code is its key, so the commune's grade is the district's own.
INSTALLATION_WIDE = frozenset({"audits.grades.edit_grade"})
# The one thing oversight writes: a pack across the subtree it oversees is a record of who
# asked for which organisations' records and when, so the pack and the request's event are
# kept, in the overseer's own organisation, never in those it reads
# (tests/installation/test_oversight_packs.py builds one and checks both trails). Posted
# blank here, it is refused as a form (400), and the commune's trail stays as it was.
READ_OUTPUTS = frozenset({"evidence.subtree.build"})


def _trail_of(app, organisation_id: int) -> int:
    with app.app_context(), tenancy.across_organisations():
        return db.session.scalar(select(func.count()).select_from(AuditEvent)
                                 .where(AuditEvent.organisation_id == organisation_id))


def _actions_of(app, organisation_id: int) -> list[str]:
    with app.app_context(), tenancy.across_organisations():
        return list(db.session.scalars(select(AuditEvent.action).where(
            AuditEvent.organisation_id == organisation_id).order_by(AuditEvent.seq)))


def _post_routes(app) -> list[tuple[str, tuple[str, ...]]]:
    arguments = {rule.endpoint: tuple(sorted(rule.arguments)) for rule in app.url_map.iter_rules()}
    return [(endpoint, arguments[endpoint]) for endpoint, method in routes(app)
            if method == "POST"]


@pytest.mark.one_database
def test_an_overseer_writes_nothing_in_the_organisations_below(app, make, monkeypatch):
    # The world's documents need a PDF, not a rendered one (WeasyPrint costs seconds).
    monkeypatch.setattr(document_helpers, "_PDF", document_helpers._PDF or blank_pdf())
    with app.app_context():
        district = organisations.default_organisation().id
    commune = second_organisation(app, "TANTHANH")
    with pdf_rendered_in_process(rendered=blank_pdf()):
        theirs = _world(app, make, "B", commune)
    overseers = {"coordinator": make.user(roles=["coordinator"]), "inspector": make.user()}
    with app.app_context():
        for person in overseers.values():
            db.session.add(OversightGrant(user_id=person.id, organisation_id=district))
        db.session.commit()
    before = _trail_of(app, commune)
    answered, not_walked = {}, []
    with pdf_rendered_in_process(rendered=blank_pdf()):
        for who, person in overseers.items():
            client = app.test_client()
            assert do_login(client, person.email).status_code == 302
            # The overseer does read the commune: the grant is in force during the walk.
            assert client.get(f"/oversight/{commune}/").status_code == 200
            for endpoint, arguments in _post_routes(app):
                names_a_record = any(name not in NOT_IDS for name in arguments)
                # The coordinator's posts that name no record act in their own district.
                if endpoint in OWN | INSTALLATION_WIDE or (who == "coordinator"
                                                            and not names_a_record):
                    continue
                if any(not hasattr(theirs.ids, name) for name in arguments):
                    not_walked.append(endpoint)
                    continue
                response = client.post(_url(app, endpoint, theirs.ids, arguments),
                                       data=BLANK_FORM)
                answered[(who, endpoint)] = response.status_code
    # Once for the whole walk (a count per post cost seconds); the events say what wrote.
    assert _trail_of(app, commune) == before, _actions_of(app, commune)
    assert {key: status for key, status in answered.items() if status not in (403, 404)
            and not (key[1] in READ_OUTPUTS and status == 400)} == {}
    assert answered[("inspector", "evidence.subtree.build")] == 400
    # Every POST route was walked but those whose URL names something no GET route does.
    assert len(set(not_walked)) <= 3, sorted(set(not_walked))
