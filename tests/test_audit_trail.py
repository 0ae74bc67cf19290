"""The hash chain: recording, verifying, and catching every kind of tampering."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import text

from compliance.audit_trail import services
from compliance.auth.models import User
from compliance.core.db import write_intent
from compliance.core.extensions import db

SEQ_CELL = re.compile(r"<tr><td>(\d+)</td>")


def _record_events(app, n: int) -> None:
    with app.app_context(), write_intent():
        for i in range(1, n + 1):
            services.record(None, "test.change", "thing", i, before={"n": i - 1},
                            after={"n": i, "label": "Tiếng Việt"})
        db.session.commit()


def _sql(app, *statements: str, **params) -> None:
    """Change the stored rows behind the application's back, as an intruder would."""
    with app.app_context():
        for statement in statements:
            db.session.execute(text(statement), params)
        db.session.commit()


def _verify(app) -> services.Verdict:
    with app.app_context():
        return services.verify()


def test_recorded_events_verify(app):
    _record_events(app, 5)
    verdict = _verify(app)
    assert verdict.ok
    assert verdict.checked == 5
    with app.app_context():
        head = db.session.scalar(text("SELECT hash FROM audit_event WHERE seq = 5"))
    assert verdict.head == head


def test_empty_trail_verifies(app):
    verdict = _verify(app)
    assert verdict.ok and verdict.checked == 0 and verdict.head is None


def test_events_chain_to_their_predecessor(app):
    _record_events(app, 3)
    with app.app_context():
        rows = db.session.execute(
            text("SELECT seq, prev_hash, hash FROM audit_event ORDER BY seq")).all()
    assert rows[0].prev_hash == services.GENESIS
    assert rows[1].prev_hash == rows[0].hash
    assert rows[2].prev_hash == rows[1].hash


@pytest.mark.parametrize(("column", "value"), [
    ("action", "test.innocent"),
    ("after_json", '{"n":999}'),
    ("actor_label", "someone.else@example.test"),
    ("entity_id", "42"),
])
def test_an_edited_field_is_detected(app, column, value):
    _record_events(app, 6)
    _sql(app, f"UPDATE audit_event SET {column} = :value WHERE seq = 3",  # noqa: S608
         value=value)
    verdict = _verify(app)
    assert not verdict.ok
    assert verdict.broken_at == 3
    assert "altered" in verdict.reason
    assert verdict.checked == 2


def test_an_edit_with_a_recomputed_hash_breaks_the_next_link(app):
    _record_events(app, 6)
    with app.app_context():
        event = db.session.get(services.AuditEvent, 3)
        event.action = "test.innocent"
        event.hash = services.compute_hash(event)
        db.session.commit()
    verdict = _verify(app)
    assert not verdict.ok
    assert verdict.broken_at == 4
    assert "does not follow event 3" in verdict.reason


def test_a_deleted_middle_event_is_detected(app):
    _record_events(app, 6)
    _sql(app, "DELETE FROM audit_event WHERE seq = 3")
    verdict = _verify(app)
    assert not verdict.ok
    # Event 4 is the first one present that no longer fits; the reason names the gap.
    assert verdict.broken_at == 4
    assert "event 3 is missing" in verdict.reason


def test_a_deleted_first_event_is_detected(app):
    _record_events(app, 3)
    _sql(app, "DELETE FROM audit_event WHERE seq = 1")
    verdict = _verify(app)
    assert not verdict.ok and verdict.broken_at == 2
    assert "event 1 is missing" in verdict.reason


def test_reordered_events_are_detected(app):
    _record_events(app, 6)
    # Exchange the places of events 3 and 4, in the installation's order and in the
    # organisation's chain (a parking value avoids the key clash).
    _sql(app, "UPDATE audit_event SET seq = 1000, position = 1000 WHERE seq = 3",
         "UPDATE audit_event SET seq = 3, position = 3 WHERE seq = 4",
         "UPDATE audit_event SET seq = 4, position = 4 WHERE seq = 1000")
    verdict = _verify(app)
    assert not verdict.ok
    assert verdict.broken_at == 3
    assert "does not follow event 2" in verdict.reason


