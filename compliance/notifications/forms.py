"""Notification settings."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import SubmitField
from wtforms.validators import ValidationError

from compliance.core.forms import RadioGroup
from compliance.notifications.labels import EMAIL_MODE_CHOICES


class _OfferedChoice(RadioGroup):
    """A radio group whose refusal names what to choose (not "Not a valid choice")."""

    def __init__(self, *args, choose_message, **kwargs):
        super().__init__(*args, **kwargs)
        self.choose_message = choose_message

    def pre_validate(self, form) -> None:
        """Refuse a missing or unknown value with the field's own message."""
        if self.data not in {value for value, _label in self.choices}:
            raise ValidationError(str(self.choose_message))


class EmailModeForm(FlaskForm):
    """How a person wants to hear about what falls due."""

    email_mode = _OfferedChoice(_l("Email"), choices=EMAIL_MODE_CHOICES,
                                choose_message=_l("Choose one of the offered email settings."))
    submit = SubmitField(_l("Save"))
