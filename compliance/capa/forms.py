"""Forms of the corrective-action pages (labels live in `labels.py`).

Every refusal names the field and the problem: an impossible date says it is not a valid date
(not "This field is required"), a missing or unknown choice names what to choose."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileField, FileRequired
from wtforms import SelectMultipleField, SubmitField, TextAreaField
from wtforms.validators import DataRequired, Length, Optional

from compliance.capa.labels import ISHIKAWA_LABELS, RESULT_LABELS, SOURCE_LABELS
from compliance.core.forms import DayField, VersionField, choice, pick, searchable


class RaiseForm(FlaskForm):
    """A nonconformity raised by hand."""

    source = pick(_l("Source"), choices=[(k, v) for k, v in SOURCE_LABELS.items()
                                           if k != "finding"],
                    choose=_l("Choose where the nonconformity comes from."))
    department_id = pick(_l("Department"), coerce=int,
                           choose=_l("Choose one of your departments."))
    grade = pick(_l("Grade"), choose=_l("Choose the grade."))
    problem = TextAreaField(_l("Problem statement"), validators=[DataRequired(),
                                                                 Length(max=5000)])
    verifier_id = choice(_l("Verifier"), coerce=int, render_kw=searchable(),
                         choose=_l("Choose the verifier among those listed."))
    target_on = DayField(_l("Target date"), required=False,
                         description=_l("By when the correction, the root cause and the "
                                        "action plan are due. Empty: the grade's rule."))
    submit = SubmitField(_l("Raise"))


class ContainForm(FlaskForm):
    """The immediate correction."""

    correction = TextAreaField(_l("Correction made"), validators=[DataRequired(),
                                                                  Length(max=5000)])
    corrected_on = DayField(_l("Date of the correction"),
                            missing=_l("Give the date of the correction."))
    version = VersionField()
    submit = SubmitField(_l("Record the correction"))


class AnalysisForm(FlaskForm):
    """Root cause: 5-why chain, Ishikawa category, extent."""

    why1 = TextAreaField(_l("Why 1"), validators=[Optional(), Length(max=2000)])
    why2 = TextAreaField(_l("Why 2"), validators=[Optional(), Length(max=2000)])
    why3 = TextAreaField(_l("Why 3"), validators=[Optional(), Length(max=2000)])
    why4 = TextAreaField(_l("Why 4"), validators=[Optional(), Length(max=2000)])
    why5 = TextAreaField(_l("Why 5"), validators=[Optional(), Length(max=2000)])
    ishikawa = choice(_l("Ishikawa category"), choices=list(ISHIKAWA_LABELS.items()),
                      choose=_l("Choose the Ishikawa category of the root cause."))
    extent = TextAreaField(_l("Extent: could this occur elsewhere?"),
                           validators=[DataRequired(), Length(max=5000)])
    affected_ids = SelectMultipleField(_l("Other departments affected"), coerce=int)
    version = VersionField()
    submit = SubmitField(_l("Record the analysis"))

    # The service speaks of the chain as a whole; its refusals belong under the first answer.
    FIELD_OF = {"whys": "why1"}

    def whys(self) -> list[str]:
        """The answers in order."""
        return [getattr(self, f"why{n}").data or "" for n in range(1, 6)]


class ActionForm(FlaskForm):
    """An action of the plan."""

    description = TextAreaField(_l("Action"), validators=[DataRequired(), Length(max=5000)])
    owner_id = pick(_l("Owner"), coerce=int, search=True,
                    choose=_l("Choose who owns this action."))
    due_on = DayField(_l("Due date"), missing=_l("Give the due date."))
    document_id = choice(_l("Request a revision of a controlled document"), coerce=int,
                         choose=_l("Choose a document in force, or none."))
    submit = SubmitField(_l("Add the action"))


class EditActionForm(FlaskForm):
    """Rewording an open action."""

    description = TextAreaField(_l("Action"), validators=[DataRequired(), Length(max=5000)])
    version = VersionField()
    submit = SubmitField(_l("Save the wording"))


class RescheduleForm(FlaskForm):
    """Moving an open action's due date, with the reason."""

    due_on = DayField(_l("New due date"), missing=_l("Give the new due date."))
    reason = TextAreaField(_l("Reason"), validators=[DataRequired(), Length(max=2000)])
    version = VersionField()
    submit = SubmitField(_l("Reschedule"))


class ReassignForm(FlaskForm):
    """Giving an open action to someone else."""

    owner_id = pick(_l("New owner"), coerce=int, search=True,
                    choose=_l("Choose who owns this action."))
    reason = TextAreaField(_l("Reason (optional)"), validators=[Optional(), Length(max=2000)])
    version = VersionField()
    submit = SubmitField(_l("Reassign"))


class CancelActionForm(FlaskForm):
    """Cancelling an open action, with the reason."""

    reason = TextAreaField(_l("Reason for cancelling"),
                           validators=[DataRequired(), Length(max=2000)])
    version = VersionField()
    submit = SubmitField(_l("Cancel the action"))


class DoneForm(FlaskForm):
    """Marking an action done."""

    note = TextAreaField(_l("What was done"), validators=[Optional(), Length(max=5000)])
    file = FileField(_l("Evidence file"))
    submit = SubmitField(_l("Mark done"))


class CheckForm(FlaskForm):
    """The verifier's result."""

    result = choice(_l("Result"), choices=list(RESULT_LABELS.items()), radio=True,
                    choose=_l("Choose whether the actions were effective."))
    notes = TextAreaField(_l("What you checked and found"), validators=[DataRequired(),
                                                                        Length(max=5000)])
    file = FileField(_l("Evidence file"))
    submit = SubmitField(_l("Record the result"))


class CloseForm(FlaskForm):
    """Closure after an effective check."""

    note = TextAreaField(_l("Closing note"), validators=[Optional(), Length(max=5000)])
    version = VersionField()
    submit = SubmitField(_l("Close the corrective action"))


class DecisionForm(FlaskForm):
    """Closure of an observation or opportunity for improvement by a recorded decision."""

    decision = TextAreaField(_l("Decision"), validators=[DataRequired(), Length(max=5000)])
    version = VersionField()
    submit = SubmitField(_l("Close with this decision"))


class FileForm(FlaskForm):
    """An evidence file about the nonconformity."""

    file = FileField(_l("Evidence file"), validators=[FileRequired(_l("Choose a file."))])
    submit = SubmitField(_l("Upload"))
