"""Screenshots of real pages of the demo for docs/img (run from the checkout's venv).

Creates a fresh demo instance in a temporary folder, runs the scheduler's jobs once so the
reminders exist, serves it, signs in as the demo people and saves full-page PNGs.
Usage: .venv/bin/python scripts/screenshots.py [--out docs/img] [--only a.png,b.png]
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

from playwright.sync_api import sync_playwright

PASSWORD = "ThanhBinh-demo-2026"  # noqa: S105 - the published demo password
# The demo's procedure written in Word (compliance/demo_office.py), opened from the register.
OFFICE_PROCEDURE = ("/documents/", "tr:has-text('One-stop-shop intake and return of results "
                    "procedure') a[href*='/documents/']")
# (who signs in, path, file name, language[, the part of the page to save: the element a
# selector finds, or with ABOVE the whole width of the page above it])
ABOVE = "above:"
SHOTS = [
    ("thu.tran", "/", "my-work-en.png", "en"),
    ("thu.tran", "/notifications/", "notifications-en.png", "en"),
    ("thu.tran", "/notifications/settings", "notification-settings-en.png", "en"),
    ("thu.tran", "/admin/scheduler/", "scheduler-en.png", "en"),
    ("phuc.le", "/", "my-work-head-vi.png", "vi"),
    ("thu.tran", "/reports/six-monthly/organisation", "six-monthly-en.png", "en"),
    ("thu.tran", "/management-reviews/", "management-reviews-en.png", "en"),
    # The quality system (issue 13). A tuple path is followed by clicks from the first page:
    # the demo's ids are not fixed, the links are.
    ("thu.tran", ("/processes/", "a:text-is('Change and correction of civil status')"),
     "process-hub-en.png", "en"),
    ("thu.tran", ("/measures/", "[data-testid=measure-M-TTHC-TP-04] a[href*='/measures/']"),
     "measure-en.png", "en"),
    ("thu.tran", "/objectives/", "objectives-en.png", "en"),
    ("thu.tran", ("/departments/", "a:text-is('Justice Office')",
                  "[data-testid=department-quality]"), "department-quality-en.png", "en"),
    ("thu.tran", "/risks/", "risks-en.png", "en"),
    ("thu.tran", "/risks/heat-map", "heat-map-en.png", "en"),
    ("thu.tran", "/monitoring", "monitoring-en.png", "en"),
    # Document control (issue 20).
    ("thu.tran", "/documents/chains", "approval-chains-en.png", "en"),
    ("thu.tran", "/documents/retention/rules", "retention-rules-en.png", "en"),
    ("thu.tran", "/documents/retention/due", "disposition-due-en.png", "en"),
    ("thu.tran", "/documents/holds", "legal-holds-vi.png", "vi"),
    # Above its history: the audit events' before and after would take most of the picture.
    ("thu.tran", OFFICE_PROCEDURE, "document-detail-en.png", "en",
     ABOVE + "h2:text-is('History')"),
    ("thu.tran", (*OFFICE_PROCEDURE, "[data-testid=compare-form] button"),
     "document-compare-en.png", "en"),
    ("thu.tran", OFFICE_PROCEDURE, "document-rendition-en.png", "en",
     "[data-testid=revisions]"),
    # Revision 02 of the procedure awaits the administrator at step 2 of its chain.
    ("admin", (*OFFICE_PROCEDURE, "a[href$='/sign']"), "document-sign-en.png", "en"),
    # What a Vietnamese agency keeps (issue 17); single sign-on and the second factor (19).
    ("thu.tran", "/documents/external/", "external-documents-vi.png", "vi"),
    ("thu.tran", "/scope/handling/", "handling-vi.png", "vi"),
    ("thu.tran", "/steering/", "steering-vi.png", "vi"),
    ("thu.tran", "/reports/annual/template", "annual-template-vi.png", "vi"),
    ("admin", "/admin/sso/mapping", "sso-mapping-en.png", "en"),
    ("thu.tran", "/account/second-factor", "second-factor-en.png", "en"),
]
# At a phone's width (issue 16): the pages people open on the way, in Vietnamese. Who is
# None: not signed in. Each is cut at PHONE_HEIGHT (a register's cards run on for metres).
FIRST_ROW = "main tbody tr:first-child a"
PHONE_SHOTS = [
    ("thu.tran", "/", "phone-home-vi.png", "vi"),
    ("thu.tran", "/documents/", "phone-register-vi.png", "vi"),
    ("thu.tran", ("/documents/", FIRST_ROW), "phone-document-vi.png", "vi"),
    ("thu.tran", ("/audits/", FIRST_ROW), "phone-audit-vi.png", "vi"),
    ("thu.tran", ("/corrective-actions/", FIRST_ROW), "phone-corrective-action-vi.png", "vi"),
    (None, "/public/", "phone-public-register-vi.png", "vi"),
]
DESKTOP, PHONE = {"width": 1280, "height": 900}, {"width": 390, "height": 844}
PHONE_HEIGHT = 2400
PACK = ("evidence-pack-en.png", "evidence-packs-en.png")


def _command(venv_bin: Path, *args: str, env: dict) -> None:
    subprocess.run([str(venv_bin / "compliance"), *args], env=env, check=True,  # noqa: S603
                   stdout=subprocess.DEVNULL)


def _wait(url: str) -> None:
    for _ in range(100):
        try:
            urllib.request.urlopen(url, timeout=1)  # noqa: S310 - our own local server
            return
        except OSError:
            time.sleep(0.2)
    raise SystemExit(f"{url} did not answer")


def main() -> None:
    """Serve a fresh demo and save the screenshots."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--out", default="docs/img")
    parser.add_argument("--port", type=int, default=5099)
    parser.add_argument("--only", default="",
                        help="comma-separated file names: take only these (new) shots")
    args = parser.parse_args()
    only = {name.strip() for name in args.only.split(",") if name.strip()}
    venv_bin = Path(sys.executable).parent
    out = Path(args.out).resolve()
    with tempfile.TemporaryDirectory() as instance:
        env = {**os.environ, "COMPLIANCE_INSTANCE_PATH": instance}
        _command(venv_bin, "db", "upgrade", env=env)
        _command(venv_bin, "seed-demo", env=env)
        _command(venv_bin, "scheduler", "--once", env=env)
        server = subprocess.Popen([str(venv_bin / "compliance"), "serve", "--port",  # noqa: S603
                                   str(args.port), "--no-scheduler"], env=env,
                                  stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        base = f"http://127.0.0.1:{args.port}"
        try:
            _wait(base + "/login")
            _shoot_all(base, out, only)
        finally:
            server.terminate()
            server.wait(10)


def _go(page, base: str, path) -> None:
    """Open the path, or the first page of a tuple and then click each of its links."""
    first, *clicks = (path,) if isinstance(path, str) else path
    page.goto(base + first)
    for selector in clicks:
        page.click(selector)
        page.wait_for_load_state()


def _shoot_all(base: str, out: Path, only: set[str]) -> None:
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path="/usr/bin/chromium")
        shots = [(shot, DESKTOP) for shot in SHOTS] + [(shot, PHONE) for shot in PHONE_SHOTS]
        for (who, path, name, language, *part), size in shots:
            if only and name not in only:
                continue
            # Signed in and the language chosen at the desktop's width: at a phone's the
            # language buttons sit in the folded menu.
            context = browser.new_context(viewport=DESKTOP,
                                          locale="vi-VN" if language == "vi" else "en-GB")
            page = context.new_page()
            page.goto(base + "/login")
            if who is not None:
                page.fill("input[name=email]", f"{who}@thanhbinh.example")
                page.fill("input[name=password]", PASSWORD)
                page.click("main form input[type=submit]")
                page.wait_for_load_state()
            if page.locator("html").get_attribute("lang") != language:
                page.click(f"[data-testid=lang-{language}]")
                page.wait_for_load_state()
            page.set_viewport_size(size)
            _go(page, base, path)
            if size is PHONE:
                height = min(page.evaluate("document.documentElement.scrollHeight"),
                             PHONE_HEIGHT)
                page.screenshot(path=str(out / name), full_page=True,
                                clip={"x": 0, "y": 0, "width": PHONE["width"], "height": height})
            else:
                _save(page, out / name, part[0] if part else None)
            print("saved", out / name)
            context.close()
        if not only or only & set(PACK):
            _shoot_pack(browser, base, out)
        browser.close()


