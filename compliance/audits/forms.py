"""Forms of the audit domain."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileField, FileRequired
from wtforms import (
    BooleanField,
    DateField,
    DateTimeLocalField,
    HiddenField,
    IntegerField,
    PasswordField,
    SelectField,
    SelectMultipleField,
    StringField,
    SubmitField,
    TextAreaField,
)
from wtforms.validators import DataRequired, Length, Optional
from wtforms.widgets import HiddenInput

RESULT_LABELS = {
    "conforming": _l("Conforming"), "major": _l("Major nonconformity"),
    "minor": _l("Minor nonconformity"), "observation": _l("Observation"),
    "ofi": _l("Opportunity for improvement"), "not_applicable": _l("Not applicable"),
}
STATE_LABELS = {"planned": _l("Planned"), "in_progress": _l("In progress"),
                "reported": _l("Reported"), "closed": _l("Closed")}


class ProgrammeForm(FlaskForm):
    """An audit programme for a period."""

    title = StringField(_l("Title"), validators=[DataRequired(), Length(max=200)])
    period_start = DateField(_l("Period starts"), validators=[DataRequired()])
    period_end = DateField(_l("Period ends"), validators=[DataRequired()])
    notes = TextAreaField(_l("Notes"), validators=[Optional(), Length(max=5000)])
    submit = SubmitField(_l("Save"))


class AuditForm(FlaskForm):
    """Scope, criteria, dates and team of an audit."""

    department_id = SelectField(_l("Audited department"), coerce=int)
    clause_ids = SelectMultipleField(_l("ISO clauses in scope"), coerce=int)
    process_ids = SelectMultipleField(_l("Processes in scope"), coerce=int)
    criteria = TextAreaField(_l("Audit criteria"), validators=[Optional(), Length(max=5000)])
    scope_note = TextAreaField(_l("Scope notes"), validators=[Optional(), Length(max=5000)])
    planned_start = DateField(_l("Planned start"), validators=[DataRequired()])
    planned_end = DateField(_l("Planned end"), validators=[DataRequired()])
    lead_auditor_id = SelectField(_l("Lead auditor"), coerce=int)
    team_ids = SelectMultipleField(_l("Audit team"), coerce=int)
    version = IntegerField(validators=[Optional()], widget=HiddenInput())
    submit = SubmitField(_l("Save"))


class ResultForm(FlaskForm):
    """The verdict on one checklist item."""

    result = SelectField(_l("Result"), choices=list(RESULT_LABELS.items()))
    notes = TextAreaField(_l("Notes"), validators=[Optional(), Length(max=5000)])
    submit = SubmitField(_l("Save"))


class ItemForm(FlaskForm):
    """A question added by hand."""

    clause_id = SelectField(_l("ISO clause"), coerce=int)
    question_vi = TextAreaField(_l("Question (Vietnamese)"), validators=[DataRequired(),
                                                                          Length(max=2000)])
    question_en = TextAreaField(_l("Question (English)"), validators=[Optional(),
                                                                       Length(max=2000)])
    submit = SubmitField(_l("Add to the checklist"))


class DocumentEvidenceForm(FlaskForm):
    """Link a controlled document as evidence."""

    document_id = SelectField(_l("Controlled document"), coerce=int)
    submit = SubmitField(_l("Link"))


class FileEvidenceForm(FlaskForm):
    """Upload an evidence file."""

    file = FileField(_l("Evidence file"), validators=[FileRequired(_l("Choose a file."))])
    submit = SubmitField(_l("Upload"))


class FindingForm(FlaskForm):
    """A graded finding."""

    grade = SelectField(_l("Grade"))
    clause_id = SelectField(_l("ISO clause"), coerce=int)
    item_id = HiddenField()
    description = TextAreaField(_l("Finding"), validators=[DataRequired(), Length(max=5000)])
    submit = SubmitField(_l("Record the finding"))


class MeetingForm(FlaskForm):
    """Opening or closing meeting."""

    held_at = DateTimeLocalField(_l("Held at"), format="%Y-%m-%dT%H:%M",
                                 validators=[DataRequired()])
    attendees = TextAreaField(_l("Attendees"), validators=[DataRequired(), Length(max=5000)])
    submit = SubmitField(_l("Save"))


class ReportForm(FlaskForm):
    """The lead auditor's sign-off."""

    summary = TextAreaField(_l("Summary and conclusion"), validators=[DataRequired(),
                                                                      Length(max=20000)])
    password = PasswordField(_l("Your password"), validators=[DataRequired()])
    submit = SubmitField(_l("Sign and issue the report"))


class QuestionForm(FlaskForm):
    """A question of the bank."""

    clause_id = SelectField(_l("ISO clause"), coerce=int)
    text_vi = TextAreaField(_l("Question (Vietnamese)"), validators=[DataRequired(),
                                                                      Length(max=2000)])
    text_en = TextAreaField(_l("Question (English)"), validators=[DataRequired(),
                                                                   Length(max=2000)])
    active = BooleanField(_l("In use"), default=True)
    submit = SubmitField(_l("Save"))


class GradeForm(FlaskForm):
    """A finding grade's names and closure rules."""

    name_vi = StringField(_l("Name (Vietnamese)"), validators=[DataRequired(), Length(max=100)])
    name_en = StringField(_l("Name (English)"), validators=[DataRequired(), Length(max=100)])
    raises_corrective_action = BooleanField(_l("Raises a corrective action"))
    requires_root_cause = BooleanField(_l("Closure needs a root cause"))
    requires_effectiveness_evidence = BooleanField(_l("Closure needs effectiveness evidence"))
    effectiveness_check_days = IntegerField(_l("Effectiveness check after (days)"),
                                            validators=[DataRequired()])
    submit = SubmitField(_l("Save"))
