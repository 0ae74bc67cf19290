"""The form of an entry of the scope register."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileField, FileRequired
from wtforms import (
    BooleanField,
    IntegerField,
    SelectField,
    SelectMultipleField,
    StringField,
    SubmitField,
    TextAreaField,
)
from wtforms.validators import DataRequired, Length, NumberRange, Optional

from compliance.core.forms import VersionField, pick
from compliance.scope.labels import KIND_LABELS


class EntryForm(FlaskForm):
    """Add an administrative procedure or internal process to the scope."""

    kind = pick(_l("Kind"), choices=list(KIND_LABELS.items()),
                choose=_l("Choose whether it is a procedure or an internal process."))
    name = StringField(_l("Name"), validators=[DataRequired(), Length(max=300)])
    national_code = StringField(_l("Code in the national database of procedures"),
                                validators=[Length(max=32)])
    field = StringField(_l("Field"), validators=[Length(max=200)])
    legal_basis = TextAreaField(_l("Legal basis"), validators=[Length(max=5000)])
    time_limit_days = IntegerField(_l("Time limit (days)"),
                                   validators=[Optional(), NumberRange(min=0)])
    department_id = SelectField(_l("Handling department"), coerce=int,
                                validators=[Optional()])
    process_id = SelectField(_l("Process implementing it"), coerce=int,
                             validators=[Optional()])
    measure_id = SelectField(_l("Measure fed by its on-time handling"), coerce=int,
                             validators=[Optional()])
    document_ids = SelectMultipleField(
        _l("Controlled documents implementing it"), coerce=int, validators=[Optional()],
        invalid_choice_message=_l("Choose among the listed entries."))
    submit = SubmitField(_l("Save"))

    def values(self) -> dict:
        """The fields as the services take them."""
        return {"kind": self.kind.data, "name": self.name.data,
                "national_code": self.national_code.data, "field": self.field.data,
                "legal_basis": self.legal_basis.data, "time_limit_days": self.time_limit_days.data,
                "department_id": self.department_id.data or None,
                "process_id": self.process_id.data or None,
                "measure_id": self.measure_id.data or None,
                "document_ids": self.document_ids.data or []}


class EditEntryForm(EntryForm):
    """Change an entry, or take it out of the scope."""

    in_scope = BooleanField(_l("In scope"), default=True)
    version = VersionField()


class HandlingImportForm(FlaskForm):
    """The one-stop-shop software's monthly CSV export of dossiers handled."""

    file = FileField(_l("CSV file"), validators=[FileRequired(_l("Choose a CSV file."))])
    replace = BooleanField(_l("Replace the months already imported"))
    submit = SubmitField(_l("Import"))
