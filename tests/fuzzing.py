"""What the form fuzzer needs: the forms of a page (read from its HTML), hypothesis strategies
for hostile values of each kind of field, a body encoder that sends what a browser cannot
(lone surrogates, NUL, a list where one value is expected), and a check that makes SQLite
refuse what PostgreSQL would refuse (NUL in text, a string longer than its column, an
integer past 32 bits), so a fuzz run on SQLite finds PostgreSQL's 500s too."""

from __future__ import annotations

import random
import secrets
from dataclasses import dataclass, field
from datetime import date, timedelta
from html.parser import HTMLParser
from urllib.parse import quote_plus, urlsplit

from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st
from sqlalchemy import Integer, String, event, inspect

from tests.documents.helpers import blank_pdf as pdf_pages
from tests.factories import PASSWORD

INT32 = 2**31


@dataclass
class Field:
    """One named control of a form: its kind, the values the page offers, its own value."""

    name: str
    kind: str                      # text, textarea, number, date, email, password, file,
    options: list[str] = field(default_factory=list)  # select, multiple, checkbox, radio,
    value: str = ""                # hidden, submit


@dataclass
class Form:
    """A POST form of a page: where it goes, and its fields by name."""

    action: str
    fields: dict[str, Field] = field(default_factory=dict)


class FormParser(HTMLParser):
    """Collects every <form method="post"> of a page with its controls and their values."""

    def __init__(self, page_path: str):
        super().__init__(convert_charrefs=True)
        self.page_path, self.forms, self._form = page_path, [], None
        self._select: Field | None = None
        self._textarea: Field | None = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form":
            if (attrs.get("method") or "get").lower() == "post":
                self._form = Form(urlsplit(attrs.get("action") or self.page_path).path)
                self.forms.append(self._form)
            return
        if tag == "option" and self._select is not None:
            self._select.options.append(attrs.get("value", ""))
            if "selected" in attrs:
                self._select.value = attrs.get("value", "")
            return
        if self._form is None or not attrs.get("name"):
            return
        self._control(tag, attrs["name"], attrs)

    def _control(self, tag: str, name: str, attrs: dict) -> None:
        fields = self._form.fields
        if tag == "input":
            kind = (attrs.get("type") or "text").lower()
            value = attrs.get("value", "y" if kind in ("radio", "checkbox") else "")
            if kind in ("radio", "checkbox"):
                known = fields.setdefault(name, Field(name, kind))
                known.options.append(value)
                if "checked" in attrs:
                    known.value = value
            else:
                fields[name] = Field(name, kind, value=value)
        elif tag == "textarea":
            self._textarea = fields[name] = Field(name, "textarea")
        elif tag == "select":
            self._select = fields[name] = Field(name, "multiple" if "multiple" in attrs
                                                else "select")
        elif tag == "button" and attrs.get("type", "submit") == "submit":
            fields.setdefault(name, Field(name, "submit", value=attrs.get("value", "")))

    def handle_data(self, data):
        if self._textarea is not None:
            self._textarea.value += data

    def handle_endtag(self, tag):
        if tag == "form":
            self._form = None
        elif tag == "select":
            self._select = None
        elif tag == "textarea":
            self._textarea = None


def forms_of(html: str, page_path: str) -> list[Form]:
    """The POST forms of a page."""
    parser = FormParser(page_path)
    parser.feed(html)
    return parser.forms


def blank_pdf(width: int) -> bytes:
    """A small valid PDF."""
    return pdf_pages(width=width, height=842)


# Text no browser form would send, or that breaks careless code.
NASTY_TEXT = [
    "", " ", "\t\n", "\x00", "a\x00b", "\ud800", "\udfff", "x\ud83dy", "\u202egpj.pdf",
    "\u200f\u200e\u2066\u2069", "e\u0301\u0302\u0303" * 50, "Z\u0351\u0360\u0361" * 300,
    "👩‍👩‍👧‍👦" * 20, "\ufeff", "\u2028\u2029", "\r\nX-Injected: 1", "<script>alert(1)</script>",
    "' OR 1=1 --", "%(x)s {0} %s", "../../etc/passwd", "ệ" * 300, "A" * 25_000,
    "ký tự tiếng Việt", "\uffff\ufffe", "\U0010ffff", "٣٤", "１２", "NaN", "Infinity", "1e309",
]
NASTY_NUMBERS = ["0", "-1", "-0", "1", "2", "12", "120", "121", str(INT32), str(INT32 * 4),
                 str(2**63), str(10**30), "9" * 5000, "-99999999999", "0x10", "1.5", "1e3", " 7 ",
                 "٣", "²", "1_000", "+5"]
