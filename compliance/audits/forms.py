"""Forms of the audit domain."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileField, FileRequired
from wtforms import (
    BooleanField,
    DateTimeLocalField,
    IntegerField,
    PasswordField,
    SelectField,
    SelectMultipleField,
    StringField,
    SubmitField,
    TextAreaField,
)
from wtforms.validators import DataRequired, Length, NumberRange, Optional, ValidationError
from wtforms.widgets import HiddenInput

from compliance.audits.labels import RESULT_LABELS
from compliance.core.forms import DateField, VersionField, pick, searchable

TOO_LONG = _l("This text is too long: at most %(max)d characters (you wrote %(length)d).")


def _at_most(limit: int) -> Length:
    """A length limit whose refusal says the text is too long, at the field it concerns."""
    return Length(max=limit, message=TOO_LONG)


class ChoiceField(SelectField):
    """A select whose refusal names what to choose ("Choose a result.") instead of WTForms'
    "Not a valid choice" or "could not coerce"."""

    def __init__(self, label=None, validators=None, *, message, **kwargs):
        super().__init__(label, validators, **kwargs)
        self.choose_message = message

    def process_formdata(self, valuelist):
        """Keep an input that cannot be coerced as no choice; pre_validate says so once."""
        try:
            super().process_formdata(valuelist)
        except ValueError:
            self.data = None

    def pre_validate(self, form):
        """Refuse a missing or unknown choice with the field's own message."""
        try:
            super().pre_validate(form)
        except ValidationError as error:
            raise ValidationError(str(self.choose_message)) from error


class ProgrammeForm(FlaskForm):
    """An audit programme for a period (its scope in the notes)."""

    title = StringField(_l("Title"), validators=[DataRequired(), _at_most(200)])
    period_start = DateField(_l("Period starts"), validators=[DataRequired()])
    period_end = DateField(_l("Period ends"), validators=[DataRequired()])
    notes = TextAreaField(_l("Notes"), validators=[Optional(), _at_most(5000)])
    version = VersionField()
    submit = SubmitField(_l("Save"))


class AuditForm(FlaskForm):
    """Scope, criteria, dates and team of an audit."""

    department_id = pick(_l("Audited department"), coerce=int,
                         choose=_l("Choose the audited department."))
    clause_ids = SelectMultipleField(_l("ISO clauses in scope"), coerce=int,
                                     render_kw=searchable())
    process_ids = SelectMultipleField(_l("Processes in scope"), coerce=int)
    criteria = TextAreaField(_l("Audit criteria"), validators=[Optional(), _at_most(5000)])
    scope_note = TextAreaField(_l("Scope notes"), validators=[Optional(), _at_most(5000)])
    planned_start = DateField(_l("Planned start"), validators=[DataRequired()])
    planned_end = DateField(_l("Planned end"), validators=[DataRequired()])
    lead_auditor_id = pick(_l("Lead auditor"), coerce=int, search=True,
                           choose=_l("Choose the lead auditor."))
    team_ids = SelectMultipleField(_l("Audit team"), coerce=int, render_kw=searchable())
    version = VersionField()
    submit = SubmitField(_l("Save"))


class CancelForm(FlaskForm):
    """Cancelling an audit that has not been reported."""

    reason = TextAreaField(_l("Reason for cancelling"), validators=[DataRequired(),
                                                                    _at_most(2000)])
    version = VersionField()
    submit = SubmitField(_l("Cancel the audit"))


class RescheduleForm(FlaskForm):
    """New dates for an audit that has not been reported."""

    planned_start = DateField(_l("New start"), validators=[DataRequired()])
    planned_end = DateField(_l("New end"), validators=[DataRequired()])
    reason = TextAreaField(_l("Reason for the new dates"), validators=[DataRequired(),
                                                                       _at_most(2000)])
    version = VersionField()
    submit = SubmitField(_l("Reschedule"))


class DueForm(FlaskForm):
    """The date by which the audited department answers a finding."""

    response_due_on = DateField(_l("Response due"), validators=[DataRequired()])
    version = VersionField()
    submit = SubmitField(_l("Set the date"))


class ResponseForm(FlaskForm):
    """The audited department's answer to a finding."""

    response = TextAreaField(_l("Response of the department"),
                             validators=[DataRequired(), _at_most(5000)])
    submit = SubmitField(_l("Record the response"))


