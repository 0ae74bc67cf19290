"""The installation administrator's forms: an organisation, its first administrator, an
oversight grant."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileField
from wtforms import BooleanField, EmailField, SelectField, StringField, SubmitField
from wtforms.validators import DataRequired, Email, Length, Optional

from compliance.auth.labels import LOCALE_CHOICES
from compliance.core.forms import VersionField, pick


def _strip(value):
    return value.strip() if isinstance(value, str) else value


class OrganisationForm(FlaskForm):
    """Create or edit an organisation."""

    code = StringField(_l("Short code"), validators=[DataRequired(), Length(max=32)],
                       description=_l("Capital letters and digits, e.g. TANTHANH: it is "
                                      "the organisation's public address, /public/<code>."))
    name_vi = StringField(_l("Name (Vietnamese)"), validators=[DataRequired(), Length(max=200)])
    name_en = StringField(_l("Name (English)"), validators=[DataRequired(), Length(max=200)])
    parent_id = pick(_l("Parent organisation"), choose=_l("Choose among the listed entries."),
                     required=False, coerce=int,
                     description=_l("Empty: an organisation at the top of the tree."))
    time_zone = pick(_l("Time zone"), choose=_l("Choose the time zone."))
    document_code_pattern = StringField(
        _l("Document code pattern"), validators=[Optional(), Length(max=64)],
        description=_l("Empty: the installation's pattern. Otherwise {type}, {dept} and "
                       "{seq}, e.g. {type}-{dept}-{seq:02d}."))
    logo = FileField(_l("Logo (PNG or JPEG)"))
    drop_logo = BooleanField(_l("Remove the logo"))
    version = VersionField()
    submit = SubmitField(_l("Save"))


class FirstAdminForm(FlaskForm):
    """The organisation's first administrator."""

    email = EmailField(_l("E-mail"), validators=[DataRequired(), Email(), Length(max=255)],
                       filters=[_strip])
    name = StringField(_l("Full name"), validators=[DataRequired(), Length(max=200)])
    locale = SelectField(_l("Language"), choices=LOCALE_CHOICES)
    submit = SubmitField(_l("Create the administrator"))


class GrantForm(FlaskForm):
    """Oversight of the organisation and those below it, for one person."""

    email = EmailField(_l("E-mail of the overseer"),
                       validators=[DataRequired(), Email(), Length(max=255)], filters=[_strip])
    submit = SubmitField(_l("Grant oversight"))