NASTY_DATES = ["2026-02-30", "2026-02-29", "2028-02-29", "2026-13-01", "2026-00-10",
               "0000-00-00", "0001-01-01", "9999-12-31", "10000-01-01", "2026-6-5",
               "31/12/2026", "30/02/2026", "2026-06-15T10:00", "today", "-2026-01-01",
               "2026-06-15", "2026-06-16", "2026-12-31", "1900-01-01"]


# Long random text from every plane, made once (hypothesis draws long text slowly).
_RANDOM = random.Random(12)
LONG_TEXT = ["".join(chr(_RANDOM.choice([_RANDOM.randrange(32, 0xD800),
                                         _RANDOM.randrange(0xE000, 0x110000)]))
                     for _ in range(size)) for size in (256, 301, 2001, 5001)]


def text_values() -> st.SearchStrategy[str]:
    """Any text: the nasty list, long random Unicode, generated short text, addresses."""
    return st.one_of(st.sampled_from(NASTY_TEXT), st.sampled_from(LONG_TEXT),
                     st.text(st.characters(), max_size=30),
                     # Addresses; not from_regex, which maps the whole of Unicode through
                     # a codec first (seconds per process).
                     st.text("abcdefghijklmnopqrstuvwxyz0123456789.", min_size=1, max_size=20)
                     .map(lambda local: f"{local}@example.com"))


def number_values() -> st.SearchStrategy[str]:
    """Numbers as a form sends them, and what it should never: huge, negative, not numbers."""
    return st.one_of(st.sampled_from(NASTY_NUMBERS), st.integers(-2**70, 2**70).map(str),
                     text_values())


def date_values() -> st.SearchStrategy[str]:
    """Dates: impossible ones, the edges of the calendar, other spellings, any text."""
    return st.one_of(st.sampled_from(NASTY_DATES), st.dates().map(lambda d: d.isoformat()),
                     text_values())


def file_values() -> st.SearchStrategy[tuple[bytes, str]]:
    """An uploaded file: empty, a real PDF, bytes that only start like one, any bytes."""
    contents = st.one_of(st.just(b""), st.just(blank_pdf(300)), st.binary(max_size=600),
                         st.just(b"%PDF-1.7\n" + b"\x00" * 64), st.just(b"\x89PNG\r\n\x1a\n"),
                         st.just(b"PK\x03\x04" + b"\x00" * 40))
    names = st.one_of(st.sampled_from(["ban.pdf", "a.png", "", ".pdf", "x" * 400 + ".pdf"]),
                      text_values())
    return st.tuples(contents, names)


def draw(strategy: st.SearchStrategy, count: int) -> list:
    """`count` values of a strategy, the same ones every run (derandomised hypothesis)."""
    drawn = []

    @settings(max_examples=count, derandomize=True, database=None, deadline=None,
              phases=[Phase.generate], suppress_health_check=list(HealthCheck))
    @given(strategy)
    def collect(value):
        drawn.append(value)

    collect()
    return drawn