class ResultForm(FlaskForm):
    """The verdict on one checklist item."""

    result = pick(_l("Result"), choices=list(RESULT_LABELS.items()),
                  choose=_l("Choose a result."))
    notes = TextAreaField(_l("Notes"), validators=[Optional(), _at_most(5000)])
    submit = SubmitField(_l("Save"))


class ItemForm(FlaskForm):
    """A question added by hand."""

    clause_id = ChoiceField(_l("ISO clause"), coerce=int, message=_l("Choose an ISO clause."))
    question_vi = TextAreaField(_l("Question (Vietnamese)"), validators=[DataRequired(),
                                                                          _at_most(2000)])
    question_en = TextAreaField(_l("Question (English)"), validators=[Optional(),
                                                                       _at_most(2000)])
    submit = SubmitField(_l("Add to the checklist"))


class DocumentEvidenceForm(FlaskForm):
    """Link a controlled document as evidence."""

    document_id = pick(_l("Controlled document"), coerce=int,
                       choose=_l("Choose a document in force."))
    submit = SubmitField(_l("Link"))


class FileEvidenceForm(FlaskForm):
    """Upload an evidence file."""

    file = FileField(_l("Evidence file"), validators=[FileRequired(_l("Choose a file."))])
    submit = SubmitField(_l("Upload"))


class FindingForm(FlaskForm):
    """A graded finding."""

    grade = pick(_l("Grade"), choose=_l("Choose a grade."))
    clause_id = ChoiceField(_l("ISO clause"), coerce=int, message=_l("Choose an ISO clause."))
    # A number, or nothing: "²" passes str.isdigit() but not int(), and an id past 32 bits
    # is one no row has (and PostgreSQL cannot even compare).
    item_id = IntegerField(widget=HiddenInput(), validators=[Optional(), NumberRange(1, 2**31 - 1)])
    description = TextAreaField(_l("Finding"), validators=[DataRequired(), _at_most(5000)])
    submit = SubmitField(_l("Record the finding"))


class MeetingForm(FlaskForm):
    """Opening or closing meeting."""

    held_at = DateTimeLocalField(_l("Held at"), format="%Y-%m-%dT%H:%M",
                                 validators=[DataRequired()])
    attendees = TextAreaField(_l("Attendees"), validators=[DataRequired(), _at_most(5000)])
    submit = SubmitField(_l("Save"))


class ReportForm(FlaskForm):
    """The lead auditor's sign-off."""

    summary = TextAreaField(_l("Summary and conclusion"), validators=[DataRequired(),
                                                                      _at_most(20000)])
    password = PasswordField(_l("Your password"), validators=[DataRequired()])
    submit = SubmitField(_l("Sign and issue the report"))


class QuestionForm(FlaskForm):
    """A question of the bank."""

    clause_id = pick(_l("ISO clause"), coerce=int, choose=_l("Choose an ISO clause."))
    text_vi = TextAreaField(_l("Question (Vietnamese)"), validators=[DataRequired(),
                                                                      _at_most(2000)])
    text_en = TextAreaField(_l("Question (English)"), validators=[DataRequired(),
                                                                   _at_most(2000)])
    active = BooleanField(_l("In use"), default=True)
    version = VersionField()
    submit = SubmitField(_l("Save"))


class GradeForm(FlaskForm):
    """A finding grade's names and closure rules."""

    name_vi = StringField(_l("Name (Vietnamese)"), validators=[DataRequired(), _at_most(100)])
    name_en = StringField(_l("Name (English)"), validators=[DataRequired(), _at_most(100)])
    raises_corrective_action = BooleanField(_l("Raises a corrective action"))
    requires_root_cause = BooleanField(_l("Closure needs a root cause"))
    requires_effectiveness_evidence = BooleanField(_l("Closure needs effectiveness evidence"))
    effectiveness_check_days = IntegerField(_l("Effectiveness check after (days)"),
                                            validators=[DataRequired()])
    version = VersionField()
    # Corrective actions (capa): the target date of the action plan.
    corrective_action_days = IntegerField(
        _l("Corrective action target (days)"), validators=[Optional()],
        description=_l("Days after raising by which the correction, the root cause and the "
                       "action plan are due. Empty: no target date."))
    submit = SubmitField(_l("Save"))
