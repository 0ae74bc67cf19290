"""`render_field` for templates: the markup of Bootstrap-Flask's macro of that name for the
fields and options this product uses (basic layout), drawn in Python (issue 16, item 13).

The macro costs about a millisecond a field in Jinja; a form page draws ten or twenty, and
every refused post draws its form again. Same classes, labels, errors and descriptions as the
macro: checkboxes as `form-check`, radio groups one `form-check` per button, submit buttons
`btn btn-<style> btn-<size>`, hidden fields bare, and every other field a `form-label` and a
`form-control` (`form-select` for a SelectField or a pick, `form-range` for a range) with its
errors below as `invalid-feedback` or else its description as `form-text`.
"""

from __future__ import annotations

from flask import current_app
from markupsafe import Markup

RANGES = frozenset({"DecimalRangeField", "IntegerRangeField"})
# A pick (core.forms.PickField) is a select: the macro, keyed on the type's name, drew it as a
# `form-control`, which takes away the select's arrow.
SELECTS = frozenset({"SelectField", "PickField"})


def _error_ids(field) -> str:
    """The ids of the field's error messages, which its control is described by."""
    return " ".join(f"{field.id}-error-{n}" for n in range(len(field.errors)))


def _described(field, kwargs: dict) -> dict:
    """The control's attributes, marked invalid and described by its errors when it has any
    (a screen reader then reads the message with the field, and app.js focuses it)."""
    if field.errors:
        kwargs.setdefault("aria-invalid", "true")
        kwargs.setdefault("aria-describedby", _error_ids(field))
    return kwargs


def _feedback(field) -> Markup:
    """The field's errors, or else its description."""
    if field.errors:
        return Markup("").join(
            Markup('<div class="invalid-feedback d-block" id="%s-error-%d">%s</div>')
            % (field.id, n, error) for n, error in enumerate(field.errors))
    if field.description:
        return Markup('<small class="form-text text-body-secondary">%s</small>') % \
            Markup(field.description)  # noqa: S704 - the forms' own text, as the macro's |safe
    return Markup("")


def _classes(field, kwargs: dict) -> str:
    """Bootstrap's classes after those the field or the call adds (the call's win)."""
    own = kwargs.pop("class", "") or kwargs.pop("class_", "")
    if own:
        return " " + own
    given = (field.render_kw or {}).get("class")
    return " " + given if given else ""


def _checkbox(field, group: str, extra: str, kwargs: dict) -> Markup:
    invalid = " is-invalid" if field.errors else ""
    if field.type == "SwitchField":
        kwargs["role"] = "switch"
    switch = " form-switch" if field.type == "SwitchField" else ""
    return Markup('<div class="%s form-check%s">%s%s%s</div>') % (
        group, switch,
        field(**{"class": f"form-check-input{invalid}{extra}"}, **_described(field, kwargs)),
        field.label(class_="form-check-label", for_=field.id), _feedback(field))


def _radios(field, group: str, kwargs: dict) -> Markup:
    required = " required" if kwargs.get("required") else ""
    buttons = Markup("").join(
        Markup('<div class="form-check">%s%s</div>') % (
            item(**{"class": "form-check-input"}),
            item.label(class_="form-check-label", for_=item.id))
        for item in field)
    return Markup('<div class="%s %s">%s%s%s</div>') % (
        group, required, field.label(class_="form-label"), buttons, _feedback(field))


def _control(field, group: str, extra: str, kwargs: dict) -> Markup:
    if field.type in RANGES:
        kind = "form-range"
    elif field.type in SELECTS:
        kind = "form-select"
    else:
        kind = "form-control"
    invalid = " is-invalid" if field.errors else ""
    required = " required" if field.flags.required else ""
    return Markup('<div class="%s%s">%s%s%s</div>') % (
        group, required, field.label(class_="form-label"),
        field(**{"class": f"{kind}{invalid}{extra}"}, **_described(field, kwargs)),
        _feedback(field))


def render_field(field, form_type: str = "basic", button_style: str = "",
                 button_size: str = "", **kwargs) -> Markup:
    """The field as Bootstrap-Flask's `render_field` draws it in the basic layout."""
    if form_type != "basic":
        raise ValueError(f"render_field draws the basic layout only, not {form_type!r}")
    if field.flags.required and "required" not in kwargs:
        kwargs["required"] = True
    config = current_app.config
    group = config.get("BOOTSTRAP_FORM_GROUP_CLASSES", "mb-3")
    extra = _classes(field, kwargs)
    if getattr(field.widget, "input_type", None) == "checkbox":
        return _checkbox(field, group, extra, kwargs)
    if field.type == "RadioField":
        return _radios(field, group, kwargs)
    if field.type == "SubmitField":
        style = button_style or config.get("BOOTSTRAP_BTN_STYLE", "primary")
        size = button_size or config.get("BOOTSTRAP_BTN_SIZE", "md")
        return field(**{"class": f"btn btn-{style} btn-{size}{extra}"}, **kwargs)
    if field.type in ("CSRFTokenField", "HiddenField"):
        return field()
    if field.type in ("FormField", "FieldList"):
        inner = Markup("").join(render_field(sub) for sub in field
                                if sub.type not in ("CSRFTokenField", "HiddenField"))
        return Markup("<fieldset><legend>%s</legend>%s</fieldset>") % (field.label, inner)
    return _control(field, group, extra, kwargs)


