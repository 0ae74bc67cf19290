"""What the risk pages share: the child blueprint `risks` (endpoints `quality.risks.*`, URLs
under /risks), loading through the rule book, choices, and the risk page with its forms,
shown as first seen or again with a refused form in its place."""

from __future__ import annotations

from flask import Blueprint, redirect, render_template, url_for
from flask_babel import get_locale
from flask_login import current_user

from compliance.audit_trail.readable import history_of
from compliance.core import clock
from compliance.core.errors import DomainError
from compliance.core.http import form_error
from compliance.org import queries as org_queries
from compliance.quality.risks import queries, rules, services
from compliance.quality.risks.forms import (
    ActionForm,
    CaReviewForm,
    DoneForm,
    LinkForm,
    ReviewForm,
    RiskForm,
    StatusForm,
)
from compliance.quality.risks.labels import (
    ACTION_LABELS,
    KIND_LABELS,
    LEVEL_COLOURS,
    LEVEL_LABELS,
    OUTCOME_LABELS,
    STATE_LABELS,
    TRANSITIONS,
)

bp = Blueprint("risks", __name__, url_prefix="/risks")
DETAIL = "quality/risks/detail.html"
LABELS = {"kinds": KIND_LABELS, "states": STATE_LABELS, "level_names": LEVEL_LABELS,
          "level_colours": LEVEL_COLOURS, "action_states": ACTION_LABELS,
          "outcomes": OUTCOME_LABELS}
FORMS = {"status": StatusForm, "review": ReviewForm, "action": ActionForm, "link": LinkForm}


def locale() -> str:
    """The page's language."""
    return str(get_locale())


def readable(risk_id: int, for_update: bool = False):
    """The risk, if the signed-in user may read it (403/404 otherwise)."""
    return services.get_readable(current_user, risk_id, for_update=for_update)


def back(risk, anchor: str = ""):
    """Back to the risk's page, at the section just worked on."""
    return redirect(url_for("quality.risks.detail", risk_id=risk.id) + anchor)


# Choices ------------------------------------------------------------------------------------

def rating_choices(scale, *, blank: str | None = None) -> list[tuple[int, str]]:
    """1 … the scale's size, with a "none" first when the rating may be left out."""
    values = [(n, str(n)) for n in range(1, scale.size + 1)]
    return ([(0, blank)] if blank is not None else []) + values


def process_choices(department_id: int | None) -> list[tuple[int, str]]:
    """The department's processes (any department's, to validate before the service checks)."""
    return [(0, "—")] + [(p.id, f"{p.code} — {p.name(locale())}")
                         for p in org_queries.processes(department_id)]


def risk_form(scale, *, creating: bool, department_id: int | None = None, **kwargs) -> RiskForm:
    """The risk form with its choices: creation names the department and rates before
    treatment only; an edit carries the version and both ratings."""
    form = RiskForm(**kwargs)
    form.likelihood.choices = form.impact.choices = rating_choices(scale)
    if creating:
        del form.version, form.residual_likelihood, form.residual_impact
        allowed = rules.managed_department_ids(current_user)
        form.department_id.choices = [(i, label) for i, label in
                                      org_queries.department_choices(locale())
                                      if allowed is None or i in allowed]
    else:
        del form.department_id
        form.residual_likelihood.choices = form.residual_impact.choices = rating_choices(
            scale, blank="—")
    form.process_id.choices = process_choices(department_id)
    return form


def link_choices(risk) -> list[tuple[str, str]]:
    """The department's corrective actions and findings, as "ca:<id>" / "finding:<id>"."""
    cas, findings = queries.link_choices(risk.department_id)
    return ([(f"ca:{ca.id}", f"{ca.reference} — {ca.problem[:80]}") for ca in cas]
            + [(f"finding:{f.id}", f"{f.reference} — {f.description[:80]}") for f in findings])


def status_choices(risk) -> list[tuple[str, str]]:
    """The statuses the risk may move to from where it is."""
    return [(s, str(STATE_LABELS[s])) for s in TRANSITIONS[risk.status]]


def owner_choices() -> list[tuple[int, str]]:
    """Who may own a treatment action."""
    return [(u.id, u.name) for u in queries.owner_choices()]


def ca_review_form(department_id: int, **kwargs) -> CaReviewForm:
    """The answer form after a corrective action closed, with the department's risks."""
    form = CaReviewForm(**kwargs)
    form.risk_id.choices = [(0, "—")] + [(r.id, f"{r.reference} — {r.description[:80]}")
                                         for r in queries.department_risks(department_id)]
    return form


def posted(name: str, risk):
    """The form of one section of the risk page, bound to what was sent, with its choices."""
    form = FORMS[name]()
    _choices(name, form, risk)
    return form


def _choices(name: str, form, risk) -> None:
    if name == "status":
        form.status.choices = status_choices(risk)
    elif name == "action":
        form.owner_id.choices = owner_choices()
    elif name == "link":
        form.target.choices = link_choices(risk)


# The risk page ------------------------------------------------------------------------------

def _forms(risk, actions: frozenset, sent: dict) -> dict:
    # Blank forms (formdata=None), so one section's post never fills another's fields.
    forms = {}
    for name, cls in FORMS.items():
        if name in sent:
            forms[name] = sent[name]
            continue
        form = cls(formdata=None)
        if "version" in form:
            form.version.data = risk.version
        # The link choices are two queries: only when the page offers the form.
        if name != "link" or "link" in actions:
            _choices(name, form, risk)
        forms[name] = form
    if "review" not in sent:
        forms["review"].next_review_on.data = services.a_year_after(clock.today())
    return forms


def _done_forms(risk, on_action: dict, sent) -> dict:
    forms = {}
    for action in risk.actions:
        if "complete" not in on_action[action.id]:
            continue
        form = DoneForm(formdata=None, prefix=f"action{action.id}")
        form.version.data = action.version
        forms[action.id] = form
    if sent is not None:
        forms[sent[0]] = sent[1]
    return forms


def context(risk, sent: dict | None = None, done: tuple | None = None) -> dict:
    """Everything the risk page shows, with any refused form in its place."""
    sent = sent or {}
    actions = rules.allowed_actions(current_user, risk)
    on_action = {a.id: rules.allowed_on_action(current_user, a) for a in risk.actions}
    return dict(risk=risk, scale=services.current_scale(), today=clock.today(),
                actions=actions, on_action=on_action, forms=_forms(risk, actions, sent),
                done_forms=_done_forms(risk, on_action, done),
                refused=bool(sent or done), ca_reviews=queries.ca_reviews_of_risk(risk.id),
                history=history_of("risk", risk.id, limit=100)
                if rules.may_see_history(current_user, risk) else None, **LABELS)


def detail_page(risk):
    """The risk's page as first shown."""
    return render_template(DETAIL, **context(risk))


def invalid(risk, name: str, form):
    """The page again with one section's form as sent and its messages (400)."""
    return render_template(DETAIL, form=form, **context(risk, {name: form})), 400


def refused(risk, name: str, form, error: DomainError):
    """A service refusal at its field in its section, input kept; 403/404/409 keep their
    own page."""
    return form_error(form, error, DETAIL, **context(risk, {name: form}))


def invalid_done(risk, action, form):
    """The page again with a treatment action's done form as sent (400)."""
    return render_template(DETAIL, form=form, **context(risk, done=(action.id, form))), 400


def refused_done(risk, action, form, error: DomainError):
    """A refused "mark done" at its field, in its row."""
    return form_error(form, error, DETAIL, **context(risk, done=(action.id, form)))
