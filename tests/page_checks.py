"""The Nu HTML validator run on pages the tests fetched (tests/checkers: vnu.jar from the npm
registry, run by Java; both installed by scripts/test). One Java process checks a whole
folder of pages at once: starting it per page would cost more than the checking."""

from __future__ import annotations

import json
import shutil
import subprocess
import tempfile
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
