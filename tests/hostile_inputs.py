"""A reusable corpus of hostile free text for every field that reaches a PDF.

corpus(base, canary) returns (name, text) pairs; `base` is the address of a loopback HTTP
server the test runs (every request it receives is a failure) and `canary` the file:// URI of
a file whose content must never appear in a PDF. LITERALS are fragments that must come out of
the PDF exactly as typed (escaped, not interpreted)."""

from __future__ import annotations

HUGE = "Đ" * 1_000_000
LITERALS = ("{{7*7}}", "{%raw%}", "<script>alert(1)</script>", "<b>bold</b>", "</table>",
            "&lt;i&gt;", "${jndi:ldap}", "'OR'1'='1")


def corpus(base: str, canary: str) -> list[tuple[str, str]]:
    """At least fifty hostile inputs, each a plain string."""
    png = ("iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQ"
           "AAAABJRU5ErkJggg==")
    items = [
        ("remote http img", f'<img src="{base}/img.png">'),
        ("remote https img", '<img src="https://example.com/x.png">'),
        ("file passwd", '<img src="file:///etc/passwd">'),
        ("file canary img", f'<img src="{canary}">'),
        ("file canary iframe", f'<iframe src="{canary}"></iframe>'),
        ("link attachment", f'<link rel="attachment" href="{canary}">'),
        ("a attachment", f'<a rel="attachment" href="{base}/att">x</a>'),
        ("link stylesheet", f'<link rel="stylesheet" href="{base}/s.css">'),
        ("css import", f'<style>@import url("{base}/i.css");</style>'),
        ("css url inline", f'<div style="background:url({base}/bg.png)">x</div>'),
        ("css font-face", f'<style>@font-face{{font-family:x;src:url({base}/f.woff)}}</style>'),
        ("css color-profile", f'<style>@color-profile --p {{ src: url({base}/p.icc) }}</style>'),
        ("css page bg", f'<style>@page{{background:url({base}/page.png)}}</style>'),
        ("css content url", f'<style>p::before{{content:url({base}/c.png)}}</style><p>x</p>'),
        ("css list image", f'<style>li{{list-style-image:url({base}/l.png)}}</style><li>x</li>'),
        ("svg image", f'<svg xmlns="http://www.w3.org/2000/svg"><image href="{base}/s.png" '
                      'width="9" height="9"/></svg>'),
        ("svg xlink image", f'<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.'
                            f'w3.org/1999/xlink"><image xlink:href="{canary}"/></svg>'),
        ("svg use", f'<svg xmlns="http://www.w3.org/2000/svg"><use href="{base}/u.svg#a"/></svg>'),
        ("svg style import", f'<svg xmlns="http://www.w3.org/2000/svg"><style>@import url('
                             f'{base}/svg.css);</style></svg>'),
        ("iframe", f'<iframe src="{base}/frame"></iframe>'),
        ("object", f'<object data="{base}/o.svg" type="image/svg+xml"></object>'),
        ("embed", f'<embed src="{base}/e.svg">'),
        ("base href", f'<base href="{base}/"><img src="relative.png">'),
        ("meta refresh", f'<meta http-equiv="refresh" content="0;url={base}/r">'),
        ("input image", f'<input type="image" src="{base}/in.png">'),
        ("video poster", f'<video poster="{base}/v.png"></video>'),
        ("srcset", f'<img srcset="{base}/s2.png 2x">'),
        ("small data uri", f'<img src="data:image/png;base64,{png}">'),
        ("huge data uri", '<img src="data:image/png;base64,' + "A" * 300_000 + '">'),
        ("huge image", '<img width="100000" height="100000" src="data:image/svg+xml,<svg/>">'),
        ("deep nesting", "<div>" * 3000 + "deep" + "</div>" * 3000),
        ("unbalanced", "<table><tr><td><b><i>unclosed <ul><li>"),
        ("closing tags", "</td></tr></table></body></html>"),
        ("script", "<script>alert(1)</script>"),
        ("script src", f'<script src="{base}/x.js"></script>'),
        ("event handler", '<img src=x onerror="alert(1)">'),
        ("javascript url", '<a href="javascript:alert(1)">click</a>'),
        ("jinja expression", "{{7*7}} {{ config }} {{ ''.__class__.__mro__ }}"),
        ("jinja statement", "{% for x in range(9999999) %}x{% endfor %} {%raw%}"),
        ("entities", "&lt;i&gt; &amp;amp; &#x3C;b&#x3E; &nbsp;"),
        ("bold tag", "<b>bold</b>"),
        ("sql", "'OR'1'='1; DROP TABLE document;--"),
        ("log4j", "${jndi:ldap}"),
        ("rtl override", "\u202eevil.exe\u202c ملف عربي עברית"),
        ("zero width", "zero\u200bwidth\u200c\u200d\ufeffjoiner"),
        ("control characters", "bell\x07 back\x08 vt\x0b ff\x0c esc\x1b[31m unit\x1f"),
        ("nul byte", "before\x00after"),
        ("combining marks", "Z" + "\u0336\u0337\u0338" * 200),
        ("emoji", "📄✅🚫 \U0001F9E8"),
        ("long word", "x" * 5000),
        ("many lines", "dòng\n" * 1000),
        ("vietnamese", "Tiếp nhận hồ sơ một cửa — Ủy ban nhân dân huyện Thanh Bình"),
        ("surrogate-like", "\ufffd\ufffe text"),
        ("css injection", '</style><style>body{background:url(' + base + '/inj.png)}</style>'),
        ("xml pi", '<?xml-stylesheet href="' + base + '/x.xsl"?>'),
        ("1 MB string", HUGE),
    ]
    return items


def stored(text: str, limit: int) -> str:
    """What a field can hold: NUL dropped (PostgreSQL refuses it), cut to the form's limit."""
    return text.replace("\x00", "")[:limit]
