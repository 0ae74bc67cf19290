"""Pages the tests fetched, shown to Chromium and checked there (issue 16): axe-core (from the
npm registry, tests/checkers), the page's width against the screen's, console errors and the
HTTP status of everything the page loads.

A server thread on 127.0.0.1 answers the page's own address with the answer the test client
fetched, and every other address (stylesheets, scripts) from the app's test client, once.
Not Playwright's request routing: it turns the browser's cache off and passes every body
through its driver, which tripled the cost of a page. One browser page serves every check:
a route's first page is loaded for real once, and every page, in each language, is then
shown in the open document (SWAP), at 1366 px where axe reads it and at 390 px.
"""

from __future__ import annotations

import contextlib
import threading
from dataclasses import dataclass, field
from pathlib import Path

from werkzeug.serving import WSGIRequestHandler, make_server

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run",
                 "--disable-quic"]
AXE = (Path(__file__).resolve().parent / "checkers" / "node_modules" / "axe-core"
       / "axe.min.js")
WIDE, PHONE = {"width": 1366, "height": 800}, {"width": 390, "height": 844}

# axe on the whole page, violations only (passes and incomplete results cost time unread);
# what comes back is what the assertion message needs.
RUN_AXE = """async (rules) => {
  const options = {resultTypes: ["violations"]};
  if (rules) { options.runOnly = {type: "rule", values: rules}; }
  const found = await axe.run(document, options);
  return found.violations.filter(v => v.impact === "serious" || v.impact === "critical")
    .map(v => v.id + " (" + v.impact + "): " + v.nodes.slice(0, 3)
      .map(n => n.target.join(" ")).join(", "));
}"""
# At the phone's width the DOM is the one axe read at the wide one (the server sends one page
# and no script of the product rebuilds it by width): only the rule whose answer follows
# from the narrow layout is run again there.
PHONE_RULES = ["scrollable-region-focusable"]
# A page's other language changes its words, not its markup or colours: there axe runs the
# rules whose answer follows from words (names, titles, languages), not color-contrast
# (two thirds of axe's time).
WORD_RULES = ["document-title", "html-has-lang", "html-lang-valid", "valid-lang", "label",
              "button-name", "link-name", "input-button-name", "select-name", "image-alt",
              "aria-command-name", "aria-input-field-name", "aria-toggle-field-name",
              "summary-name", "empty-table-header", "label-content-name-mismatch"]
ALL_RULES: list[str] = []
WIDER = "() => document.documentElement.scrollWidth - window.innerWidth"
# A page shown in the document already open, its stylesheets and axe loaded and warm: a
# navigation costs some 0.3 s of CPU, this a third of it. Its own scripts do not run (they
# ran when a version of the same page was loaded for real); what the product's scripts do
# on a resize (app.js) is done, as the page had just been resized to its width.
SWAP = """(html) => {
  const doc = new DOMParser().parseFromString(html, "text/html");
  document.body.replaceWith(document.adoptNode(doc.body));
  document.documentElement.lang = doc.documentElement.lang;
  document.title = doc.title;
  window.dispatchEvent(new Event("resize"));
}"""


@dataclass
class Shown:
    """A page to check and what was found wrong with it."""

    label: str
    url: str
    response: object
    load: bool = False     # navigated to for real (console, CSP, HTTP), not only shown
    axe: list[str] | None = None   # the axe rules to run at 1366 px (ALL_RULES: every one)
    problems: list[str] = field(default_factory=list)


# One Playwright and one Chromium per process, shared by every test that asks: a second
# sync Playwright started while the first runs fails ("Sync API inside the asyncio loop"), and
# the browser flows' session fixture keeps one open while a worker goes on to other files
# (the route walk, the oversight pages). Stopped at the end of the session.
_SHARED: dict[str, object] = {}