def _save(page, path: Path, part: str | None) -> None:
    """The whole page, one element of it, or the whole width of the page above an element."""
    if part is None:
        page.screenshot(path=str(path), full_page=True)
    elif part.startswith(ABOVE):
        top = page.locator(part.removeprefix(ABOVE)).bounding_box()["y"]
        width = page.evaluate("document.documentElement.scrollWidth")
        page.screenshot(path=str(path), full_page=True,
                        clip={"x": 0, "y": 0, "width": width, "height": top})
    else:
        page.locator(part).screenshot(path=str(path))


def _sign_in(browser, base: str, who: str):
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="en-GB")
    page = context.new_page()
    page.goto(base + "/login")
    page.fill("input[name=email]", f"{who}@thanhbinh.example")
    page.fill("input[name=password]", PASSWORD)
    page.click("main form input[type=submit]")
    page.wait_for_load_state()
    if page.locator("html").get_attribute("lang") != "en":
        page.click("[data-testid=lang-en]")
        page.wait_for_load_state()
    return context, page


def _shoot_pack(browser, base: str, out: Path) -> None:
    """An organisation pack built through the form, its page once the bar is full."""
    context, page = _sign_in(browser, base, "nhung.pham")
    page.goto(base + "/evidence/")
    page.select_option("select[name=scope_kind]", "organisation")
    page.click("form[action$='/evidence/'] input[type=submit]")
    page.wait_for_selector("[data-testid=pack-download]", timeout=300_000)
    page.screenshot(path=str(out / "evidence-pack-en.png"), full_page=True)
    print("saved", out / "evidence-pack-en.png")
    page.goto(base + "/evidence/")
    page.screenshot(path=str(out / "evidence-packs-en.png"), full_page=True)
    print("saved", out / "evidence-packs-en.png")
    context.close()


if __name__ == "__main__":
    main()