def test_swapped_contents_are_detected(app):
    _record_events(app, 6)
    with app.app_context():
        third, fourth = db.session.execute(text(
            "SELECT action, entity_id, before_json, after_json FROM audit_event "
            "WHERE seq IN (3, 4) ORDER BY seq")).all()
    # Swap the recorded facts of events 3 and 4, keeping their positions and hashes.
    for seq, row in ((3, fourth), (4, third)):
        with app.app_context():
            db.session.execute(text(
                "UPDATE audit_event SET action = :action, entity_id = :entity_id, "
                "before_json = :before_json, after_json = :after_json WHERE seq = :seq"),
                {**row._asdict(), "seq": seq})
            db.session.commit()
    verdict = _verify(app)
    assert not verdict.ok
    assert verdict.broken_at == 3
    assert "altered" in verdict.reason


def test_cli_verify_exit_codes(app, runner):
    _record_events(app, 4)
    intact = runner.invoke(args=["audit-trail", "verify"])
    assert intact.exit_code == 0, intact.output
    assert "Audit trail intact: 4 events" in intact.output

    _sql(app, "UPDATE audit_event SET after_json = :v WHERE seq = 2", v="{}")
    broken = runner.invoke(args=["audit-trail", "verify"])
    assert broken.exit_code == 1
    assert "BROKEN at event 2" in broken.output
    assert "Traceback" not in broken.output


def test_trail_pages_page_by_sequence(app, client, as_role):
    _record_events(app, 119)
    as_role("admin")  # signing in adds event 120
    first = client.get("/audit-trail/")
    assert first.status_code == 200
    first_page = [int(s) for s in SEQ_CELL.findall(first.get_data(as_text=True))]
    assert first_page == list(range(120, 70, -1))
    assert 'href="/audit-trail/?before=71">Older events' in first.get_data(as_text=True)

    second = client.get("/audit-trail/?before=71")
    assert [int(s) for s in SEQ_CELL.findall(second.get_data(as_text=True))] == \
        list(range(70, 20, -1))

    last = client.get("/audit-trail/?before=21")
    body = last.get_data(as_text=True)
    assert [int(s) for s in SEQ_CELL.findall(body)] == list(range(20, 0, -1))
    assert "Older events" not in body
    assert SEQ_CELL.findall(client.get("/audit-trail/?before=0").get_data(as_text=True)) == []


def test_verify_page_shows_verdict(app, client, as_role):
    _record_events(app, 3)
    as_role("admin")
    page = client.get("/audit-trail/verify")
    assert page.status_code == 200
    assert "The chain is intact: 4 events checked." in page.get_data(as_text=True)

    _sql(app, "DELETE FROM audit_event WHERE seq = 2")
    page = client.get("/audit-trail/verify")
    assert page.status_code == 200
    body = page.get_data(as_text=True)
    assert "The chain is broken at event 3." in body
    assert "event 2 is missing" in body


def test_staff_cannot_read_the_trail(client, as_role):
    as_role("staff")
    assert client.get("/audit-trail/").status_code == 403
    assert client.get("/audit-trail/verify").status_code == 403


def test_the_actor_is_recorded_by_id_and_address(app, make):
    user = make.user(email="actor@example.com")
    with app.app_context(), write_intent():
        actor = db.session.get(User, user.id)
        event = services.record(actor, "test.change", "thing", 1)
        anonymous = services.record(None, "auth.login_failed", "user", "-",
                                    actor_label="anonymous")
        system = services.record(None, "job.run", "job", "sweep")
        db.session.commit()
        assert (event.actor_id, event.actor_label) == (user.id, "actor@example.com")
        assert (anonymous.actor_id, anonymous.actor_label) == (None, "anonymous")
        assert (system.actor_id, system.actor_label) == (None, "system")
    assert _verify(app).ok


def test_the_way_in_is_kept_with_the_actor_and_hashed(app, make):
    user = make.user(email="api@example.com")
    with app.app_context(), write_intent():
        actor = db.session.get(User, user.id)
        event = services.record(actor, "test.change", "thing", 1, via="token 7")
        db.session.commit()
        assert event.actor_label == "api@example.com via token 7"
    assert services.describe_actor(None, via="oidc") == "system via oidc"
    _sql(app, "UPDATE audit_event SET actor_label = 'api@example.com' WHERE seq = 1")
    verdict = _verify(app)
    assert not verdict.ok and verdict.broken_at == 1
