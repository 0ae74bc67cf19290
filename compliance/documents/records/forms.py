"""Forms of retention, disposition and legal holds (labels from records.labels)."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import IntegerField, PasswordField, StringField, SubmitField, TextAreaField
from wtforms.validators import DataRequired, Length, NumberRange, Optional

from compliance.core.forms import DayField, VersionField, choice
from compliance.documents.forms import PASSWORD_REQUIRED
from compliance.documents.records.labels import BASIS_CHOICES, DECISION_LABELS, SCOPE_LABELS

YEARS = NumberRange(0, 100, message=_l("Give a number of years between 0 and 100."))


class RuleForm(FlaskForm):
    """The retention rule of a document type."""

    basis = choice(_l("Counted"), choose=_l("Choose how the retention is counted."),
                   radio=True, choices=BASIS_CHOICES)
    years = IntegerField(_l("Years"), validators=[Optional(), YEARS])
    version = VersionField()
    submit = SubmitField(_l("Save the rule"))


class DocumentRetentionForm(FlaskForm):
    """A document's own retention, overriding its type's rule, with the reason."""

    basis = choice(_l("Retention of this document"),
                   choose=_l("Choose how the retention is counted."),
                   choices=[("", _l("The rule of its type")), *BASIS_CHOICES])
    years = IntegerField(_l("Years"), validators=[Optional(), YEARS])
    reason = TextAreaField(_l("Reason"), validators=[
        DataRequired(_l("Give the reason for this document's retention.")), Length(max=2000)])
    version = VersionField()
    submit = SubmitField(_l("Save the retention"))


class DispositionForm(FlaskForm):
    """The decision on a revision due for disposition, signed with the password."""

    decision = choice(_l("Decision"), choose=_l("Choose what becomes of the revision."),
                      radio=True, choices=list(DECISION_LABELS.items()))
    extended_until = DayField(_l("Keep until (keep longer only)"), required=False)
    reason = TextAreaField(_l("Reason"), validators=[
        DataRequired(_l("Give the reason for the decision.")), Length(max=2000)])
    password = PasswordField(_l("Your password"), validators=[DataRequired(PASSWORD_REQUIRED)])
    version = VersionField()
    submit = SubmitField(_l("Sign the decision"))


class HoldForm(FlaskForm):
    """A legal hold: what it is placed on, and why."""

    scope = choice(_l("Placed on"), choose=_l("Choose what the hold is placed on."),
                   radio=True, choices=list(SCOPE_LABELS.items()))
    document_code = StringField(_l("Document code"), validators=[Optional(), Length(max=40)])
    # Choices filled in by the view; "0" is none (the scope chosen says which one counts).
    department_id = choice(_l("Department"), choose=_l("Choose the department."), coerce=int)
    audit_id = choice(_l("Audit"), choose=_l("Choose the audit."), coerce=int)
    reason = TextAreaField(_l("Reason (the inspection, complaint, dispute or request)"),
                           validators=[DataRequired(_l("Give the reason for the hold.")),
                                       Length(max=2000)])
    submit = SubmitField(_l("Place the hold"))


class LiftHoldForm(FlaskForm):
    """Lift a hold: the reason, signed with the password."""

    reason = TextAreaField(_l("Reason for lifting"), validators=[
        DataRequired(_l("Give the reason why the hold is lifted.")), Length(max=2000)])
    password = PasswordField(_l("Your password"), validators=[DataRequired(PASSWORD_REQUIRED)])
    version = VersionField()
    submit = SubmitField(_l("Lift the hold"))
