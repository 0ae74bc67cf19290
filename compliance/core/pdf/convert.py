"""PDF renditions of office files (DOCX, XLSX, ODT, ODS), made by LibreOffice in headless mode.

`office_to_pdf` runs in the limited child of core.pdf.pool (job `office`): LibreOffice is
started there, so it inherits the child's address-space and CPU limits and belongs to the
child's process group, which the pool kills with the child past the time limit. Each run has
a LibreOffice profile of its own in a fresh folder, made and removed by the web process (a
killed run leaves nothing behind). The profile blocks every link a document makes to files
or addresses outside itself (linked images, linked sheets) and turns macros off; the
environment sends any network request that still gets out to a closed port.
`convert_limited` is the web process's side; `renderer()` says whether LibreOffice is there."""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import tempfile
from pathlib import Path

from compliance.core.pdf import pool
from compliance.core.pdf.limits import (
    DEFAULT_OFFICE_MEMORY_LIMIT_MB,
    DEFAULT_OFFICE_RENDERER,
    DEFAULT_OFFICE_TIME_LIMIT,
    RenderFailed,
    RenderLimitExceeded,
    _,
    config_value,
)

KINDS = ("docx", "xlsx", "odt", "ods")
# The pool stops a run at the time limit; the child's own deadline, this much later, holds
# only when the web process died and nobody else is left to stop LibreOffice.
GRACE_SECONDS = 10
# The discard port on this machine: nothing listens there, so a request fails at once.
NOWHERE_HOST, NOWHERE_PORT = "127.0.0.1", 9
NOWHERE = f"http://{NOWHERE_HOST}:{NOWHERE_PORT}"
_SCRIPTING = "/org.openoffice.Office.Common/Security/Scripting"
_SETTINGS = {
    # Links from a document that is not in a trusted location (none is) are not followed:
    # no linked image, sheet or frame is loaded, from the network or from this machine.
    (_SCRIPTING, "BlockUntrustedRefererLinks"): "true",
    (_SCRIPTING, "DisableMacrosExecution"): "true",
    (_SCRIPTING, "MacroSecurityLevel"): "3",
    # A manual proxy that leads nowhere, for any request that would still be made.
    ("/org.openoffice.Inet/Settings", "ooInetProxyType"): "1",
    **{("/org.openoffice.Inet/Settings", f"ooInet{scheme}ProxyName"): NOWHERE_HOST
       for scheme in ("HTTP", "HTTPS", "FTP")},
    **{("/org.openoffice.Inet/Settings", f"ooInet{scheme}ProxyPort"): str(NOWHERE_PORT)
       for scheme in ("HTTP", "HTTPS", "FTP")},
}
PROFILE = ('<?xml version="1.0" encoding="UTF-8"?>\n'
           '<oor:items xmlns:oor="http://openoffice.org/2001/registry" '
           'xmlns:xs="http://www.w3.org/2001/XMLSchema" '
           'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">\n'
           + "".join(f'<item oor:path="{path}"><prop oor:name="{name}" oor:op="fuse">'
                     f"<value>{value}</value></prop></item>\n"
                     for (path, name), value in _SETTINGS.items())
           + "</oor:items>\n")


class ConversionFailed(Exception):
    """LibreOffice ended without a PDF (in the child: the job answers status 3)."""


def renderer() -> str | None:
    """The LibreOffice program of the configuration (OFFICE_RENDERER), if it is installed."""
    return shutil.which(str(config_value("OFFICE_RENDERER", DEFAULT_OFFICE_RENDERER)))


