"""Department and process forms."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (
    BooleanField,
    IntegerField,
    SelectField,
    SelectMultipleField,
    StringField,
    SubmitField,
    TextAreaField,
)
from wtforms.validators import DataRequired, Length, Optional

from compliance.core.forms import DateField, VersionField, pick, searchable
from compliance.org.labels import PROCESS_KIND_LABELS


class DaysField(IntegerField):
    """A whole number of days; a refusal says that what was typed is not one."""

    def process_formdata(self, valuelist):
        """Read the number; keep what was typed when it is not a whole number."""
        try:
            super().process_formdata(valuelist)
        except ValueError:
            raise ValueError(_l("“%(value)s” is not a whole number of days.",
                                value=" ".join(valuelist))) from None


def _several(label, **kwargs):
    return SelectMultipleField(label, coerce=int, validators=[Optional()],
                               invalid_choice_message=_l("Choose among the listed entries."),
                               **kwargs)


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
    department_id = pick(_l("Department"), coerce=int,
                         choose=_l("Choose the department that runs the process."))
    owner_id = SelectField(_l("Process owner"), coerce=int, validators=[Optional()],
                           render_kw=searchable())
    purpose = TextAreaField(_l("Purpose"), validators=[Length(max=5000)])
    kind = pick(_l("Kind of process"), choices=list(PROCESS_KIND_LABELS.items()),
                choose=_l("Choose the kind of process."))
    time_limit_days = DaysField(_l("Legal time limit (days)"), validators=[Optional()],
                                description=_l("For an administrative procedure: the days the "
                                               "law allows for settling a dossier (số ngày "
                                               "giải quyết)."))
    inputs = TextAreaField(_l("Inputs"), validators=[Length(max=5000)])
    outputs = TextAreaField(_l("Outputs"), validators=[Length(max=5000)])
    before_ids = _several(_l("Processes before it"),
                          description=_l("Those whose outputs this process receives."))
    after_ids = _several(_l("Processes after it"),
                         description=_l("Those that receive this process's outputs."))
    document_ids = _several(_l("Controlled documents describing it"))
    version = VersionField()
    submit = SubmitField(_l("Save"))
