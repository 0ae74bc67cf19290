"""One renderer for every record page: each event becomes a sentence in the reader's
language, with the fields it changed (before → after) and the text it quotes."""

from __future__ import annotations

from dataclasses import dataclass

from flask_babel import LazyString, gettext
from flask_babel import lazy_gettext as _l

from compliance.audit_trail import services
from compliance.audit_trail.models import AuditEvent
from compliance.audit_trail.readable import registry, values
from compliance.audit_trail.readable.fields import fields_of, label_of
from compliance.audit_trail.readable.lookups import Lookups, snapshot
from compliance.audit_trail.readable.spec import Spec
from compliance.core.locale import format_moment, machine_moment

# Who did it, when the trail names no person: its label (services.describe_actor).
SPECIAL_ACTORS = {"system": _l("The system"),
                  "public": _l("A visitor to the public register"),
                  "anonymous": _l("Someone who was not signed in"),
                  "evidence-worker": _l("The evidence pack worker")}
# Free text quoted under a sentence may be longer than a changed value.
LONGEST_NOTE = 1000


@dataclass(frozen=True)
class Change:
    """One field an event changed, in words."""

    label: str
    before: str
    after: str


@dataclass(frozen=True)
class Line:
    """One event as a page shows it."""

    seq: int
    sentence: str
    moment: str
    stamp: str
    changes: tuple[Change, ...] = ()
    notes: tuple[str, ...] = ()


class Context:
    """One event as its sentence reads it: the snapshots and the names of the page."""

    def __init__(self, event: AuditEvent, lookups: Lookups):
        self.event, self.lookups = event, lookups
        self.before, self.after = snapshot(event.before_json), snapshot(event.after_json)

    def get(self, key: str, default=None):
        """The value after the change, else before it."""
        return self.after.get(key, self.before.get(key, default))

    def show(self, key: str, value, *, longest: int = values.LONGEST) -> str:
        """A value of this event's record, in words."""
        return values.show(self.event.entity_type, key, value, self.lookups, longest=longest)


def history_of(entity_type: str, entity_id, limit: int = 100) -> list[Line]:
    """The readable history of one record, newest first."""
    return describe(services.history(entity_type, entity_id, limit=limit))


def describe(events: list[AuditEvent]) -> list[Line]:
    """Events as lines of history, the names they need read once for all of them."""
    lookups = Lookups(events)
    return [line(event, lookups) for event in events]


def line(event: AuditEvent, lookups: Lookups) -> Line:
    """One event as a sentence, with its changes and quoted text."""
    ctx = Context(event, lookups)
    spec = registry.spec_for(event.action)
    found = {"actor": actor(event, lookups)}
    found.update({name: get(ctx) for name, get in spec.args.items()})
    return Line(seq=event.seq, sentence=sentence(spec, ctx, found),
                moment=format_moment(event.occurred_at, "time_first"), stamp=stamp(event),
                changes=tuple(changes(spec, ctx)), notes=tuple(notes(spec, ctx)))


def sentence(spec: Spec, ctx: Context, found: dict) -> str:
    """The spec's text with its values in place."""
    if isinstance(spec.text, LazyString | str):
        return str(spec.text) % found
    return spec.text(ctx, found)


def actor(event: AuditEvent, lookups: Lookups) -> str:
    """Who did it: the person's name, else what the trail calls the system or a visitor."""
    base, _sep, via = (event.actor_label or "").partition(" via ")
    if event.actor_id is not None and event.actor_id in lookups.people:
        name = lookups.people[event.actor_id]
    elif base in SPECIAL_ACTORS or not base:
        name = str(SPECIAL_ACTORS.get(base, SPECIAL_ACTORS["system"]))
    else:
        name = base
    return f"{name} ({through(via)})" if via else name


def through(via: str) -> str:
    """What an event was done through, in words: an API token by its name and number."""
    kind, _sep, rest = via.partition(" ")
    number, _sep, name = rest.partition(" ")
    if kind == "token" and number.isdigit():
        return gettext("through the API token “%(name)s” (no. %(number)s)", name=name,
                       number=number)
    return via


def stamp(event: AuditEvent) -> str:
    """The moment for a <time datetime>: UTC, to the second."""
    return machine_moment(event.occurred_at)


def changes(spec: Spec, ctx: Context) -> list[Change]:
    """The labelled fields whose value the event changed, before → after."""
    if not spec.changes:
        return []
    entity_type = ctx.event.entity_type
    named = spec.changes if isinstance(spec.changes, tuple) else fields_of(entity_type)
    found = []
    for key in named:
        label = label_of(entity_type, key)
        if label is None or key not in ctx.after or (spec.changes is True
                                                      and key not in ctx.before):
            continue
        before, after = ctx.before.get(key), ctx.after.get(key)
        if before != after:
            found.append(Change(str(label), ctx.show(key, before), ctx.show(key, after)))
    return found


def notes(spec: Spec, ctx: Context) -> list[str]:
    """The free text the event holds (a comment, a reason), each under its label."""
    found = []
    for key, label in spec.notes:
        if callable(key):  # a getter that writes the text itself ("" for nothing to say)
            text = key(ctx)
        else:
            value = ctx.after.get(key)
            text = "" if value in (None, "", []) else ctx.show(key, value, longest=LONGEST_NOTE)
        if text:
            found.append(f"{label}: {text}")
    return found
