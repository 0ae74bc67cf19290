"""Forms of the reports domain (labels live in labels.py)."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (
    HiddenField,
    IntegerField,
    SelectField,
    StringField,
    SubmitField,
    TextAreaField,
)
from wtforms.validators import DataRequired, Length, Optional
from wtforms.widgets import HiddenInput

from compliance.core.forms import DateField, VersionField, pick
from compliance.reports.labels import ACTION_LABELS

# DataRequired clears WTForms' own "Not a valid date value", so the message must name both
# cases: nothing given, or a day that does not exist (31/02/2026).
VALID_DATE = _l("Give a valid date.")


class NoteForm(FlaskForm):
    """The coordinator's shortcomings and planned actions for a half-year."""

    department_id = IntegerField(validators=[Optional()], widget=HiddenInput())
    period = HiddenField(validators=[DataRequired(_l("Choose the half-year."))])
    shortcomings = TextAreaField(_l("Shortcomings"), validators=[Optional(), Length(max=5000)])
    planned_actions = TextAreaField(_l("Planned actions"),
                                    validators=[Optional(), Length(max=5000)])
    version = VersionField()
    submit = SubmitField(_l("Save notes"))


class ReviewForm(FlaskForm):
    """A management review meeting."""

    held_on = DateField(_l("Held on"), validators=[DataRequired(VALID_DATE)])
    period_start = DateField(_l("Period from"), validators=[DataRequired(VALID_DATE)])
    period_end = DateField(_l("Period to"), validators=[DataRequired(VALID_DATE)])
    chair = StringField(_l("Chair"), validators=[DataRequired(_l("Name the chair.")),
                                                  Length(max=200)])
    summary = TextAreaField(_l("Summary"), validators=[Optional(), Length(max=20000)])
    submit = SubmitField(_l("Record the review"))


class ActionForm(FlaskForm):
    """An action decided by a review."""

    description = TextAreaField(_l("Action"), validators=[
        DataRequired(_l("Describe the action.")), Length(max=5000)])
    # One of the people offered; the service checks again that the owner is active.
    owner_id = pick(_l("Owner"), coerce=int, search=True,
                    choose=_l("Choose who owns the action."))
    due_on = DateField(_l("Due on"), validators=[DataRequired(VALID_DATE)])
    submit = SubmitField(_l("Add action"))


class ActionUpdateForm(FlaskForm):
    """Progress or the end of an action."""

    # Always one of its choices: HTML's `required` is for a select whose first option is an
    # empty "choose" (the validator still refuses an empty post).
    status = SelectField(_l("Status"), choices=list(ACTION_LABELS.items()),
                         validate_choice=False, render_kw={"required": False},
                         validators=[DataRequired(_l("Choose the status of the action."))])
    outcome_note = TextAreaField(_l("Outcome"), validators=[Optional(), Length(max=5000)])
    # The version shown; the page writes it per action (see detail.html).
    version = IntegerField(validators=[Optional()], widget=HiddenInput())
    submit = SubmitField(_l("Update"))
