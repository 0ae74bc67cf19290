"""The webhook forms: register or change a hook, deactivate it, send a delivery again."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, StringField, SubmitField
from wtforms.validators import DataRequired, Length

from compliance.auth.forms import MultiCheckboxField
from compliance.core.forms import VersionField
from compliance.webhooks.labels import EVENTS


class WebhookForm(FlaskForm):
    """A hook's name, URL, events and active flag (the version when changing one)."""

    name = StringField(_l("Name"), validators=[DataRequired(), Length(max=200)])
    url = StringField(_l("URL"), validators=[DataRequired(), Length(max=500)],
                      description=_l("Where the events are posted (http or https). Loopback, "
                                     "link-local and private addresses are refused."))
    events = MultiCheckboxField(_l("Events"), choices=list(EVENTS.items()),
                                validators=[DataRequired()])
    active = BooleanField(_l("Active"), default=True)
    version = VersionField()
    submit = SubmitField(_l("Save"))


class ActionForm(FlaskForm):
    """A button that acts on a hook or a delivery (its CSRF token only)."""

    submit = SubmitField(_l("Confirm"))
