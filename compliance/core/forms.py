"""Form fields every domain's edit forms share: the hidden version, a date field, a choice
whose refusals say what is wrong ("“31/02/2026” is not a valid date", "Choose the grade."), and
a pick that starts empty ("— choose —") rather than guess a department, a type or a person."""

from __future__ import annotations

from datetime import date

from flask import g
from flask_babel import lazy_gettext as _l
from wtforms import DateField as WTFormsDateField
from wtforms import IntegerField, RadioField, SelectField
from wtforms.fields.choices import Choice
from wtforms.validators import InputRequired, Optional, StopValidation
from wtforms.widgets import HiddenInput

from compliance.core.day_input import HINT, DayInput, parse_day, write_day


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


# WTForms' own message, translated in its catalogue (wtforms.po), not in ours.
NOT_A_DATE = "Not a valid date value."


class DateField(WTFormsDateField):
    """A date typed day first, as core.day_input reads it (31/12/2026, or ISO), in a text
    input with the numeric keyboard and the format as its description."""

    widget = DayInput()

    def __init__(self, label=None, validators=None, **kwargs):
        kwargs.setdefault("description", HINT)
        super().__init__(label, validators, **kwargs)

    def _value(self):
        if self.raw_data:
            return " ".join(self.raw_data)
        return write_day(self.data) if isinstance(self.data, date) else ""

    def process_formdata(self, valuelist):
        """Read the day; nothing or something else is not one (WTForms' own message)."""
        if not valuelist:
            return
        try:
            self.data = parse_day(" ".join(valuelist))
        except ValueError:
            self.data = None
        if self.data is None:
            raise ValueError(self.gettext(NOT_A_DATE))


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
        # Templates (Bootstrap-Flask's render_field) draw buttons for a field of this type.
        self.type = "RadioField"


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


# The search box pickers.js puts above a long select marked with these (people, clauses).
FILTER_LABEL = _l("Type to filter the list")
FILTER_COUNT = _l("{shown} of {total} shown")


def searchable(**render_kw) -> dict:
    """Attributes that give a select type-to-search (compliance/static/pickers.js)."""
    return {"data-filter": FILTER_LABEL, "data-filter-count": FILTER_COUNT, **render_kw}


# The empty first option of every pick (a required select must start with one, and a new
# record must not arrive with the first department or person chosen for it).
CHOOSE = _l("— choose —")


class Chosen:
    """Something is chosen: not the empty option, and not nothing (a post that leaves the
    field out keeps an edit form's record value, as every other field does, so a stale or
    partial edit still meets the version check instead of this)."""

    field_flags = {"required": True}

    def __init__(self, message):
        self.message = message

    def __call__(self, form, field):
        if field.data is None or field.data == "":
            field.errors[:] = []
            raise StopValidation(str(self.message))


class PickField(SelectField):
    """A select that starts with an empty "— choose —" option and guesses nothing: a new
    record shows it chosen, an edit form its record's value; a required pick refuses the
    empty choice at the field with `choose`, and an optional one reads it as None."""

    def __init__(self, label=None, validators=None, *, choose, required: bool = True,
                 coerce=str, search: bool = False, **kwargs):
        first = Chosen(choose) if required else Optional()
        if search:
            kwargs["render_kw"] = searchable(**kwargs.get("render_kw") or {})
        super().__init__(label, [first, *(validators or [])], coerce=coerce,
                         invalid_choice_message=choose, invalid_value_message=choose, **kwargs)

    def iter_choices(self):
        """The empty option, then the view's choices."""
        blank = Choice(value="", label=str(CHOOSE), selected=self.data in (None, ""),
                       render_kw=None)
        return [blank, *super().iter_choices()]

    def process_formdata(self, valuelist):
        """The empty option is no value (not a value that fails to read as a number)."""
        if valuelist and valuelist[0] == "":
            self.data = None
            return
        super().process_formdata(valuelist)


def pick(label, *, choose, required: bool = True, coerce=str, search: bool = False,
         **kwargs) -> PickField:
    """A department, type or person to choose, starting empty (see PickField); `search`
    adds type-to-search (people)."""
    return PickField(label, choose=choose, required=required, coerce=coerce, search=search,
                     **kwargs)
