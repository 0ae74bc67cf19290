"""What a sentence is made of: its text, the values it names, the fields whose change it
lists and the free text (comment, reason) it quotes. Getters read one event's context."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from flask_babel import LazyString
from flask_babel import lazy_gettext as _l

# A getter turns an event's context into the text (or, for counts, the number) a
# placeholder of the sentence takes.
Getter = Callable[[Any], Any]


@dataclass(frozen=True)
class Spec:
    """One event code's sentence. `text` is a lazy string with %(actor)s and the placeholders
    named in `args`, or a function (context, values) -> sentence (plurals, variants).
    `changes`: False, True (every labelled field that changed) or the fields to compare.
    `notes`: (field or getter, label) pairs quoted below the sentence when there is text."""

    text: LazyString | Callable[[Any, dict], str]
    args: Mapping[str, Getter] = field(default_factory=dict)
    changes: bool | tuple[str, ...] = False
    notes: tuple[tuple[str | Getter, LazyString], ...] = ()


def say(text, *, changes: bool | tuple[str, ...] = False,
        notes: tuple[tuple[str | Getter, LazyString], ...] = (), **args: Getter) -> Spec:
    """A sentence: its text, what it compares and quotes, and its placeholders' getters."""
    return Spec(text=text, args=args, changes=changes, notes=notes)


# Getters -------------------------------------------------------------------------------------

def shown(key: str, *, before: bool = False) -> Getter:
    """The value of a field as the reader reads it (after the change, else before)."""
    return lambda ctx: ctx.show(key, ctx.before.get(key) if before else ctx.get(key))


def labelled(key: str, labels: Mapping, *, before: bool = False) -> Getter:
    """An enumerated value by its label, written to sit inside a sentence."""
    def get(ctx):
        raw = ctx.before.get(key) if before else ctx.get(key)
        return inside(str(labels[raw])) if raw in labels else ctx.show(key, raw)
    return get


def person(key: str) -> Getter:
    """A person named by their id."""
    return lambda ctx: ctx.lookups.person(ctx.get(key))


def number(key: str) -> Getter:
    """A whole number (for plurals): the length of a list, or the value itself."""
    def get(ctx):
        value = ctx.get(key)
        if isinstance(value, list | tuple | dict):
            return len(value)
        return value if isinstance(value, int) and not isinstance(value, bool) else 0
    return get


def localised(key_vi: str, key_en: str) -> Getter:
    """A text recorded in both languages, in the reader's (Vietnamese when no English)."""
    def get(ctx):
        english = ctx.get(key_en) if ctx.lookups.locale == "en" else None
        return ctx.show(key_vi, english or ctx.get(key_vi))
    return get


def entity(ctx) -> str:
    """The id of the entity the event is about (a grade's code, a chain's document type)."""
    return ctx.event.entity_id


def inside(label: str) -> str:
    """A label written inside a sentence: "Approved for use" reads "approved for use"; one
    whose first word has another capital (ISO, JavaScript) keeps its case."""
    first = label.split(" ", 1)[0]
    if len(first) < 2 or not first[0].isupper() or any(c.isupper() for c in first[1:]):
        return label
    return label[0].lower() + label[1:]


# Text that many events quote under their sentence.
REASON = ("reason", _l("Reason"))
COMMENT = ("comment", _l("Comment"))
NOTE = ("note", _l("Note"))


def but_num(found: dict) -> dict:
    """A sentence's values without `num`, which ngettext takes on its own."""
    return {key: value for key, value in found.items() if key != "num"}
