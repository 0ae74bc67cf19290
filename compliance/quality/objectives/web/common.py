"""What the objective pages share: the blueprint, loading through the rule book, the choices
of the forms, and the objective's page with its forms (as first shown, or with one form
sent back with its messages)."""

from __future__ import annotations

from flask import Blueprint, redirect, render_template, url_for
from flask_babel import format_decimal, get_locale
from flask_babel import gettext as _
from flask_login import current_user

from compliance.audit_trail.readable import history_of
from compliance.core import clock
from compliance.core.errors import DomainError
from compliance.core.http import form_error
from compliance.org import queries as org_queries
from compliance.quality.objectives import queries, rules, services
from compliance.quality.objectives.forms import (
    DeleteForm,
    DoneForm,
    EvaluationForm,
    MeasurementFields,
    PlanItemForm,
    ProgressForm,
    ReopenForm,
)
from compliance.quality.objectives.labels import (
    DIRECTION_LABELS,
    ITEM_LABELS,
    MEASUREMENT_LABELS,
    RESULT_LABELS,
    STATUS_LABELS,
)
from compliance.quality.objectives.models import PlanItem

bp = Blueprint("objectives", __name__, url_prefix="/objectives")
DETAIL = "quality/objectives/detail.html"
LABELS = {"statuses": STATUS_LABELS, "results": RESULT_LABELS, "item_states": ITEM_LABELS,
          "measurements": MEASUREMENT_LABELS, "directions": DIRECTION_LABELS}
# The forms of the objective's page, by section.
FORMS = {"item": PlanItemForm, "progress": ProgressForm, "evaluation": EvaluationForm}
ROW_FORMS = {"done": DoneForm, "reopen": ReopenForm}


def quantity(value: float | None) -> str:
    """A target or value as the reader writes numbers (95,5 in Vietnamese)."""
    return "" if value is None else format_decimal(value, format="#,##0.##")


def locale() -> str:
    """The reader's language."""
    return str(get_locale())


def readable(objective_id: int, for_update: bool = False):
    """The objective, if the signed-in user may read it (403/404 otherwise)."""
    return services.get_readable(current_user, objective_id, for_update=for_update)


def back(objective, anchor: str = ""):
    """Back to the objective's page, at the section just worked on."""
    return redirect(url_for("quality.objectives.detail", objective_id=objective.id) + anchor)


def delete_form(record):
    """The delete form of an objective or a plan item the user may delete (None if not), with
    the version shown."""
    if isinstance(record, PlanItem):
        allowed = "delete" in rules.allowed_on_item(current_user, record)
    else:
        allowed = "delete" in rules.allowed_actions(current_user, record, clock.today())
    if not allowed:
        return None
    form = DeleteForm(formdata=None)
    form.version.data = record.version
    return form


def department_label(department) -> str:
    """A department as the pages name it; None is the organisation as a whole."""
    if department is None:
        return _("The organisation as a whole")
    return f"{department.code} — {department.name(locale())}"


def owner_choices() -> list[tuple[int, str]]:
    """Who may carry out a plan item."""
    return [(u.id, u.name) for u in queries.owner_choices()]


def measurement_choices(form: MeasurementFields) -> None:
    """The process measures to choose from; without any, only a target by hand."""
    measures = queries.measure_choices(locale())
    form.measure_id.choices = [(0, "—"), *measures]
    if form.measure_id.data is None:  # none sent, or an objective checked by hand
        form.measure_id.data = 0
    if not measures:
        form.measurement.choices = [(k, v) for k, v in MEASUREMENT_LABELS.items()
                                    if k != "measure"]


def measured(form: MeasurementFields) -> dict:
    """The statement and measurement of a sent form, as the services take them."""
    return {"statement_vi": form.statement_vi.data, "statement_en": form.statement_en.data,
            "measurement": form.measurement.data, "measure_id": form.measure_id.data or None,
            "target": form.target.data, "unit": form.unit.data or "",
            "direction": form.direction.data}


def posted(name: str):
    """The form of one section of the page, bound to what was sent, with its choices."""
    form = FORMS[name]()
    if name == "item":
        form.owner_id.choices = owner_choices()
    return form


def posted_row(name: str, item):
    """The done / not-done form of one plan item, bound to what was sent."""
    return ROW_FORMS[name](prefix=f"item{item.id}")


def _row_forms(objective, on_item: dict, sent) -> dict:
    forms = {}
    for item in objective.items:
        for name in ("done", "reopen"):
            if name in on_item[item.id]:
                form = ROW_FORMS[name](formdata=None, prefix=f"item{item.id}")
                form.version.data = item.version
                forms[item.id] = form
    if sent is not None:
        forms[sent[0]] = sent[1]
    return forms


def _forms(objective, sent: dict) -> dict:
    # Blank forms (formdata=None): one section's post must not fill another's fields.
    forms = {name: cls(formdata=None) for name, cls in FORMS.items()}
    forms["item"].owner_id.choices = owner_choices()
    forms["progress"].noted_on.data = clock.today()
    forms["evaluation"].version.data = objective.version
    if objective.result:
        forms["evaluation"].result.data = objective.result
        forms["evaluation"].comment.data = objective.evaluation_comment
    forms.update(sent)
    return forms


def _context(objective, sent: dict | None = None, row: tuple | None = None) -> dict:
    today = clock.today()
    on_item = {i.id: rules.allowed_on_item(current_user, i) for i in objective.items}
    return dict(objective=objective, progress=queries.progress_of(objective, today),
                forms=_forms(objective, sent or {}), row_forms=_row_forms(objective, on_item, row),
                sent_row=row[0] if row else None, on_item=on_item, today=today,
                actions=rules.allowed_actions(current_user, objective, today),
                evaluation_opens=rules.evaluation_opens(objective.year),
                department_label=department_label(objective.department),
                measure_label=queries.measure_label(objective.measure_id, locale()),
                organisation=queries.ORGANISATION,
                history=history_of("objective", objective.id, limit=100)
                if rules.may_see_history(current_user, objective) else None, **LABELS)


def detail_page(objective):
    """The objective's page as first shown."""
    return render_template(DETAIL, **_context(objective))


def invalid(objective, name: str, form):
    """The page again with one section's form as sent and its messages (400)."""
    return render_template(DETAIL, form=form, **_context(objective, {name: form})), 400


def refused(objective, name: str, form, error: DomainError):
    """A service refusal at its field, the input kept; 403/404/409 keep their own page."""
    return form_error(form, error, DETAIL, **_context(objective, {name: form}))


def invalid_row(objective, item, form):
    """The page again with one plan item's form as sent and its messages (400)."""
    return render_template(DETAIL, form=form, **_context(objective, row=(item.id, form))), 400


def refused_row(objective, item, form, error: DomainError):
    """A refused done / not-done at its field, in its row."""
    return form_error(form, error, DETAIL, **_context(objective, row=(item.id, form)))


def department_filter_choices(user) -> list[tuple[int, str]]:
    """The departments the list may be narrowed to: all for those who read all, else the
    user's own."""
    choices = org_queries.department_choices(locale())
    if rules.may_read_all(user):
        return choices
    own = rules.readable_department_ids(user)
    return [(i, label) for i, label in choices if i in own]


def managed_choices(user) -> list[tuple[int, str]]:
    """Where the user may set objectives: 0 is the organisation as a whole."""
    managed = rules.managed_department_ids(user)
    choices = [(i, label) for i, label in org_queries.department_choices(locale())
               if managed is None or i in managed]
    if managed is None:
        choices.insert(0, (0, _("The organisation as a whole")))
    return choices
