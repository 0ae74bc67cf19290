"""Forms of the evidence pages."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_babel import lazy_pgettext
from flask_wtf import FlaskForm
from flask_wtf.file import FileField, FileRequired
from wtforms import BooleanField, SelectField, StringField, SubmitField
from wtforms.validators import DataRequired, Length, Optional

from compliance.core.forms import DateField, pick


def _optional_int(value):
    """Blank or '0' means none chosen; anything else must be a whole number."""
    if value in (None, "", "0", 0):
        return None
    return int(value)


class BuildForm(FlaskForm):
    """What a pack covers: the scope and the period."""

    scope_kind = pick(_l("Scope"), choose=_l("Choose what the pack covers."))
    department_id = SelectField(_l("Department"), coerce=_optional_int, validate_choice=False)
    audit_id = SelectField(_l("Audit"), coerce=_optional_int, validate_choice=False)
    clause_id = SelectField(_l("ISO clause"), coerce=_optional_int, validate_choice=False)
    period_start = DateField(_l("From"), validators=[DataRequired(_l("Give a valid date."))])
    period_end = DateField(lazy_pgettext("end of a period", "To"),
                           validators=[DataRequired(_l("Give a valid date."))])
    include_quality = BooleanField(_l("Include the objectives, measures and risk register"))
    submit = SubmitField(_l("Build the pack"))


class SubtreeForm(FlaskForm):
    """A pack across an overseen organisation and those below it: the top one and the period."""

    organisation_id = pick(_l("Organisations"), coerce=int,
                           choose=_l("Choose the organisation the pack starts from."))
    period_start = DateField(_l("From"), validators=[DataRequired(_l("Give a valid date."))])
    period_end = DateField(lazy_pgettext("end of a period", "To"),
                           validators=[DataRequired(_l("Give a valid date."))])
    include_quality = BooleanField(_l("Include the objectives, measures and risk register"))
    submit = SubmitField(_l("Build the pack"))


class ShareForm(FlaskForm):
    """A share link for an external auditor."""

    expires_on = DateField(_l("Expires on"), validators=[DataRequired(_l("Give a valid date."))])
    note = StringField(_l("For whom (note)"), validators=[Optional(), Length(max=200)])
    submit = SubmitField(_l("Create a share link"))


class VerifyForm(FlaskForm):
    """An evidence pack PDF to check."""

    file = FileField(_l("Evidence pack (PDF)"), validators=[FileRequired(_l("Choose a file."))])
    submit = SubmitField(_l("Verify"))
