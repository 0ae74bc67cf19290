"""Forms and labels of the reports domain."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (
    DateField,
    HiddenField,
    IntegerField,
    SelectField,
    StringField,
    SubmitField,
    TextAreaField,
)
from wtforms.validators import DataRequired, Length, Optional
from wtforms.widgets import HiddenInput

ACTION_LABELS = {"open": _l("Open"), "done": _l("Done"), "cancelled": _l("Cancelled")}
LANGUAGES = {"vi": "Tiếng Việt", "en": "English"}


class NoteForm(FlaskForm):
    """The coordinator's shortcomings and planned actions for a half-year."""

    department_id = IntegerField(validators=[Optional()], widget=HiddenInput())
    period = HiddenField(validators=[DataRequired()])
    shortcomings = TextAreaField(_l("Shortcomings"), validators=[Optional(), Length(max=5000)])
    planned_actions = TextAreaField(_l("Planned actions"),
                                    validators=[Optional(), Length(max=5000)])
    version = IntegerField(validators=[Optional()], widget=HiddenInput())
    submit = SubmitField(_l("Save notes"))


class ReviewForm(FlaskForm):
    """A management review meeting."""

    held_on = DateField(_l("Held on"), validators=[DataRequired()])
    period_start = DateField(_l("Period from"), validators=[DataRequired()])
    period_end = DateField(_l("Period to"), validators=[DataRequired()])
    chair = StringField(_l("Chair"), validators=[DataRequired(), Length(max=200)])
    summary = TextAreaField(_l("Summary"), validators=[Optional(), Length(max=20000)])
    submit = SubmitField(_l("Record the review"))


class ActionForm(FlaskForm):
    """An action decided by a review."""

    description = TextAreaField(_l("Action"), validators=[DataRequired(), Length(max=5000)])
    owner_id = SelectField(_l("Owner"), coerce=int)
    due_on = DateField(_l("Due on"), validators=[DataRequired()])
    submit = SubmitField(_l("Add action"))


class ActionUpdateForm(FlaskForm):
    """Progress or the end of an action."""

    status = SelectField(_l("Status"), choices=list(ACTION_LABELS.items()))
    outcome_note = TextAreaField(_l("Outcome"), validators=[Optional(), Length(max=5000)])
    submit = SubmitField(_l("Update"))
