"""Every template compiles: a syntax error would also hide its strings from translation,
since the extractor skips a template it cannot parse."""

from __future__ import annotations


def test_every_template_compiles(app):
    names = [name for name in app.jinja_env.list_templates()
             if name.endswith((".html", ".txt")) and not name.startswith("bootstrap")]
    assert len(names) > 50
    for name in names:
        app.jinja_env.get_template(name)  # raises TemplateSyntaxError on a broken one
