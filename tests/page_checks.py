"""The Nu HTML validator run on pages the tests fetched (tests/checkers: vnu.jar from the npm
registry, run by Java; both installed by scripts/test). One Java process checks a whole
folder of pages at once: starting it per page would cost more than the checking."""

from __future__ import annotations

import functools
import json
import re
import shutil
import subprocess
import tempfile
from html.parser import HTMLParser
from pathlib import Path

VNU_JAR = (Path(__file__).resolve().parent / "checkers" / "node_modules" / "vnu-jar" / "build"
           / "dist" / "vnu.jar")


def html_errors(pages: dict[str, bytes]) -> list[str]:
    """Every error the validator finds, as "page: line: message" (warnings aside)."""
    java = shutil.which("java")
    assert java and VNU_JAR.exists(), "the Nu validator is missing: run ./scripts/test once"
    with tempfile.TemporaryDirectory(prefix="vnu-") as folder:
        for name, html in pages.items():
            # Names come from endpoints and roles, never from what a page says.
            (Path(folder) / f"{name}.html").write_bytes(html)
        # The first compiler tier alone: a run of seconds never repays the optimising one
        # (half the CPU time, the same messages).
        done = subprocess.run([java, "-Xss8m", "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC",  # noqa: S603
                               "-jar", str(VNU_JAR), "--errors-only", "--format", "json",
                               folder],
                              capture_output=True, text=True, timeout=600)
    messages = json.loads(done.stderr or "{}").get("messages", [])
    return [f"{Path(m.get('url', '')).stem}: {m.get('lastLine', '?')}: {m.get('message')} "
            f"[{m.get('extract', '').strip()[:80]}]" for m in messages]


# Names and codes a Vietnamese page writes in English letters as they are: standards, file
# formats, the product's and protocols' names.
NAMES_AND_CODES = frozenset({
    "iso", "pdf", "csv", "docx", "xlsx", "odt", "ods", "json", "html", "email", "mail",
    "smtp", "url", "compliance", "ofi", "capa", "utc", "sha", "zip", "english",
    # The walk's world is written by test helpers, some of its records in English (a
    # department's English name "Test office 3", addresses at example.test, a measure
    # "Dossiers settled on time", a party "Citizens", a file values.csv): data, not labels.
    "office", "example", "user", "member", "someone", "citizens", "values", "dossiers",
    "settled", "question", "scan",
})
WORD = re.compile(r"[A-Za-z]{3,}")
SKIPPED = frozenset({"script", "style", "code", "kbd", "samp"})
# What a reader meets besides the text: names read out by a screen reader, buttons' words.
READ_ATTRIBUTES = ("title", "aria-label", "placeholder", "alt")


class _Text(HTMLParser):
    """The words a reader sees or hears on a page."""

    def __init__(self):
        super().__init__()
        self.words: list[str] = []
        self.skipping = 0
        # Elements marked translate="no" (raw records, codes) and not yet closed, by tag.
        self.untranslated: list[str] = []

    def handle_starttag(self, tag, attrs):
        values = dict(attrs)
        if tag in SKIPPED or values.get("translate") == "no":
            self.skipping += 1
            self.untranslated.append(tag)
        self.words += [values[name] or "" for name in READ_ATTRIBUTES if name in values]
        if tag == "input" and values.get("type") in ("submit", "button"):
            self.words.append(values.get("value") or "")

    def handle_endtag(self, tag):
        if self.untranslated and self.untranslated[-1] == tag:
            self.untranslated.pop()
            self.skipping -= 1

    def handle_data(self, data):
        if not self.skipping:
            self.words.append(data)


@functools.cache
def english_only_words() -> frozenset[str]:
    """Words of the English source strings that no Vietnamese translation uses."""
    from babel.messages.pofile import read_po

    catalogue = Path(__file__).resolve().parents[1] / "compliance" / "translations" / "vi" \
        / "LC_MESSAGES" / "messages.po"
    with catalogue.open("rb") as po:
        messages = list(read_po(po))
    english, vietnamese = set(), set()
    for message in messages:
        for text, words in ((message.id, english), (message.string, vietnamese)):
            for part in (text if isinstance(text, tuple | list) else (text,)):
                words.update(w.lower() for w in WORD.findall(re.sub(r"%\(\w+\)\w", "", part or "")))
    return frozenset(english - vietnamese - NAMES_AND_CODES)


def english_words(html: bytes) -> list[str]:
    """English words on a page that should be Vietnamese, outside names and codes."""
    text = _Text()
    text.feed(html.decode("utf-8"))
    found = {w for part in text.words for w in WORD.findall(part)
             if w.lower() in english_only_words()}
    return sorted(found)
