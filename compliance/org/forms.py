"""Department and process forms."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (
    BooleanField,
    DateField,
    SelectField,
    StringField,
    SubmitField,
    TextAreaField,
)
from wtforms.validators import DataRequired, Length, Optional

from compliance.core.forms import VersionField


class DepartmentForm(FlaskForm):
    """Create or edit a department."""

    code = StringField(_l("Code"), validators=[DataRequired(), Length(max=32)])
    name_vi = StringField(_l("Name (Vietnamese)"), validators=[DataRequired(), Length(max=200)])
    name_en = StringField(_l("Name (English)"), validators=[DataRequired(), Length(max=200)])
    parent_id = SelectField(_l("Parent department"), coerce=int, validators=[Optional()])
    active = BooleanField(_l("Active"), default=True)
    certificate_number = StringField(_l("ISO 9001 certificate number"),
                                     validators=[Optional(), Length(max=100)])
    certification_body = StringField(_l("Certification body"),
                                     validators=[Optional(), Length(max=200)])
    certificate_expires_on = DateField(_l("Certificate expires on"), validators=[Optional()])
    version = VersionField()
    submit = SubmitField(_l("Save"))

    def certificate(self) -> dict:
        """The certificate fields as the services take them."""
        return {"certificate_number": (self.certificate_number.data or "").strip() or None,
                "certification_body": (self.certification_body.data or "").strip() or None,
                "certificate_expires_on": self.certificate_expires_on.data}


class ProcessForm(FlaskForm):
    """Create or edit a process."""

    code = StringField(_l("Code"), validators=[DataRequired(), Length(max=32)])
    name_vi = StringField(_l("Name (Vietnamese)"), validators=[DataRequired(), Length(max=200)])
    name_en = StringField(_l("Name (English)"), validators=[DataRequired(), Length(max=200)])
    department_id = SelectField(_l("Department"), coerce=int, validators=[DataRequired()])
    owner_id = SelectField(_l("Process owner"), coerce=int, validators=[Optional()])
    inputs = TextAreaField(_l("Inputs"), validators=[Length(max=5000)])
    outputs = TextAreaField(_l("Outputs"), validators=[Length(max=5000)])
    version = VersionField()
    submit = SubmitField(_l("Save"))
