"""The SSRF guard: a hook may post only to a public address over http or https.

A URL is refused when its host is the instance itself (BASE_URL's or SERVER_NAME's host) or
resolves to an address that is not globally routable (loopback, link-local, private,
unspecified, shared, multicast, reserved), unless WEBHOOK_ALLOWED_HOSTS names the host.
It is checked when a hook is registered and again before each attempt (DNS may have changed
since), and the attempt connects to the very address checked, so a second lookup cannot
hand it another one.
"""

from __future__ import annotations

import ipaddress
import socket
from urllib.parse import urlsplit

from flask import current_app
from flask_babel import gettext as _

from compliance.core.errors import DomainError

SCHEMES = {"http": 80, "https": 443}


class UrlRefused(DomainError):
    """A hook URL the guard will not post to (422 on the API, at the form's field)."""

    def __init__(self, message: str):
        super().__init__(message, status=422, field="url")
        self.code = "url_refused"


def allowed_hosts() -> frozenset[str]:
    """The hosts named by WEBHOOK_ALLOWED_HOSTS (a list, or a comma-separated string)."""
    value = current_app.config.get("WEBHOOK_ALLOWED_HOSTS") or ()
    if isinstance(value, str):
        value = value.split(",")
    return frozenset(h.strip().lower().strip("[]") for h in value if h.strip())


def _own_hosts() -> set[str]:
    config = current_app.config
    hosts = {urlsplit(config.get("BASE_URL") or "").hostname,
             (config.get("SERVER_NAME") or "").rsplit(":", 1)[0].lower() or None}
    return {h.lower() for h in hosts if h}


def _own_addresses(port: int) -> set[str]:
    # By address too: the instance's public address typed as a number is still itself.
    found: set[str] = set()
    for host in _own_hosts():
        try:
            found.update(info[4][0] for info in socket.getaddrinfo(host, port,
                                                                   type=socket.SOCK_STREAM))
        except (OSError, UnicodeError, ValueError):
            continue  # a name that does not resolve here cannot be reached either
    return found


def split(url: str) -> tuple[str, str, int]:
    """(scheme, host, port) of a hook URL, or UrlRefused for one it cannot be."""
    url = (url or "").strip()
    # Printable ASCII only: what an HTTP request line can carry (percent-encode the rest).
    if not url.isascii() or not url.isprintable() or " " in url:
        raise UrlRefused(_("This is not a valid URL."))
    try:
        parts = urlsplit(url)
        port = parts.port
    except ValueError:
        raise UrlRefused(_("This is not a valid URL.")) from None
    if parts.scheme not in SCHEMES or not parts.hostname:
        raise UrlRefused(_("The URL must start with http:// or https:// and name a host."))
    if parts.username or parts.password:
        raise UrlRefused(_("The URL must not carry a user name or password."))
    return parts.scheme, parts.hostname.lower(), port or SCHEMES[parts.scheme]


def _addresses(host: str, port: int) -> list[str]:
    try:
        found = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except (OSError, UnicodeError, ValueError):
        raise UrlRefused(_("The host of this URL cannot be found.")) from None
    return list(dict.fromkeys(info[4][0] for info in found))


def _public(address: str) -> bool:
    ip = ipaddress.ip_address(address.split("%", 1)[0])
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped is not None:
        ip = ip.ipv4_mapped
    return ip.is_global and not ip.is_multicast


def check(url: str) -> tuple[str, str, int, str | None]:
    """(scheme, host, port, address to connect to) for a URL the guard lets through;
    UrlRefused (at the `url` field) for any other. A host the allow-list names is let
    through unresolved (None: connect by its name)."""
    scheme, host, port = split(url)
    if host in allowed_hosts():
        return scheme, host, port, None
    if host in _own_hosts():
        raise UrlRefused(_("A webhook cannot point at this instance itself."))
    addresses = _addresses(host, port)
    if set(addresses) & _own_addresses(port):
        raise UrlRefused(_("A webhook cannot point at this instance itself."))
    if not all(_public(address) for address in addresses):
        raise UrlRefused(_("This URL points at a loopback, link-local or private address; "
                           "an administrator of the installation may allow its host with "
                           "WEBHOOK_ALLOWED_HOSTS."))
    return scheme, host, port, addresses[0]
