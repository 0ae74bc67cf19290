"""What the corrective-action pages share: loading through the rule book, the detail page with
its forms, and the one way a refused form on that page is shown again."""

from __future__ import annotations

from flask import redirect, render_template, url_for
from flask_babel import get_locale
from flask_login import current_user

from compliance.audit_trail.readable import history_of
from compliance.capa import queries, rules, services
from compliance.capa.forms import (
    ActionForm,
    AnalysisForm,
    CancelActionForm,
    CheckForm,
    CloseForm,
    ContainForm,
    DecisionForm,
    DoneForm,
    EditActionForm,
    FileForm,
    ReassignForm,
    RescheduleForm,
)
from compliance.capa.labels import (
    ACTION_LABELS,
    CHECK_LABELS,
    ISHIKAWA_LABELS,
    SOURCE_LABELS,
    STATE_LABELS,
)
from compliance.capa.steps import corrective_progress
from compliance.core import clock
from compliance.core.errors import DomainError
from compliance.core.http import form_error
from compliance.org import queries as org_queries

DETAIL = "capa/detail.html"
LABELS = {"states": STATE_LABELS, "sources": SOURCE_LABELS, "ishikawa": ISHIKAWA_LABELS,
          "action_states": ACTION_LABELS, "check_states": CHECK_LABELS}
FORMS = {"contain": ContainForm, "analysis": AnalysisForm, "action": ActionForm,
         "done": DoneForm, "check": CheckForm, "close": CloseForm, "decision": DecisionForm,
         "file": FileForm}
# The forms that change one open action (named as in rules.ACTION_CHANGES): one set per row,
# each with a prefix naming the action, so ids stay unique on the page and a refused form
# goes back to its own row.
CHANGE_FORMS = {"edit": EditActionForm, "reschedule": RescheduleForm,
                "reassign": ReassignForm, "cancel": CancelActionForm}


def readable(ca_id: int, for_update: bool = False):
    """The corrective action, if the signed-in user may read it (403/404 otherwise)."""
    return services.get_readable(current_user, ca_id, for_update=for_update)


def back(ca, anchor: str = ""):
    """Back to the corrective action's page, at the section just worked on."""
    return redirect(url_for("capa.detail", ca_id=ca.id) + anchor)


def action_choices(form: ActionForm, locale: str) -> None:
    """Who may own an action, and which documents an action may ask to revise."""
    form.owner_id.choices = [(u.id, u.name) for u in queries.owner_choices()]
    form.document_id.choices = [(0, "—")] + [(d.id, f"{d.code} {d.title(locale)}")
                                             for d in queries.revisable_documents()]


def affected_choices(form: AnalysisForm, ca, locale: str) -> None:
    """Departments other than the corrective action's own."""
    form.affected_ids.choices = [(i, label) for i, label in
                                 org_queries.department_choices(locale)
                                 if i != ca.department_id]


def posted(name: str, ca):
    """The form of one section, bound to what was sent, with its choices."""
    form = FORMS[name]()
    locale = str(get_locale())
    if name == "action":
        action_choices(form, locale)
    elif name == "analysis":
        # Any department validates; the service leaves out the corrective action's own.
        form.affected_ids.choices = org_queries.department_choices(locale)
    return form


def _change_form(name: str, action, owners, *, sent: bool):
    prefix = f"action{action.id}-{name}"
    form = CHANGE_FORMS[name](prefix=prefix) if sent else \
        CHANGE_FORMS[name](formdata=None, prefix=prefix)
    if name == "reassign":
        form.owner_id.choices = owners
    if not sent:
        form.version.data = action.version
        if name == "edit":
            form.description.data = action.description
        elif name == "reschedule":
            form.due_on.data = action.due_on
        elif name == "reassign":
            form.owner_id.data = action.owner_id
    return form


def posted_change(name: str, action):
    """The form that changes one action, bound to what was sent, with its choices."""
    return _change_form(name, action, _owner_pairs(), sent=True)


def _owner_pairs() -> list[tuple[int, str]]:
    return [(u.id, u.name) for u in queries.owner_choices()]


def _change_forms(ca, on_action: dict, changed) -> dict:
    # Blank forms for every change each open action allows; the one sent, as it was sent.
    wanted = [(a, name) for a in ca.actions for name in CHANGE_FORMS if name in on_action[a.id]]
    owners = _owner_pairs() if any(name == "reassign" for _a, name in wanted) else []
    forms: dict = {}
    for action, name in wanted:
        forms.setdefault(action.id, {})[name] = _change_form(name, action, owners, sent=False)
    if changed is not None:
        action_id, name, form = changed
        forms.setdefault(action_id, {})[name] = form
    return forms


def _forms(ca, sent: dict) -> dict:
    # Blank forms (formdata=None): the page must not fill one section's form with what was
    # sent to another that shares a field name (note, version, file).
    locale = str(get_locale())
    forms = {name: cls(formdata=None) for name, cls in FORMS.items()}
    for name in ("contain", "analysis", "close", "decision"):
        forms[name].version.data = ca.version
    action_choices(forms["action"], locale)
    affected_choices(forms["analysis"], ca, locale)
    forms.update(sent)
    return forms


def _context(ca, sent: dict | None = None, done_action_id: int | None = None,
             changed: tuple | None = None) -> dict:
    sent = sent or {}
    on_action = {a.id: rules.allowed_on_action(current_user, a) for a in ca.actions}
    return dict(ca=ca, forms=_forms(ca, {k: v for k, v in sent.items() if k != "done"}),
                done_sent=sent.get("done"), done_action_id=done_action_id,
                change_forms=_change_forms(ca, on_action, changed),
                changed_action_id=changed[0] if changed else None,
                today=clock.today(), actions=rules.allowed_actions(current_user, ca),
                on_action=on_action, refused=bool(sent or changed),
                problems=services.closure_problems(ca), progress=corrective_progress(ca),
                history=history_of("corrective_action", ca.id, limit=100)
                if rules.may_see_history(current_user, ca) else None, **LABELS)


def detail_page(ca):
    """The corrective action's page as first shown."""
    return render_template(DETAIL, **_context(ca))


def invalid(ca, name: str, form, done_action_id: int | None = None):
    """The page again with the section's form as sent and the message at each field (400)."""
    return render_template(DETAIL, form=form, **_context(ca, {name: form}, done_action_id)), 400


def refused(ca, name: str, form, error: DomainError, done_action_id: int | None = None):
    """A service refusal at the field it concerns, the input kept; 403/404/409 keep their
    own page."""
    field_of = getattr(form, "FIELD_OF", {})
    if error.field in field_of:
        error.field = field_of[error.field]
    return form_error(form, error, DETAIL, **_context(ca, {name: form}, done_action_id))


def invalid_change(ca, action, name: str, form):
    """The page again with one action's change form as sent and its messages (400)."""
    return render_template(DETAIL, form=form,
                           **_context(ca, changed=(action.id, name, form))), 400


def refused_change(ca, action, name: str, form, error: DomainError):
    """A refused change of one action at its field, in its row; 403/404/409 keep their page."""
    return form_error(form, error, DETAIL, **_context(ca, changed=(action.id, name, form)))
