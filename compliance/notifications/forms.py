"""Notification settings."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import RadioField, SubmitField
from wtforms.validators import DataRequired

EMAIL_MODE_CHOICES = [
    ("immediate", _l("Email me each notification as it is raised")),
    ("digest", _l("Send me one email a day listing everything (daily digest)")),
    ("none", _l("No email: I read notifications in the app")),
]


class EmailModeForm(FlaskForm):
    """How a person wants to hear about what falls due."""

    email_mode = RadioField(_l("Email"), choices=EMAIL_MODE_CHOICES,
                            validators=[DataRequired()])
    submit = SubmitField(_l("Save"))
