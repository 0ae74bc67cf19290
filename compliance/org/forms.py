"""Department and process forms."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, IntegerField, SelectField, StringField, SubmitField, TextAreaField
from wtforms.validators import DataRequired, Length, Optional
from wtforms.widgets import HiddenInput


class DepartmentForm(FlaskForm):
    """Create or edit a department."""

    code = StringField(_l("Code"), validators=[DataRequired(), Length(max=32)])
    name_vi = StringField(_l("Name (Vietnamese)"), validators=[DataRequired(), Length(max=200)])
    name_en = StringField(_l("Name (English)"), validators=[DataRequired(), Length(max=200)])
    parent_id = SelectField(_l("Parent department"), coerce=int, validators=[Optional()])
    active = BooleanField(_l("Active"), default=True)
    version = IntegerField(validators=[Optional()], widget=HiddenInput())
    submit = SubmitField(_l("Save"))


class ProcessForm(FlaskForm):
    """Create or edit a process."""

    code = StringField(_l("Code"), validators=[DataRequired(), Length(max=32)])
    name_vi = StringField(_l("Name (Vietnamese)"), validators=[DataRequired(), Length(max=200)])
    name_en = StringField(_l("Name (English)"), validators=[DataRequired(), Length(max=200)])
    department_id = SelectField(_l("Department"), coerce=int, validators=[DataRequired()])
    owner_id = SelectField(_l("Process owner"), coerce=int, validators=[Optional()])
    inputs = TextAreaField(_l("Inputs"), validators=[Length(max=5000)])
    outputs = TextAreaField(_l("Outputs"), validators=[Length(max=5000)])
    version = IntegerField(validators=[Optional()], widget=HiddenInput())
    submit = SubmitField(_l("Save"))
