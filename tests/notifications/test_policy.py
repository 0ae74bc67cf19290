"""The notifications rule book at service level: role × relationship × action, no HTTP.

A notification is its recipient's alone, whatever the role; the scheduler page and the outbox
retry follow the coarse role table. Most rows need no database (plain stand-in users), so the
whole table runs in well under a second.
"""

from __future__ import annotations

from types import SimpleNamespace

import pytest
from sqlalchemy import select

from compliance.auth.models import User
from compliance.core.errors import NotFound, PermissionDenied
from compliance.core.extensions import db
from compliance.notifications import outbox, rules, services
from compliance.notifications.models import Notification
from tests.notifications.helpers import failed_email, notification_for

ROLES = ("admin", "coordinator", "department_head", "auditor", "staff")
DEPARTMENT_ROLES = ("department_head", "staff")


def _user(role: str, user_id: int = 1) -> SimpleNamespace:
    """A signed-in stand-in holding one role (department roles through a membership)."""
    scoped = role in DEPARTMENT_ROLES
    return SimpleNamespace(
        id=user_id, is_authenticated=True, is_active=True,
        global_roles=[] if scoped else [role],
        memberships=[SimpleNamespace(department_id=10, role=role)] if scoped else [])


def _note(user_id: int, read: bool = False) -> SimpleNamespace:
    return SimpleNamespace(id=99, user_id=user_id, read_at="yesterday" if read else None)


# (relationship to the notification) -> (may read, actions when unread, actions when read)
NOTIFICATION_POLICY = {
    "recipient": (True, {"open", "mark_read"}, {"open"}),
    "someone else": (False, set(), set()),
}


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("relationship", sorted(NOTIFICATION_POLICY))
def test_a_notification_is_its_recipients_alone_whatever_the_role(role, relationship):
    me = _user(role, user_id=1)
    owner = 1 if relationship == "recipient" else 2
    may_read, unread_actions, read_actions = NOTIFICATION_POLICY[relationship]
    assert rules.may_read(me, _note(owner)) is may_read
    assert rules.allowed_actions(me, _note(owner)) == unread_actions
    assert rules.allowed_actions(me, _note(owner, read=True)) == read_actions


# role -> (scheduler page, retry an email)
SCHEDULER_POLICY = {
    "admin": (True, True),
    "coordinator": (True, True),
    "department_head": (False, False),
    "auditor": (False, False),
    "staff": (False, False),
}


@pytest.mark.parametrize("role", ROLES)
def test_the_scheduler_page_and_retry_follow_the_role_table(role):
    me = _user(role)
    page, retry = SCHEDULER_POLICY[role]
    assert rules.may_see_scheduler(me) is page
    assert rules.may_retry_email(me) is retry
    assert rules.scheduler_actions(me) == {name for name, ok in (("read", page),
                                                                 ("retry", retry)) if ok}


def test_nobody_signed_out_reads_or_runs_anything(app):
    nobody = SimpleNamespace(id=None, is_authenticated=False, is_active=False,
                             global_roles=[], memberships=[])
    assert not rules.may_read(nobody, _note(None))
    assert rules.allowed_actions(nobody, _note(None)) == frozenset()
    assert not rules.may_see_scheduler(nobody) and not rules.may_retry_email(nobody)
    assert not rules.may_choose_email_mode(nobody)
    with app.app_context(), app.test_request_context():
        with pytest.raises(PermissionDenied):
            rules.ensure(rules.may_retry_email(nobody))
        with pytest.raises(PermissionDenied):
            services.set_email_mode(nobody, "digest")


def test_visible_notifications_keeps_the_users_own_rows(app, make):
    me, other = make.user(), make.user()
    mine = notification_for(app, me.id, "policy:mine")
    notification_for(app, other.id, "policy:theirs")
    with app.app_context():
        user = db.session.get(User, me.id)
        ids = db.session.scalars(rules.visible_notifications(user, select(Notification.id)))
        assert list(ids) == [mine]


def test_services_refuse_as_the_rules_say(app, make):
    me, other = make.user(), make.user_with_role("coordinator")
    theirs = notification_for(app, other.id, "policy:theirs")
    email_id = failed_email(app)
    with app.app_context(), app.test_request_context():
        user = db.session.get(User, me.id)
        # Someone else's notification is not found, not forbidden: its existence is private.
        with pytest.raises(NotFound):
            services.mark_read(user, theirs)
        assert services.mark_all_read(user) == 0
        with pytest.raises(PermissionDenied):
            outbox.retry(user, email_id)
        coordinator = db.session.get(User, other.id)
        assert outbox.retry(coordinator, email_id).status == "waiting"
        assert services.mark_read(coordinator, theirs).read_at is not None
        db.session.rollback()
