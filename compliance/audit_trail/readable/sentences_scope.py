"""The sentences of the scope register, the announcements of conformity and the annual
reports on the quality system (issue 17)."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

from compliance.audit_trail.readable.spec import say, shown

SENTENCES = {
    "scope_entry.create": say(_l("%(actor)s brought “%(name)s” into the scope"),
                              name=shown("name")),
    "scope_entry.edit": say(_l("%(actor)s changed the scope entry"), changes=True),
    "scope_handling.import": say(_l("%(actor)s imported the on-time handling of %(months)s "
                                    "from %(file)s (%(rows)s rows)"), months=shown("months"),
                                 file=shown("filename"), rows=shown("rows")),
    "scope_announcement.create": say(_l("%(actor)s drafted the announcement of conformity")),
    "scope_announcement.edit": say(_l("%(actor)s changed the draft announcement"),
                                   changes=True),
    "scope_announcement.sign": say(_l("%(actor)s signed and issued the announcement of "
                                      "conformity No. %(number)s"), number=shown("number")),
    "annual_template.edit": say(_l("%(actor)s changed the annual report's template"),
                                changes=True),
    "annual_report.create": say(_l("%(actor)s drafted the annual report %(year)s"),
                                year=shown("year")),
    "annual_report.edit": say(_l("%(actor)s changed the draft annual report"), changes=True),
    "steering_member.create": say(_l("%(actor)s appointed “%(name)s” to the steering "
                                     "committee"), name=shown("name")),
    "steering_member.edit": say(_l("%(actor)s changed the steering committee member"),
                                changes=True),
    "steering_plan_task.create": say(_l("%(actor)s added “%(title)s” to the yearly plan"),
                                     title=shown("title")),
    "steering_plan_task.edit": say(_l("%(actor)s changed the task of the yearly plan"),
                                   changes=True),
    "annual_report.sign": say(_l("%(actor)s signed and issued the annual report No. "
                                 "%(number)s"), number=shown("number")),
}
FAMILIES: dict = {}
