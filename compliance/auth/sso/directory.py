"""LDAP / Active Directory with ldap3: the service account (bind DN and password from the
environment or a file) finds the person by a configurable base and filter, their own simple
bind over LDAPS or StartTLS proves the password (never stored), and their groups are read
from the directory (group entries naming them, and `memberOf` where the directory keeps it).
"""

from __future__ import annotations

import ssl
import uuid

from flask import current_app
from ldap3 import NONE, SUBTREE, Connection, Server, Tls
from ldap3.core.exceptions import LDAPException
from ldap3.utils.conv import escape_filter_chars

from compliance.auth.sso import settings
from compliance.auth.sso.models import LDAP

# Active Directory's "account disabled" bit of userAccountControl.
_AD_DISABLED = 0x2


class DirectoryDown(Exception):
    """The directory cannot be reached or refuses the service account."""


class Disabled(Exception):
    """The directory holds the person, but their account there is disabled or locked."""


def _server() -> Server:
    config = current_app.config
    url = config["LDAP_URL"]
    tls = Tls(validate=ssl.CERT_REQUIRED, version=ssl.PROTOCOL_TLS_CLIENT,
              ca_certs_file=config["LDAP_CA_FILE"] or None)
    # No schema read (get_info): one round trip less, and the attributes asked for that a
    # directory lacks (memberOf, AD's flags) are simply not returned.
    return Server(url, use_ssl=url.lower().startswith("ldaps://"), tls=tls, get_info=NONE,
                  connect_timeout=config["LDAP_TIMEOUT"])


def _connect(server: Server, user: str, password: str) -> Connection:
    """A bound connection, or one whose `bound` is False when the password is wrong."""
    config = current_app.config
    connection = Connection(server, user=user, password=password,
                            receive_timeout=config["LDAP_TIMEOUT"], raise_exceptions=False)
    connection.open()
    if config["LDAP_STARTTLS"] and not server.ssl and not connection.start_tls():
        raise DirectoryDown("starttls")
    connection.bind()
    return connection


def _service(server: Server) -> Connection:
    connection = _connect(server, current_app.config["LDAP_BIND_DN"],
                          settings.secret("LDAP_BIND_PASSWORD"))
    if not connection.bound:
        raise DirectoryDown("service bind refused")
    return connection


def _first(entry: dict, name: str):
    values = entry.get(name) or []
    return values[0] if isinstance(values, list) and values else values or None


def _subject(value) -> str:
    if isinstance(value, bytes):  # objectGUID: 16 bytes, little-endian as AD writes them
        return str(uuid.UUID(bytes_le=value)) if len(value) == 16 else value.hex()
    return str(value)


def _disabled(entry: dict) -> bool:
    flags = _first(entry, "userAccountControl")
    if flags is not None and int(flags) & _AD_DISABLED:
        return True
    return bool(entry.get("pwdAccountLockedTime"))


def _groups(connection: Connection, dn: str, entry: dict) -> list[str]:
    config = current_app.config
    found = [str(g) for g in entry.get("memberOf") or []]
    base = config["LDAP_GROUP_BASE"] or config["LDAP_USER_BASE"]
    connection.search(base, config["LDAP_GROUP_FILTER"].format(dn=escape_filter_chars(dn)),
                      SUBTREE, attributes=["cn"])
    for group in connection.response or []:
        if group.get("type") == "searchResEntry":
            found.append(group["dn"])
            found.extend(str(cn) for cn in group["attributes"].get("cn") or [])
    return found


def _find(connection: Connection, email: str) -> tuple[str, dict] | None:
    config = current_app.config
    attributes = ["mail", "cn", "displayName", "memberOf", "userAccountControl",
                  "pwdAccountLockedTime", config["LDAP_ID_ATTRIBUTE"]]
    connection.search(config["LDAP_USER_BASE"],
                      config["LDAP_USER_FILTER"].format(email=escape_filter_chars(email)),
                      SUBTREE, attributes=attributes, size_limit=2)
    entries = [e for e in connection.response or [] if e.get("type") == "searchResEntry"]
    if len(entries) != 1:  # nobody, or an ambiguous filter: no guessing
        return None
    return entries[0]["dn"], dict(entries[0]["attributes"])


def authenticate(email: str, password: str) -> dict | None:
    """Who the directory says this is (provider, subject, email, name, groups), or None for
    an unknown address or a wrong password; Disabled, or DirectoryDown."""
    if not password:
        return None
    try:
        server = _server()
        service = _service(server)
        found = _find(service, email)
        if found is None:
            return None
        dn, entry = found
        if _disabled(entry):
            raise Disabled(dn)
        person = _connect(server, dn, password)
        if not person.bound:
            return None
        person.unbind()
        groups = _groups(service, dn, entry)
        service.unbind()
    except LDAPException as error:
        raise DirectoryDown(type(error).__name__) from None
    subject = _first(entry, current_app.config["LDAP_ID_ATTRIBUTE"]) or dn
    return {"provider": LDAP, "subject": _subject(subject),
            "email": str(_first(entry, "mail") or email), "email_verified": True,
            "name": str(_first(entry, "displayName") or _first(entry, "cn") or email),
            "groups": groups}
