"""A real OpenLDAP (Debian's slapd) for the tests: its own configuration and database under
a temporary folder, LDAPS on 127.0.0.1 at a free port with a certificate made at start-up,
seeded from people.ldif (demo people and groups, one account locked)."""

from __future__ import annotations

import datetime
import ipaddress
import shutil
import socket
import subprocess
import time
from pathlib import Path
from types import SimpleNamespace

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID

from compliance.core import clock

HERE = Path(__file__).parent
SUFFIX = "dc=example,dc=vn"
SERVICE_DN = f"cn=compliance,ou=services,{SUFFIX}"
SERVICE_PASSWORD = "directory-service-secret"  # noqa: S105 - the test directory's own
PEOPLE_PASSWORD = "directory-person-pass"  # noqa: S105 - every seeded person's
SCHEMAS = ("core", "cosine", "inetorgperson", "nis")


def _certificate(folder: Path) -> tuple[Path, Path]:
    """A self-signed certificate for 127.0.0.1, the directory's and the clients' trust."""
    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "127.0.0.1")])
    now = clock.utcnow()
    cert = (x509.CertificateBuilder().subject_name(name).issuer_name(name)
            .public_key(key.public_key()).serial_number(x509.random_serial_number())
            .not_valid_before(now - datetime.timedelta(hours=1))
            .not_valid_after(now + datetime.timedelta(days=2))
            .add_extension(x509.SubjectAlternativeName(
                [x509.IPAddress(ipaddress.ip_address("127.0.0.1"))]), critical=False)
            .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
            .sign(key, hashes.SHA256()))
    cert_file, key_file = folder / "server.crt", folder / "server.key"
    cert_file.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    key_file.write_bytes(key.private_bytes(serialization.Encoding.PEM,
                                           serialization.PrivateFormat.PKCS8,
                                           serialization.NoEncryption()))
    return cert_file, key_file


def _config(folder: Path, cert_file: Path, key_file: Path) -> Path:
    includes = "\n".join(f"include /etc/ldap/schema/{s}.schema" for s in SCHEMAS)
    hashed = subprocess.run(["slappasswd", "-s", SERVICE_PASSWORD], check=True,
                            capture_output=True, text=True).stdout.strip()
    (folder / "data").mkdir()
    config = folder / "slapd.conf"
    config.write_text(f"""{includes}
modulepath /usr/lib/ldap
moduleload back_mdb
moduleload ppolicy
pidfile {folder}/slapd.pid
TLSCertificateFile {cert_file}
TLSCertificateKeyFile {key_file}
database mdb
suffix "{SUFFIX}"
rootdn "cn=admin,{SUFFIX}"
rootpw {hashed}
directory {folder}/data
overlay ppolicy
access to attrs=userPassword by anonymous auth by self write by * none
access to * by users read by * none
""")
    return config


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _wait_for(port: int, process: subprocess.Popen) -> None:
    deadline = time.monotonic() + 15
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError("slapd stopped at start-up")
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
            return
        except OSError:
            time.sleep(0.02)  # slapd is still opening its listener
    raise RuntimeError("slapd did not listen in time")


def start(folder: Path) -> SimpleNamespace:
    """Configure, seed and start slapd; its URL, CA file and a stop()."""
    if not shutil.which("slapd", path="/usr/sbin:/usr/bin:/sbin"):
        raise RuntimeError("slapd is not installed (Debian packages slapd, ldap-utils: "
                           "scripts/_setup.sh installs them)")
    cert_file, key_file = _certificate(folder)
    config = _config(folder, cert_file, key_file)
    person = subprocess.run(["slappasswd", "-s", PEOPLE_PASSWORD], check=True,
                            capture_output=True, text=True).stdout.strip()
    seed = (HERE / "people.ldif").read_text().replace("{PASSWORD}", person).replace(
        "{SERVICE_PASSWORD}", subprocess.run(["slappasswd", "-s", SERVICE_PASSWORD],
                                             check=True, capture_output=True,
                                             text=True).stdout.strip())
    (folder / "seed.ldif").write_text(seed)
    subprocess.run(["/usr/sbin/slapadd", "-f", str(config), "-l", str(folder / "seed.ldif")],
                   check=True, capture_output=True)
    port, plain_port = _free_port(), _free_port()
    url, plain = f"ldaps://127.0.0.1:{port}", f"ldap://127.0.0.1:{plain_port}"
    # LDAPS, and plain LDAP for StartTLS.
    process = subprocess.Popen(["/usr/sbin/slapd", "-f", str(config), "-h",
                                f"{url}/ {plain}/", "-d", "0"], stdout=subprocess.DEVNULL,
                               stderr=subprocess.DEVNULL)
    _wait_for(port, process)
    _wait_for(plain_port, process)

    def stop() -> None:
        process.terminate()
        process.wait(timeout=10)

    return SimpleNamespace(url=url, starttls_url=plain, ca_file=str(cert_file), stop=stop)
