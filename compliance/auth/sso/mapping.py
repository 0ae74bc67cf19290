"""The mapping table: directory groups and token claim values to roles and department
memberships. Applied at each sign-in through a provider, so a changed rule (or a person moved
to another group) takes effect the next time they sign in; every change is in the trail."""

from __future__ import annotations

from flask_babel import gettext as _
from sqlalchemy import select

from compliance.audit_trail.services import record
from compliance.auth import rules
from compliance.auth.labels import GLOBAL_ROLES, MEMBERSHIP_ROLES
from compliance.auth.models import Membership, User, UserRole
from compliance.auth.sso.models import MappingRule
from compliance.core import signals, tenancy
from compliance.core.db import check_version
from compliance.core.errors import DomainError, NotFound
from compliance.core.extensions import db
from compliance.org.services import get_department


def all_rules(actor) -> list[MappingRule]:
    """The organisation's rules, by group then role."""
    stmt = tenancy.in_organisation(actor, select(MappingRule), MappingRule)
    return list(db.session.scalars(stmt.order_by(MappingRule.group, MappingRule.role,
                                                 MappingRule.id)))


def get_rule(actor, rule_id: int) -> MappingRule:
    """One rule of the actor's organisation, or NotFound."""
    rule = db.session.get(MappingRule, rule_id)
    if rule is None or not tenancy.same_organisation(actor, rule):
        raise NotFound(_("No such mapping rule."))
    return rule


def _check(group: str, role: str, department_id: int | None) -> tuple[str, int | None]:
    group = (group or "").strip()
    if not group:
        raise DomainError(_("Name the directory group or claim value."), field="group")
    if role not in GLOBAL_ROLES and role not in MEMBERSHIP_ROLES:
        raise DomainError(_("Unknown role."), field="role")
    if role in MEMBERSHIP_ROLES and not department_id:
        raise DomainError(_("A department role needs its department."), field="department_id")
    if role in GLOBAL_ROLES:
        return group, None
    return group, get_department(department_id).id


def create_rule(actor, group: str, role: str, department_id: int | None) -> MappingRule:
    """Add a rule; it applies from each person's next sign-in."""
    rules.ensure(rules.may_manage_users(actor))
    group, department_id = _check(group, role, department_id)
    rule = MappingRule(group=group[:500], role=role, department_id=department_id)
    db.session.add(rule)
    db.session.flush()
    record(actor, "sso.mapping_create", "sso_mapping_rule", rule.id, after=rule.snapshot())
    return rule


def update_rule(actor, rule: MappingRule, expected_version: int | None, group: str, role: str,
                department_id: int | None) -> MappingRule:
    """Change a rule; 409 when someone changed it meanwhile."""
    rules.ensure(rules.may_manage_users(actor))
    check_version(rule, expected_version, _("Someone else changed this rule while you were "
                                            "editing. Reload the page and apply your change "
                                            "again."))
    group, department_id = _check(group, role, department_id)
    before = rule.snapshot()
    rule.group, rule.role, rule.department_id = group[:500], role, department_id
    db.session.flush()
    db.session.refresh(rule, ["department"])
    record(actor, "sso.mapping_update", "sso_mapping_rule", rule.id, before=before,
           after=rule.snapshot())
    return rule


def delete_rule(actor, rule: MappingRule) -> None:
    """Remove a rule; people keep what it gave them until their next sign-in."""
    rules.ensure(rules.may_manage_users(actor))
    before = rule.snapshot()
    db.session.delete(rule)
    db.session.flush()
    record(actor, "sso.mapping_delete", "sso_mapping_rule", rule.id, before=before)


def mapped(organisation_id: int | None, groups) -> tuple[set[str], set[tuple[int, str]]]:
    """The global roles and (department id, role) memberships these groups give."""
    folded = {g.strip().casefold() for g in groups if g and g.strip()}
    stmt = select(MappingRule)
    if organisation_id is not None:
        stmt = stmt.where(MappingRule.organisation_id == organisation_id)
    roles: set[str] = set()
    memberships: set[tuple[int, str]] = set()
    for rule in db.session.scalars(stmt):
        if not rule.matches(folded):
            continue
        if rule.department_id is None:
            roles.add(rule.role)
        else:
            memberships.add((rule.department_id, rule.role))
    return roles, memberships


def apply(user: User, groups, provider: str) -> bool:
    """Give the account exactly what the rules say for its groups; returns whether anything
    changed. An organisation without rules leaves roles to the account pages."""
    organisation_id = user.organisation_id
    has_rules = db.session.scalar(select(MappingRule.id).where(
        MappingRule.organisation_id == organisation_id).limit(1)) is not None
    if not has_rules:
        return False
    roles, memberships = mapped(organisation_id, groups)
    before = user.snapshot()
    user.roles = [r for r in user.roles if r.role in roles] + [
        UserRole(role=r) for r in sorted(roles - user.global_roles)]
    have = {(m.department_id, m.role) for m in user.memberships}
    user.memberships = [m for m in user.memberships
                        if (m.department_id, m.role) in memberships] + [
        Membership(department_id=d, role=r) for d, r in sorted(memberships - have)]
    db.session.flush()
    db.session.expire(user, ["memberships"])
    after = user.snapshot()
    if after == before:
        return False
    record(user, "user.sso_mapping", "user", user.id, before=before,
           after={**after, "provider": provider, "groups": sorted(set(groups))[:50]})
    if before["memberships"] != after["memberships"]:
        signals.membership_changed.send(user, actor=user)
    return True
