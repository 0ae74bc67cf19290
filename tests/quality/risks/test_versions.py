"""Every edited record of the register carries its version: each form as its page offers it
saves, and the same form without its version, or with an empty or stale one, is refused
(409) with nothing written (tests/test_edit_versions.py's checks, on these pages)."""

from __future__ import annotations

from compliance.core.extensions import db
from compliance.quality.risks.models import RiskAction
from tests.quality.risks.helpers import make_risk
from tests.test_edit_versions import CONFLICT, assert_refused_without_version, offered


def test_the_risk_forms_without_their_version_are_refused(app, client, make, login, clock):
    dept = make.department()
    coordinator = make.user(roles=["coordinator"])
    login(client, coordinator.email)
    risk = make_risk(app, dept.id, actor_id=coordinator.id, action_owner_id=coordinator.id)
    page = f"/risks/{risk.risk_id}"
    for action, changes in ((f"{page}/edit", {"description": "Diễn đạt lại"}),
                            (f"{page}/review", {"next_review_on": "2026-12-31"}),
                            (f"{page}/status", {"status": "accepted", "note": "Chấp nhận"})):
        editing = action.endswith("/edit")  # its own page, whose form posts to itself
        form = offered(client, action if editing else page, "" if editing else action)
        assert_refused_without_version(app, client, action, form, changes)
    form = offered(client, "/risks/scale", "")
    assert form["version"] == ["0"]  # the default scale, never stored
    assert_refused_without_version(app, client, "/risks/scale", form, {"size": "5"})

    # A treatment action's "done" carries the action's own version (its prefixed field).
    with app.app_context():
        action = db.session.get(RiskAction, risk.action_id)
    done = f"{page}/actions/{action.id}/done"
    prefix = f"action{action.id}"
    stale = client.post(done, data={f"{prefix}-note": "Xong",
                                    f"{prefix}-version": action.version + 1})
    assert stale.status_code == 409 and CONFLICT in stale.get_data(as_text=True)
    assert client.post(done, data={f"{prefix}-note": "Xong",
                                   f"{prefix}-version": action.version}).status_code == 302