class Pools:
    """Values drawn once per kind of field (hypothesis is slow per example: some 15 ms for a
    form of ten fields on this machine); a seeded generator then combines them per post."""

    def __init__(self, today: date, size: int = 150):
        self.today, self.pdf = today, blank_pdf(310)
        self.text = draw(text_values(), size)
        self.number = draw(number_values(), size // 2) + self.text[:20]
        self.date = draw(date_values(), size // 2) + self.text[:20]
        self.file = draw(file_values(), size // 3)

    def hostile(self, f: Field, rng: random.Random):
        """A hostile value for a field, of its kind most of the time."""
        kind, roll = f.kind, rng.random()
        if kind == "file":
            return rng.choice(self.file) if roll < 0.9 else rng.choice(self.text)
        if kind in ("select", "multiple", "radio", "checkbox") and f.options and roll < 0.3:
            return rng.choice(f.options)
        if kind == "hidden" and roll < 0.3:
            return f.value
        if kind in ("number", "range"):
            return rng.choice(self.number)
        if kind in ("date", "datetime-local"):
            return rng.choice(self.date)
        return rng.choice(self.text)

    def plausible(self, f: Field, rng: random.Random):
        """What a person would send: the value the page shows, else a choice it offers,
        ordinary text, a code, a date near today, a small number, the right password, a small
        real PDF."""
        if f.value.strip() and f.kind not in ("radio", "checkbox", "password") \
                and rng.random() < 0.7:
            return f.value.strip()
        options = [o for o in f.options if o not in ("", "0")] or f.options
        if f.kind in ("select", "radio", "checkbox", "multiple") and options:
            return f.value if f.value and rng.random() < 0.5 else rng.choice(options)
        day = self.today + timedelta(days=rng.choice([0, 7, 30]))
        plain = {"number": rng.choice(["1", "3", "12"]), "range": "1",
                 "date": day.isoformat(), "datetime-local": f"{day.isoformat()}T09:30",
                 "email": "nguoi.dung@example.com", "password": PASSWORD,
                 "file": (self.pdf, "quy-trinh.pdf")}
        if f.kind in plain:
            return plain[f.kind]
        if f.kind in ("hidden", "submit"):
            return f.value
        if "code" in f.name:
            return f"FZ-{rng.randrange(10_000)}"
        return rng.choice(["Kiểm tra nội dung", "Phòng Tài chính - Kế hoạch", "Đạt yêu cầu"])

    def post(self, form: Form, rng: random.Random) -> dict:
        """One generated post of a form. Two posts in three are what a person would send with
        one or two fields made hostile (so the hostile value gets past the other checks to
        the code behind them); the third is hostile throughout. Any field may be left out or
        sent several times (a list where one value is expected), and now and then a field
        the form does not have is added."""
        names = list(form.fields)
        hostile = set(names) if rng.random() < 1 / 3 else \
            set(rng.sample(names, min(len(names), rng.choice([1, 1, 2]))))
        values = {}
        for name, f in form.fields.items():
            make = self.hostile if name in hostile else self.plausible
            roll = rng.random()
            if name in hostile and roll < 0.1:
                continue
            if name in hostile and roll < 0.25:
                values[name] = [make(f, rng) for _ in range(rng.randint(2, 4))]
            else:
                values[name] = make(f, rng)
        if rng.random() < 0.1:
            values[rng.choice(["id", "version", "user_id", "status", "x\x00"])] = \
                rng.choice(self.text)
        return values


def _bytes(value) -> bytes:
    return value.encode("utf-8", "surrogatepass") if isinstance(value, str) else value


def encode(values: dict) -> tuple[bytes, str]:
    """The request body and its content type: multipart when a file is sent, else urlencoded;
    text is encoded as it is (a lone surrogate goes as its invalid UTF-8 bytes)."""
    pairs = []
    for name, value in values.items():
        if value is None:
            continue
        for item in value if isinstance(value, list) else [value]:
            pairs.append((name, item))
    if not any(isinstance(item, tuple) for _name, item in pairs):
        body = "&".join(f"{quote_plus(_bytes(k))}={quote_plus(_bytes(v))}" for k, v in pairs)
        return body.encode("ascii"), "application/x-www-form-urlencoded"
    boundary = "fuzz" + secrets.token_hex(12)
    parts = []
    for name, item in pairs:
        head = f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"'.encode(
            "utf-8", "surrogatepass")
        if isinstance(item, tuple):
            content, filename = item
            head += (f'; filename="{filename}"\r\nContent-Type: application/octet-stream'
                     .encode("utf-8", "surrogatepass"))
            parts.append(head + b"\r\n\r\n" + content + b"\r\n")
        else:
            parts.append(head + b"\r\n\r\n" + _bytes(item) + b"\r\n")
    body = b"".join(parts) + f"--{boundary}--\r\n".encode()
    return body, f"multipart/form-data; boundary={boundary}"


class PostgresRefusal(Exception):
    """What PostgreSQL would have refused, found on SQLite."""


def _check_parameters(_conn, _cursor, _statement, parameters, _context, _executemany):
    rows = parameters if isinstance(parameters, list) else [parameters]
    for row in rows:
        for value in (row.values() if isinstance(row, dict) else row or ()):
            if isinstance(value, str) and "\x00" in value:
                raise PostgresRefusal("PostgreSQL refuses NUL (0x00) in text")
            if isinstance(value, int) and not isinstance(value, bool) \
                    and not -INT32 <= value < INT32:
                raise PostgresRefusal(f"integer out of range for PostgreSQL: {value}")


def _check_lengths(session, _context, _instances):
    for obj in [*session.new, *session.dirty]:
        mapper = inspect(obj).mapper
        for column in mapper.columns:
            value = getattr(obj, mapper.get_property_by_column(column).key, None)
            if isinstance(column.type, String) and column.type.length \
                    and isinstance(value, str) and len(value) > column.type.length:
                raise PostgresRefusal(f"{column.table.name}.{column.name}: {len(value)} "
                                      f"characters, more than varchar({column.type.length})")
            if isinstance(column.type, Integer) and isinstance(value, int) \
                    and not isinstance(value, bool) and not -INT32 <= value < INT32:
                raise PostgresRefusal(f"{column.table.name}.{column.name}: {value} is out "
                                      "of PostgreSQL's integer range")


def refuse_like_postgresql(engine, session):
    """Install the checks; returns a function that removes them."""
    event.listen(engine, "before_cursor_execute", _check_parameters)
    event.listen(session, "before_flush", _check_lengths)

    def remove():
        event.remove(engine, "before_cursor_execute", _check_parameters)
        event.remove(session, "before_flush", _check_lengths)

    return remove
