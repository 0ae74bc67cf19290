"""The kinds of notification: what each says, in the reader's language, from stored values."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date

from flask_babel import format_date
from flask_babel import lazy_gettext as _l


@dataclass(frozen=True)
class Kind:
    """A notification kind: its message and which area of the product it belongs to."""

    message: object
    area: str
    date_keys: tuple[str, ...] = ()


KINDS: dict[str, Kind] = {
    "review_due": Kind(_l("The periodic review of %(code)s “%(title)s” is due on %(due)s."),
                       "documents", ("due",)),
    "review_due_today": Kind(_l("The periodic review of %(code)s “%(title)s” is due today."),
                             "documents"),
    "review_overdue": Kind(_l("The periodic review of %(code)s “%(title)s” was due on %(due)s "
                              "and is overdue."), "documents", ("due",)),
    "review_overdue_escalated": Kind(
        _l("The periodic review of %(code)s “%(title)s” (owner: %(owner)s) was due on %(due)s "
           "and is still not done."), "documents", ("due",)),
    "ack_outstanding": Kind(_l("Please read and acknowledge %(code)s “%(title)s”, revision "
                               "%(label)s, sent to you on %(requested)s."),
                            "documents", ("requested",)),
    "ack_outstanding_escalated": Kind(
        _l("%(reader)s has not acknowledged %(code)s “%(title)s”, revision %(label)s, sent on "
           "%(requested)s."), "documents", ("requested",)),
    "ca_action_due": Kind(_l("Corrective action %(reference)s: your action “%(action)s” is due "
                             "on %(due)s."), "capa", ("due",)),
    "ca_action_due_today": Kind(_l("Corrective action %(reference)s: your action “%(action)s” "
                                   "is due today."), "capa"),
    "ca_action_overdue": Kind(_l("Corrective action %(reference)s: the action “%(action)s” "
                                 "(owner: %(owner)s) was due on %(due)s and is overdue."),
                              "capa", ("due",)),
    "effectiveness_check_due": Kind(_l("Corrective action %(reference)s: the effectiveness check "
                                       "is due on %(due)s."), "capa", ("due",)),
    "audit_upcoming": Kind(_l("Audit %(reference)s of %(department)s starts on %(start)s."),
                           "audits", ("start",)),
    "audit_report_late": Kind(_l("Audit %(reference)s of %(department)s ended on %(end)s and its "
                                 "report is not issued yet."), "audits", ("end",)),
    "audit_reported": Kind(_l("The report of audit %(reference)s of %(department)s is issued: "
                              "%(findings)s finding(s) to answer."), "audits"),
    "certificate_expiring": Kind(_l("The ISO 9001 certificate %(number)s of %(department)s "
                                    "expires on %(expires)s."), "org", ("expires",)),
}

AREA_LABELS = {"documents": _l("Documents"), "capa": _l("Corrective actions"),
               "audits": _l("Audits"), "org": _l("Organisation")}


def dump(params: dict) -> str:
    """Stored form of a notification's values (dates as ISO text)."""
    return json.dumps(params, ensure_ascii=False, sort_keys=True,
                      default=lambda v: v.isoformat() if isinstance(v, date) else str(v))


def _localised(params: dict, kind: Kind, locale: str) -> dict:
    values: dict = {}
    for key, value in params.items():
        base, _sep, lang = key.rpartition("_")
        if lang in ("vi", "en") and base:
            if lang == locale or base not in values:
                values[base] = value
            continue
        values.setdefault(key, value)
    for key in kind.date_keys:
        if isinstance(values.get(key), str):
            values[key] = format_date(date.fromisoformat(values[key]), "short")
    return values


def render(kind_name: str, params_json: str, locale: str) -> str:
    """The notification's sentence in the active language (call under force_locale)."""
    kind = KINDS.get(kind_name)
    if kind is None:
        return kind_name
    params = json.loads(params_json or "{}")
    try:
        return str(kind.message) % _localised(params, kind, locale)
    except (KeyError, TypeError, ValueError):
        # A message changed since the notification was stored: show it without the values.
        return str(kind.message).split("%(")[0].rstrip()
