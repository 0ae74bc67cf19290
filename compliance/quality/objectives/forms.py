"""Forms of the objective and context pages (labels live in `labels.py`).

Every refusal names the field and the problem; choices name what to choose, dates and
numbers say what was not understood. The services check the rest (and say it at the field)."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_babel import lazy_pgettext
from flask_wtf import FlaskForm
from wtforms import FloatField, IntegerField, StringField, SubmitField, TextAreaField
from wtforms.validators import InputRequired, Length, Optional

from compliance.core.forms import DayField, VersionField, choice, pick
from compliance.quality.objectives.labels import (
    CONTEXT_STATE_LABELS,
    DIRECTION_LABELS,
    ISSUE_KIND_LABELS,
    MEASUREMENT_LABELS,
    RESULT_LABELS,
)

TEXT, SHORT = 5000, 2000


class NumberField(FloatField):
    """A number as people type it here: "95.5" or "95,5" (the Vietnamese decimal comma);
    what is not a number is named as such, the input kept."""

    def __init__(self, label=None, validators=None, **kwargs):
        super().__init__(label, validators or [Optional()], **kwargs)

    def process_formdata(self, valuelist):
        """Read the number; a decimal comma is read as a point."""
        if not valuelist or not str(valuelist[0]).strip():
            self.data = None
            return
        raw = str(valuelist[0]).strip().replace(" ", "")
        if "," in raw and "." not in raw:
            raw = raw.replace(",", ".")
        try:
            self.data = float(raw)
        except ValueError:
            self.data = None
            raise ValueError(_l("“%(value)s” is not a number.", value=valuelist[0])) from None


class YearField(IntegerField):
    """A year; what is not one is named as such."""

    def process_formdata(self, valuelist):
        """Read the year."""
        try:
            super().process_formdata(valuelist)
        except ValueError:
            raise ValueError(_l("“%(value)s” is not a year.", value=" ".join(valuelist))) \
                from None


def _text(label, limit=TEXT, required: bool = False, message=None, **kwargs):
    first = InputRequired(message=message) if required else Optional()
    return TextAreaField(label, validators=[first, Length(max=limit)], **kwargs)


class MeasurementFields(FlaskForm):
    """What an objective says and how it is measured (creating and editing)."""

    statement_vi = _text(_l("Objective (Vietnamese)"), SHORT, True,
                         _l("State the objective in Vietnamese."))
    statement_en = _text(_l("Objective (English)"), SHORT)
    measurement = choice(_l("How it is measured"), choices=list(MEASUREMENT_LABELS.items()),
                         radio=True, default="manual",
                         choose=_l("Choose how the objective is measured."))
    measure_id = choice(_l("Process measure"), coerce=int, default=0,
                        choose=_l("Choose one of the process measures listed."))
    target = NumberField(_l("Target value"))
    unit = StringField(_l("Unit"), validators=[Optional(), Length(max=40)],
                       description=_l("For example: %, dossiers, days, complaints."))
    direction = pick(_l("Which way is better"), choices=list(DIRECTION_LABELS.items()),
                     choose=_l("Choose whether a higher or a lower value is better."))


class ObjectiveForm(MeasurementFields):
    """A new objective."""

    year = YearField(_l("Year"), validators=[InputRequired(_l("Give the year."))])
    department_id = pick(_l("Department"), coerce=int,
                           choose=_l("Choose one of the departments listed."))
    submit = SubmitField(_l("Set the objective"))


class EditObjectiveForm(MeasurementFields):
    """Rewording an objective or changing how it is measured."""

    version = VersionField()
    submit = SubmitField(_l("Save"))


class PlanItemForm(FlaskForm):
    """A step of the plan (6.2.2)."""

    description = _text(_l("What will be done"), TEXT, True, _l("Say what will be done."))
    resources = _text(_l("Resources needed"), SHORT)
    owner_id = pick(_l("Who carries it out"), coerce=int, search=True,
                      choose=_l("Choose who carries out this step."))
    due_on = DayField(_l("By when"), missing=_l("Give the due date."))
    evaluation_method = _text(_l("How the result is evaluated"), SHORT, True,
                              _l("Say how the result will be evaluated."))
    submit = SubmitField(_l("Add the step"))


class EditPlanItemForm(PlanItemForm):
    """Changing a step of the plan."""

    version = VersionField()
    submit = SubmitField(_l("Save the step"))


class DoneForm(FlaskForm):
    """Marking a plan item done."""

    done_on = DayField(_l("Done on"), required=False,
                       description=_l("Empty: today."))
    version = VersionField()
    submit = SubmitField(_l("Mark done"))


class ReopenForm(FlaskForm):
    """Marking a plan item not done again."""

    version = VersionField()
    submit = SubmitField(_l("Mark not done"))


class ProgressForm(FlaskForm):
    """A dated progress note, with the value measured by hand."""

    noted_on = DayField(_l("Date"), missing=_l("Give the date of the note."))
    text = _text(_l("How the objective is doing"), TEXT, True,
                 _l("Say how the objective is doing."))
    value = NumberField(_l("Value measured (optional)"))
    submit = SubmitField(_l("Add the note"))


class EvaluationForm(FlaskForm):
    """The year-end evaluation."""

    result = choice(_l("Result"), choices=list(RESULT_LABELS.items()), radio=True,
                    choose=_l("Choose whether the objective was achieved."))
    comment = _text(_l("What the evaluation rests on"), TEXT, True,
                    _l("Say what the evaluation rests on."))
    version = VersionField()
    submit = SubmitField(_l("Record the evaluation"))


class CopyForm(FlaskForm):
    """Copying one year's objectives into another."""

    scope = choice(_l("Objectives of"), choose=_l("Choose whose objectives to copy."))
    from_year = YearField(_l("From the year"), validators=[InputRequired(_l("Give the year."))])
    to_year = YearField(_l("Into the year"), validators=[InputRequired(_l("Give the year."))])
    submit = SubmitField(_l("Copy the objectives"))


