"""The rule book of retention, disposition and legal holds: ISO coordinators (and
administrators) set the rules, decide dispositions and place and lift holds; whoever reads
the history of documents (auditors too) sees the holds."""

from __future__ import annotations

from compliance.auth.permissions import can


def may_manage_retention(user) -> bool:
    """Set the retention rules of document types and a document's own retention."""
    return can(user, "documents.manage")


def may_dispose(user) -> bool:
    """See what falls due for disposition and decide it (destroy, keep longer, transfer)."""
    return can(user, "documents.manage")


def may_place_hold(user) -> bool:
    """Place a legal hold, and lift it (signed)."""
    return can(user, "documents.manage")


def may_see_holds(user) -> bool:
    """The list of holds and the holds on a document's page."""
    return can(user, "documents.read_history")


def allowed_actions(user) -> frozenset:
    """The retention and hold parts of a document's page this person may see."""
    actions = set()
    if may_manage_retention(user):
        actions.add("retention")
    if may_place_hold(user):
        actions.add("hold")
    if may_see_holds(user):
        actions.add("see_holds")
    return frozenset(actions)
