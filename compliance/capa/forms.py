"""Forms and labels of the corrective-action domain."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileField, FileRequired
from wtforms import (
    DateField,
    IntegerField,
    RadioField,
    SelectField,
    SelectMultipleField,
    SubmitField,
    TextAreaField,
)
from wtforms.validators import DataRequired, Length, Optional
from wtforms.widgets import HiddenInput

STATE_LABELS = {"open": _l("Open"), "contained": _l("Contained"), "analysed": _l("Analysed"),
                "actions_in_progress": _l("Actions in progress"),
                "verifying": _l("Verifying effectiveness"), "closed": _l("Closed")}
SOURCE_LABELS = {"finding": _l("Audit finding"), "complaint": _l("Complaint"),
                 "process": _l("Process problem"), "other": _l("Other")}
ISHIKAWA_LABELS = {"people": _l("People"), "method": _l("Method"), "machine": _l("Machine"),
                   "material": _l("Material"), "measurement": _l("Measurement"),
                   "environment": _l("Environment")}
ACTION_LABELS = {"open": _l("Open"), "done": _l("Done")}
CHECK_LABELS = {"pending": _l("Pending"), "effective": _l("Effective"),
                "not_effective": _l("Not effective")}


class RaiseForm(FlaskForm):
    """A nonconformity raised by hand."""

    source = SelectField(_l("Source"), choices=[(k, v) for k, v in SOURCE_LABELS.items()
                                                if k != "finding"])
    department_id = SelectField(_l("Department"), coerce=int)
    grade = SelectField(_l("Grade"))
    problem = TextAreaField(_l("Problem statement"), validators=[DataRequired(),
                                                                 Length(max=5000)])
    verifier_id = SelectField(_l("Verifier"), coerce=int)
    submit = SubmitField(_l("Raise"))


class ContainForm(FlaskForm):
    """The immediate correction."""

    correction = TextAreaField(_l("Correction made"), validators=[DataRequired(),
                                                                  Length(max=5000)])
    corrected_on = DateField(_l("Date of the correction"), validators=[DataRequired()])
    version = IntegerField(validators=[Optional()], widget=HiddenInput())
    submit = SubmitField(_l("Record the correction"))


class AnalysisForm(FlaskForm):
    """Root cause: 5-why chain, Ishikawa category, extent."""

    why1 = TextAreaField(_l("Why 1"), validators=[Optional(), Length(max=2000)])
    why2 = TextAreaField(_l("Why 2"), validators=[Optional(), Length(max=2000)])
    why3 = TextAreaField(_l("Why 3"), validators=[Optional(), Length(max=2000)])
    why4 = TextAreaField(_l("Why 4"), validators=[Optional(), Length(max=2000)])
    why5 = TextAreaField(_l("Why 5"), validators=[Optional(), Length(max=2000)])
    ishikawa = SelectField(_l("Ishikawa category"), choices=list(ISHIKAWA_LABELS.items()),
                           validators=[DataRequired()])
    extent = TextAreaField(_l("Extent: could this occur elsewhere?"),
                           validators=[DataRequired(), Length(max=5000)])
    affected_ids = SelectMultipleField(_l("Other departments affected"), coerce=int)
    version = IntegerField(validators=[Optional()], widget=HiddenInput())
    submit = SubmitField(_l("Record the analysis"))

    def whys(self) -> list[str]:
        """The answers in order."""
        return [getattr(self, f"why{n}").data or "" for n in range(1, 6)]


class ActionForm(FlaskForm):
    """An action of the plan."""

    description = TextAreaField(_l("Action"), validators=[DataRequired(), Length(max=5000)])
    owner_id = SelectField(_l("Owner"), coerce=int)
    due_on = DateField(_l("Due date"), validators=[DataRequired()])
    document_id = SelectField(_l("Request a revision of a controlled document"), coerce=int)
    submit = SubmitField(_l("Add the action"))


class DoneForm(FlaskForm):
    """Marking an action done."""

    note = TextAreaField(_l("What was done"), validators=[Optional(), Length(max=5000)])
    file = FileField(_l("Evidence file"))
    submit = SubmitField(_l("Mark done"))


class CheckForm(FlaskForm):
    """The verifier's result."""

    result = RadioField(_l("Result"), choices=[("effective", _l("Effective")),
                                               ("not_effective", _l("Not effective"))],
                        validators=[DataRequired()])
    notes = TextAreaField(_l("What you checked and found"), validators=[DataRequired(),
                                                                        Length(max=5000)])
    file = FileField(_l("Evidence file"))
    submit = SubmitField(_l("Record the result"))


class CloseForm(FlaskForm):
    """Closure after an effective check."""

    note = TextAreaField(_l("Closing note"), validators=[Optional(), Length(max=5000)])
    version = IntegerField(validators=[Optional()], widget=HiddenInput())
    submit = SubmitField(_l("Close the corrective action"))


class DecisionForm(FlaskForm):
    """Closure of an observation or opportunity for improvement by a recorded decision."""

    decision = TextAreaField(_l("Decision"), validators=[DataRequired(), Length(max=5000)])
    version = IntegerField(validators=[Optional()], widget=HiddenInput())
    submit = SubmitField(_l("Close with this decision"))


class FileForm(FlaskForm):
    """An evidence file about the nonconformity."""

    file = FileField(_l("Evidence file"), validators=[FileRequired(_l("Choose a file."))])
    submit = SubmitField(_l("Upload"))