class IssueForm(FlaskForm):
    """An internal or external issue (4.1)."""

    kind = choice(lazy_pgettext("context issue", "Kind"),
                  choices=list(ISSUE_KIND_LABELS.items()), radio=True,
                  choose=_l("Choose whether the issue is internal or external."))
    description = _text(_l("Issue"), TEXT, True, _l("Describe the issue."))
    effect = _text(_l("Effect on the quality system"), TEXT, True,
                   _l("Say how it affects the quality system."))
    review_on = DayField(_l("Next review"), missing=_l("Give the date of the next review."))
    submit = SubmitField(_l("Save"))


class PartyForm(FlaskForm):
    """An interested party and its relevant requirements (4.2)."""

    name_vi = StringField(_l("Name (Vietnamese)"),
                          validators=[InputRequired(_l("Name the interested party in "
                                                       "Vietnamese.")), Length(max=200)])
    name_en = StringField(_l("Name (English)"), validators=[Optional(), Length(max=200)])
    requirements = _text(_l("Their relevant requirements"), TEXT, True,
                         _l("Give the party's requirements relevant to the quality system."))
    review_on = DayField(_l("Next review"), missing=_l("Give the date of the next review."))
    submit = SubmitField(_l("Save"))


class EditIssueForm(IssueForm):
    """Changing an issue (or saying it is no longer relevant)."""

    status = choice(_l("Status"), choices=list(CONTEXT_STATE_LABELS.items()),
                    choose=_l("Choose whether it is still relevant."))
    version = VersionField()


class EditPartyForm(PartyForm):
    """Changing an interested party (or saying it is no longer relevant)."""

    status = choice(_l("Status"), choices=list(CONTEXT_STATE_LABELS.items()),
                    choose=_l("Choose whether it is still relevant."))
    version = VersionField()


class ReviewedForm(FlaskForm):
    """Saying an issue or a party was reviewed today."""

    next_review_on = DayField(_l("Next review"),
                              missing=_l("Give the date of the next review."))
    version = VersionField()
    submit = SubmitField(_l("Mark reviewed"))


class DeleteForm(FlaskForm):
    """Delete an objective or a plan item: the version it was shown with."""

    version = VersionField()
    submit = SubmitField(_l("Delete"))