def convert_limited(kind: str, data: bytes, binary: str) -> bytes:
    """The PDF rendition of an office file, made in a limited child: RenderLimitExceeded
    past the time or memory limit (or when no child is free), RenderFailed when
    LibreOffice could not convert the file."""
    seconds = float(config_value("OFFICE_TIME_LIMIT", DEFAULT_OFFICE_TIME_LIMIT))
    megabytes = int(config_value("OFFICE_MEMORY_LIMIT_MB", DEFAULT_OFFICE_MEMORY_LIMIT_MB))
    work = tempfile.mkdtemp(prefix="compliance-office-")
    try:
        head, pdf = pool.run({"kind": "office", "file_kind": kind, "binary": binary,
                              "work": work, "seconds": seconds}, data,
                             time_limit=seconds, memory_mb=megabytes)
    except RenderLimitExceeded as error:
        if error.busy:
            raise
        raise _limit_exceeded(error.limit, seconds, megabytes) from None
    finally:
        shutil.rmtree(work, ignore_errors=True)
    if head.get("status") != 0:
        raise RenderFailed(_(
            "LibreOffice could not make a PDF of this %(kind)s file, so it was not saved. "
            "Open it in your office program, save it as PDF and upload the PDF.",
            kind=kind.upper()))
    return pdf


def _limit_exceeded(limit: str, seconds: float, megabytes: int) -> RenderLimitExceeded:
    # 422, as an uploaded PDF that cannot be checked within the limits: the file is refused
    # (503 stays for a server too busy to start the work at all).
    if limit == "memory":
        return RenderLimitExceeded(_(
            "Making the PDF copy of this file needed more than the memory limit of "
            "%(megabytes)s MB, so it was stopped and the file was not saved. Save it as PDF "
            "in your office program and upload the PDF.", megabytes=megabytes),
            limit="memory", status=422)
    return RenderLimitExceeded(_(
        "Making the PDF copy of this file took longer than the limit of %(seconds)s seconds, "
        "so it was stopped and the file was not saved. Try again in a few minutes, or save "
        "it as PDF in your office program and upload the PDF.", seconds=f"{seconds:g}"),
        status=422)


def _environment(root: Path) -> dict[str, str]:
    """Nothing of the web process's environment but PATH: a home, a locale, dead proxies."""
    env = {"PATH": os.environ.get("PATH", "/usr/local/bin:/usr/bin:/bin"),
           "HOME": str(root), "TMPDIR": str(root), "LANG": "C.UTF-8", "LC_ALL": "C.UTF-8",
           "no_proxy": "", "NO_PROXY": ""}
    for name in ("http_proxy", "https_proxy", "ftp_proxy", "all_proxy"):
        env[name] = env[name.upper()] = NOWHERE
    return env


def office_to_pdf(kind: str, data: bytes, binary: str, work: str, seconds: float) -> bytes:
    """Convert in this process's child (for a caller that is a limited worker already)."""
    if kind not in KINDS:
        raise ConversionFailed(f"no conversion for {kind!r}")
    root = Path(work)
    profile = root / "profile"
    (profile / "user").mkdir(parents=True)
    (profile / "user" / "registrymodifications.xcu").write_text(PROFILE, encoding="utf-8")
    source, out = root / f"document.{kind}", root / "out"
    source.write_bytes(data)
    command = [binary, "--headless", "--invisible", "--nologo", "--nodefault", "--nolockcheck",
               "--norestore", f"-env:UserInstallation={profile.as_uri()}",
               "--convert-to", "pdf", "--outdir", str(out), str(source)]
    process = subprocess.Popen(  # noqa: S603 - the configured program, arguments of our own
        command, cwd=root, env=_environment(root), stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE, stderr=subprocess.STDOUT, close_fds=True)
    try:
        output, _none = process.communicate(timeout=seconds + GRACE_SECONDS)
    except subprocess.TimeoutExpired:
        _stop(process)
        raise ConversionFailed(f"LibreOffice still running after {seconds:g} s") from None
    result = out / "document.pdf"
    if process.returncode != 0 or not result.is_file():
        tail = output.decode(errors="replace")[-300:]
        raise ConversionFailed(f"LibreOffice ended with {process.returncode}: {tail}")
    return result.read_bytes()


def _stop(process: subprocess.Popen) -> None:
    """Kill LibreOffice and its helpers: with this child's whole group when the child leads
    one (a pool child, which then dies too), else LibreOffice's first process only."""
    if os.getpgid(0) == os.getpid():
        os.killpg(0, signal.SIGKILL)
    process.kill()
    process.wait()
