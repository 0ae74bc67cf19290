"""Share links: no account needed, every use logged, expiry and revocation give clear pages."""

from __future__ import annotations

import re
from datetime import timedelta

from sqlalchemy import select

from compliance.audit_trail.models import AuditEvent
from compliance.core import clock
from compliance.core import db as core_db
from compliance.core.extensions import db
from compliance.evidence.models import ShareLink, ShareUse
from compliance.evidence.web import shared as share_views
from tests.evidence.helpers import pack_target

LINK = re.compile(r"/shared/([A-Za-z0-9_-]{40,})")


def _share(client, pack_id: int, days: int = 14) -> str:
    response = client.post(f"/evidence/{pack_id}/links", follow_redirects=True, data={
        "expires_on": (clock.today() + timedelta(days=days)).isoformat(),
        "note": "Tổ chức chứng nhận QUACERT"})
    assert response.status_code == 200
    return LINK.search(response.get_data(as_text=True)).group(1)


def _actions(app) -> list[str]:
    with app.app_context():
        return list(db.session.scalars(select(AuditEvent.action).order_by(AuditEvent.seq)))


def test_an_external_auditor_downloads_without_an_account_and_each_use_is_logged(
        app, make, login):
    dept = make.department()
    coordinator = make.user(roles=["coordinator"])
    pack = pack_target(app, dept.id, coordinator.id)
    client = app.test_client()
    login(client, coordinator.email)
    token = _share(client, pack.pack_id)
    with app.app_context():
        stored = db.session.scalars(select(ShareLink.token_hash)).all()
    assert token not in stored  # only the hash is kept

    outsider = app.test_client()
    outsider.environ_base.update(HTTP_USER_AGENT="AuditorBrowser/1.0",
                                 REMOTE_ADDR="198.51.100.7")
    assert outsider.get(f"/shared/{token}").status_code == 200
    response = outsider.get(f"/shared/{token}/download")
    assert response.status_code == 200 and response.data.startswith(b"%PDF")

    page = client.get(f"/evidence/{pack.pack_id}").get_data(as_text=True)
    assert page.count('data-testid="share-use"') == 2
    assert "AuditorBrowser/1.0" in page and "198.51.100.7" in page
    assert "evidence.share" in _actions(app)


def test_expired_revoked_and_unknown_links(app, make, login):
    dept = make.department()
    coordinator = make.user(roles=["coordinator"])
    pack = pack_target(app, dept.id, coordinator.id)
    client = app.test_client()
    client.environ_base["HTTP_ACCEPT_LANGUAGE"] = "en"
    login(client, coordinator.email)
    token = _share(client, pack.pack_id)
    outsider = app.test_client()
    outsider.environ_base["HTTP_ACCEPT_LANGUAGE"] = "en"

    assert outsider.get("/shared/not-a-real-token-at-all").status_code == 404
    with app.app_context():
        link = db.session.scalars(select(ShareLink).order_by(ShareLink.id.desc())).first()
        link.expires_on = clock.today() - timedelta(days=1)
        db.session.commit()
        link_id = link.id
    response = outsider.get(f"/shared/{token}")
    assert response.status_code == 410
    assert "This link expired on" in response.get_data(as_text=True)
    assert outsider.get(f"/shared/{token}/download").status_code == 410

    token = _share(client, pack.pack_id)
    with app.app_context():
        link_id = db.session.scalars(select(ShareLink.id).order_by(ShareLink.id.desc())).first()
    assert client.post(f"/evidence/{pack.pack_id}/links/{link_id}/revoke").status_code == 302
    response = outsider.get(f"/shared/{token}/download")
    assert response.status_code == 410
    assert "revoked" in response.get_data(as_text=True)
    assert "evidence.share_revoke" in _actions(app)
    # Revoking twice is refused, with a reason.
    assert client.post(f"/evidence/{pack.pack_id}/links/{link_id}/revoke").status_code == 409


def test_a_link_cannot_outlive_a_year_or_start_expired(app, make, login):
    dept = make.department()
    coordinator = make.user(roles=["coordinator"])
    pack = pack_target(app, dept.id, coordinator.id)
    client = app.test_client()
    login(client, coordinator.email)
    for day in (clock.today() - timedelta(days=1), clock.today() + timedelta(days=400)):
        response = client.post(f"/evidence/{pack.pack_id}/links",
                               data={"expires_on": day.isoformat()})
        assert response.status_code == 400
    assert client.post(f"/evidence/{pack.pack_id}/links",
                       data={"expires_on": "31/02/2026"}).status_code == 400


def test_a_shared_download_reads_the_file_before_it_takes_the_write_lock(app, make, login,
                                                                         monkeypatch):
    dept = make.department()
    coordinator = make.user(roles=["coordinator"])
    pack = pack_target(app, dept.id, coordinator.id)
    seen = []

    class Spy:
        def __init__(self, store):
            self.store = store

        def read(self, sha256):
            seen.append(core_db._write_intent.get())
            return self.store.read(sha256)

    original = share_views.get_store
    monkeypatch.setattr(share_views, "get_store", lambda: Spy(original()))
    outsider = app.test_client()
    response = outsider.get(f"/shared/{pack.token}/download")
    assert response.status_code == 200 and response.data.startswith(b"%PDF")
    assert seen == [False]
    with app.app_context():
        uses = db.session.scalars(select(ShareUse.action)).all()
    assert uses == ["download"]
