"""Forms of the risk register's pages (labels live in `labels.py`).

Every refusal names the field and the problem: an impossible date says it is not a valid
date, a missing or unknown choice names what to choose."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import IntegerField, SubmitField, TextAreaField
from wtforms.validators import DataRequired, Length, Optional

from compliance.core.forms import DayField, VersionField, choice, pick
from compliance.quality.risks.labels import KIND_LABELS, LEVELS_IN_FORM, OUTCOME_LABELS


def rating(label, choose):
    """A rating from 1 to the scale's size (the choices are set by the view)."""
    return choice(label, coerce=int, choose=choose)


def first_rating(label, choose):
    """A rating before treatment: starts on "— choose —", not on 1 (see core.forms.pick)."""
    return pick(label, coerce=int, choose=choose)


class RiskForm(FlaskForm):
    """A risk or opportunity: what it is, why, what would follow, its rating before
    treatment; editing also rates it after treatment."""

    department_id = pick(_l("Department"), coerce=int,
                           choose=_l("Choose one of your departments."))
    process_id = choice(_l("Process"), coerce=int,
                        choose=_l("Choose one of the department's processes, or none."))
    kind = choice(_l("Risk or opportunity"), choices=list(KIND_LABELS.items()), radio=True,
                  choose=_l("Choose whether this is a risk or an opportunity."))
    description = TextAreaField(_l("Description"), validators=[DataRequired(),
                                                                Length(max=5000)])
    cause = TextAreaField(_l("Cause"), validators=[Optional(), Length(max=5000)])
    consequence = TextAreaField(_l("Consequence"), validators=[Optional(), Length(max=5000)])
    likelihood = first_rating(_l("Likelihood"), _l("Choose the likelihood."))
    impact = first_rating(_l("Impact"), _l("Choose the impact."))
    residual_likelihood = rating(_l("Likelihood after treatment"),
                                 _l("Choose the likelihood after treatment, or none."))
    residual_impact = rating(_l("Impact after treatment"),
                             _l("Choose the impact after treatment, or none."))
    review_on = DayField(_l("Review date"), required=False,
                         description=_l("When the risk is looked at again. Empty: a year from "
                                        "today."))
    version = VersionField()
    submit = SubmitField(_l("Save"))


class StatusForm(FlaskForm):
    """A new status, with the reason (needed to accept or close)."""

    status = choice(_l("New status"), coerce=str, choose=_l("Choose the new status."))
    note = TextAreaField(_l("Reason"), validators=[Optional(), Length(max=5000)])
    version = VersionField()
    submit = SubmitField(_l("Change the status"))


class ReviewForm(FlaskForm):
    """The periodic review of a risk."""

    note = TextAreaField(_l("What the review found"), validators=[Optional(),
                                                                  Length(max=5000)])
    next_review_on = DayField(_l("Next review"), missing=_l("Give the next review date."))
    version = VersionField()
    submit = SubmitField(_l("Record the review"))


class ActionForm(FlaskForm):
    """A treatment action."""

    description = TextAreaField(_l("Action"), validators=[DataRequired(), Length(max=5000)])
    owner_id = pick(_l("Owner"), coerce=int, search=True, choose=_l("Choose who owns this action."))
    due_on = DayField(_l("Due date"), missing=_l("Give the due date."))
    submit = SubmitField(_l("Add the action"))


class EditActionForm(ActionForm):
    """A treatment action changed: its fields and the version shown."""

    version = VersionField()
    submit = SubmitField(_l("Save"))


class DeleteActionForm(FlaskForm):
    """Deleting a treatment action: the version shown."""

    version = VersionField()
    submit = SubmitField(_l("Delete"))


class DoneForm(FlaskForm):
    """Marking a treatment action done."""

    note = TextAreaField(_l("What was done"), validators=[Optional(), Length(max=5000)])
    version = VersionField()
    submit = SubmitField(_l("Mark done"))


class LinkForm(FlaskForm):
    """A finding or corrective action that changed the risk ("ca:<id>", "finding:<id>")."""

    target = choice(_l("Finding or corrective action"),
                    choose=_l("Choose a finding or a corrective action of this department."))
    note = TextAreaField(_l("How it changed the risk"), validators=[Optional(),
                                                                    Length(max=2000)])
    submit = SubmitField(_l("Link"))

    def ids(self) -> dict:
        """The chosen target as the service's keyword arguments."""
        kind, _sep, number = (self.target.data or "").partition(":")
        key = "corrective_action_id" if kind == "ca" else "finding_id"
        return {key: int(number) if number.isdigit() else None}


class ScaleForm(FlaskForm):
    """The organisation's grid and the first and last score of each level band."""

    size = choice(_l("Scale"), coerce=int, choices=[(5, "5 × 5"), (3, "3 × 3")],
                  choose=_l("Choose a 3×3 or a 5×5 scale."))
    version = VersionField()
    submit = SubmitField(_l("Save the scale"))

    def bands(self) -> dict[str, tuple[int | None, int | None]]:
        """level → (first score, last score) as typed."""
        return {level: (self[f"{level}_from"].data, self[f"{level}_to"].data)
                for level, _label in LEVELS_IN_FORM}


for _level, _label in LEVELS_IN_FORM:
    # Two score fields per level; empty both to leave the level out of the scale.
    setattr(ScaleForm, f"{_level}_from", IntegerField(
        _l("%(level)s from", level=_label), validators=[Optional()]))
    setattr(ScaleForm, f"{_level}_to", IntegerField(
        _l("%(level)s to", level=_label), validators=[Optional()]))


class CaReviewForm(FlaskForm):
    """The answer after a corrective action closed: a risk updated, or no change needed."""

    outcome = choice(_l("Risk register reviewed"), choices=list(OUTCOME_LABELS.items()),
                     radio=True, choose=_l("Say whether a risk was updated or no change was "
                                           "needed."))
    # Checked by the service (only "updated" needs it), so "no change" may leave it out.
    risk_id = choice(_l("Risk updated"), coerce=int, validate_choice=False,
                     choose=_l("Choose the risk of this department that you updated."))
    note = TextAreaField(_l("Note"), validators=[Optional(), Length(max=2000)])
    submit = SubmitField(_l("Record the answer"))
