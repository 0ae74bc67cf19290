"""The `<select>` of every SelectField and SelectMultipleField, drawn with the markup of
WTForms' own widget at a fraction of its cost.

WTForms' `Select` looks up the signature of its option renderer (`inspect.signature`) on each
draw and builds every `<option>` through `html_params` (a sort, an escape and a
`Markup.format` per attribute): a form with the clause catalogue and the people of an
organisation spends some 5 ms of a 19 ms refused post there, and every refused post draws its
form again. Here an option without extra attributes is one f-string; anything else (groups,
an option's own `render_kw`, attributes passed for the options) goes through WTForms' own
renderer, so the markup is byte for byte the same (tests/test_select_markup.py).
"""

from __future__ import annotations

from markupsafe import Markup, escape
from wtforms import SelectField, SelectMultipleField
from wtforms.widgets import Select, html_params


class FastSelect(Select):
    """WTForms' Select widget, its plain options written directly."""

    def __call__(self, field, **kwargs) -> Markup:
        if field.has_groups():
            return super().__call__(field, **kwargs)
        kwargs.setdefault("id", field.id)
        if self.multiple:
            kwargs["multiple"] = True
        flags = getattr(field, "flags", {})
        for key in self.validation_attrs:
            if key not in kwargs and key in dir(flags):
                kwargs[key] = getattr(flags, key)
        html = [f"<select {html_params(name=field.name, **kwargs)}>"]
        html.extend(_option(choice) for choice in field._iter_choices_normalized())
        html.append("</select>")
        # Every part escaped above (html_params, escape) or by WTForms own renderer.
        return Markup("".join(html))  # noqa: S704


def _option(choice) -> str:
    if choice.render_kw:
        return Select.render_option(choice)
    value = choice.value
    if isinstance(value, bool):
        value = str(value)
    label = escape(choice.label or choice.value)
    selected = "selected " if choice.selected else ""
    # As html_params: a value already Markup keeps its quotes, which would end the attribute.
    value = str(escape(value)).replace('"', "&quot;")
    return f'<option {selected}value="{value}">{label}</option>'


def install() -> None:
    """Make FastSelect the widget of WTForms' select fields (and of their subclasses that
    keep the default)."""
    if type(SelectField.widget) is Select:
        SelectField.widget = FastSelect()
    if type(SelectMultipleField.widget) is Select:
        SelectMultipleField.widget = FastSelect(multiple=True)
