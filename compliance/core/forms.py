"""Form fields every domain's edit forms share: the hidden version, a date field and a choice
whose refusals say what is wrong ("“31/02/2026” is not a valid date", "Choose the grade.")."""

from __future__ import annotations

from flask import g
from flask_babel import lazy_gettext as _l
from wtforms import DateField, IntegerField, RadioField, SelectField
from wtforms.validators import InputRequired, Optional
from wtforms.widgets import HiddenInput


class VersionField(IntegerField):
    """The hidden `version` an edit form was shown with, for the service's conflict check
    (`core.db.check_version`). A posted form that lacks it has none: the field never falls
    back to the version of the record the form was built on (`obj=`), which would let a
    stale edit through as if it were current."""

    widget = HiddenInput()

    def __init__(self, label=None, validators=None, **kwargs):
        super().__init__(label, validators if validators is not None else [Optional()],
                         **kwargs)

    def process_formdata(self, valuelist):
        """Only what was sent counts; nothing sent is no version (a version that is not a
        number stays a field error, shown on the form with the input kept)."""
        if not valuelist:
            self.data = None
            return
        super().process_formdata(valuelist)


class DayField(DateField):
    """A calendar date whose refusals say what is wrong: missing, or not a real date
    (`required=False`: it may be left empty)."""

    def __init__(self, label=None, validators=None, *, missing=None, required: bool = True,
                 **kwargs):
        first = InputRequired(message=missing) if required else Optional()
        super().__init__(label, [first, *(validators or [])], **kwargs)

    def process_formdata(self, valuelist):
        """Read the date; an impossible one (31/02/2026) is named as such, input kept."""
        try:
            super().process_formdata(valuelist)
        except ValueError:
            raise ValueError(_l("“%(value)s” is not a valid date.",
                                value=" ".join(valuelist))) from None


class RadioGroup(RadioField):
    """Radio buttons whose label points at the first button: a label's `for` must name a
    control, and the group itself (a list of buttons) is none."""

    label_suffix = "-0"

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.label.field_id = f"{self.id}{self.label_suffix}"


def choice(label, *, choose, radio: bool = False, **kwargs):
    """A select (or radio buttons) whose refusal names what to choose, not "Not a valid
    choice"; a value that cannot be read is refused the same way."""
    field = RadioGroup if radio else SelectField
    return field(label, invalid_choice_message=choose, invalid_value_message=choose, **kwargs)


def distinct_ids(form, prefix: str | None = None):
    """The form with every field's id (and its label's `for`) under a prefix, for a page
    that shows several forms: two forms with a `reason`, or every form's `csrf_token`, would
    otherwise share an id, and the second form's labels would point at the first's fields.
    Without `prefix`, the page's forms are numbered in the order they are drawn (the same on
    every render of the page). Names, and so what is posted, stay as they are. Returns the
    form, for templates: `{{ distinct_ids(form).hidden_tag() }}`."""
    if prefix is None:
        number = g.get("_forms_drawn", 0) + 1
        g._forms_drawn = number
        prefix = f"form{number}"
    for field in form:
        base = getattr(field, "_own_id", None) or field.id
        field._own_id = base
        field.id = f"{prefix}-{base}"
        field.label.field_id = f"{field.id}{getattr(field, 'label_suffix', '')}"
    return form