def stop_shared() -> None:
    """Close the process's Chromium and Playwright (tests/conftest.py, at the session's end)."""
    browser, playwright = _SHARED.pop("browser", None), _SHARED.pop("playwright", None)
    if browser is not None:
        browser.close()
    if playwright is not None:
        playwright.stop()


@contextlib.contextmanager
def chromium():
    """A headless Debian Chromium (Playwright drives it; no browser download), shared by the
    process: callers open contexts of their own in it and close them."""
    from playwright.sync_api import sync_playwright

    assert CHROMIUM.exists(), f"{CHROMIUM} is missing: install Debian's chromium package"
    browser = _SHARED.get("browser")
    if browser is None or not browser.is_connected():
        stop_shared()
        playwright = _SHARED["playwright"] = sync_playwright().start()
        browser = _SHARED["browser"] = playwright.chromium.launch(
            executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS)
    yield browser


@contextlib.contextmanager
def page_checker(browser, client):
    """A PageChecker with its server thread, stopped at the end of the block."""
    checker = PageChecker(client)
    server = make_server("127.0.0.1", 0, checker.answer, request_handler=_Quiet)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        checker.open(browser, f"http://127.0.0.1:{server.server_port}")
        yield checker
    finally:
        checker.page.context.close()
        server.shutdown()
        thread.join(timeout=10)


class PageChecker:
    """Shows recorded pages to one Chromium page and reports what is wrong with each."""

    def __init__(self, client):
        self.client = client
        self.files: dict[str, object] = {}
        self.current: tuple[str, object] | None = None
        self.shown = Shown("", "", None)
        self.origin = self.page = None

    def open(self, browser, origin: str) -> None:
        """The browser page the checks use, its pages fetched from `origin`."""
        self.origin = origin
        context = browser.new_context(viewport=WIDE)
        context.add_init_script(script=AXE.read_text(encoding="utf-8"))
        self.page = context.new_page()
        self.page.on("console", self._console)
        self.page.on("pageerror", lambda error: self.shown.problems.append(f"script: {error}"))

    def check(self, pages: list[Shown]) -> None:
        """The pages marked for axe at 1366 px, then every page at 390 px: the width each
        time, axe where asked (all of its rules at the wide width, the layout's at the
        phone's), and for those loaded for real, console errors and failed requests. A route's
        other shapes differ from its first in their forms' fields only, which wrap at any
        width: they are measured at 390 px only."""
        page = self.page
        for width, phone in ((WIDE, False), (PHONE, True)):
            page.set_viewport_size(width)
            for shown in pages if phone else [shown for shown in pages if shown.axe is not None]:
                self.shown = shown
                if shown.load and (not phone or shown.axe is None):
                    self.current = (shown.url, shown.response)
                    page.goto(self.origin + shown.url, wait_until="load")
                else:
                    page.evaluate(SWAP, shown.response.get_data(as_text=True))
                where = f"{width['width']} px"
                wider = page.evaluate(WIDER)
                if wider > 0:
                    shown.problems.append(f"{where}: {wider} px wider than the screen")
                rules = PHONE_RULES if phone else shown.axe
                if shown.axe is not None and rules is not None:
                    shown.problems += [f"{where}: {found}"
                                       for found in page.evaluate(RUN_AXE, rules or None)]

    def _console(self, message) -> None:
        if message.type == "error":
            self.shown.problems.append(f"console: {message.text}")

    def answer(self, environ, start_response):
        """The WSGI app of the server thread: the page being checked, or a file it loads."""
        target = environ.get("PATH_INFO", "")
        if environ.get("QUERY_STRING"):
            target += "?" + environ["QUERY_STRING"]
        if self.current and target == self.current[0]:
            response = self.current[1]
        else:
            if target not in self.files:
                self.files[target] = self.client.get(target)
            response = self.files[target]
        if response.status_code >= 400:
            self.shown.problems.append(f"HTTP {response.status_code}: {target}")
        return response(environ, start_response)


class _Quiet(WSGIRequestHandler):
    def log_request(self, *args, **kwargs):
        """No line per file served."""
