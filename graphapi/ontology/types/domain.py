"""Internet domain names, the key of Website nodes, from URLs or bare hosts.

Source: RFC 1035 / RFC 1123 host names (labels of 1-63 letters, digits, hyphens; at most 253
characters), IDNA 2008 with UTS #46 mapping (RFC 5890-5891) via the ``idna`` package for
internationalised names. Canonical shape: the lower-case ASCII host ("A-label" form for
internationalised names), no scheme, user, port, path or trailing dot, a leading "www." dropped:
"https://www.princeholdinggroup.com/" -> "princeholdinggroup.com". IP addresses and single-label
hosts are rejected. Underscores are tolerated in ASCII labels, as real hosts use them.
"""

from __future__ import annotations

import ipaddress
import re
from typing import Any
from urllib.parse import urlsplit

import idna

from graphapi.ontology.types.base import ValueType, code_text, distinct, text_of

_LABEL = re.compile(r"[a-z0-9_]([a-z0-9_-]{0,61}[a-z0-9_])?")
_TLD = re.compile(r"[a-z]{2,63}|xn--[a-z0-9-]{1,59}")


def host_of(value: Any) -> str | None:
    """Return the lower-case host of a URL or bare host ("HTTPS://A.b/c?d" -> "a.b"), else None."""
    text = code_text(value)
    if text is None or any(ch.isspace() for ch in text):
        return None
    if "://" not in text:
        text = "//" + text.removeprefix("//")
    try:
        host = urlsplit(text).hostname
    except ValueError:
        return None
    return host.rstrip(".") if host else None


def _ascii(host: str) -> str | None:
    """Return the ASCII (A-label) form of ``host``, or ``None`` if it is not a valid name."""
    if not host.isascii():
        try:
            host = idna.encode(host, uts46=True).decode("ascii")
        except (idna.IDNAError, UnicodeError):
            return None
    labels = host.split(".")
    if len(host) > 253 or len(labels) < 2 or not _TLD.fullmatch(labels[-1]):
        return None
    return host if all(_LABEL.fullmatch(label) for label in labels) else None


class DomainType(ValueType):
    """A domain name; canonical lower-case ASCII host without "www."."""

    name = "domain"

    def clean(self, value: Any, **hints: Any) -> str | None:
        host = host_of(value)
        if host is None:
            return None
        try:
            ipaddress.ip_address(host)
            return None
        except ValueError:
            pass
        host = _ascii(host)
        if host and host.startswith("www.") and host.count(".") >= 2:
            host = host[4:]
        return host

    def variants(self, canonical: Any) -> list[str]:
        """Return the Unicode (U-label) form of an internationalised name ("xn--..." -> "ไทย")."""
        host = text_of(canonical)
        if host is None or "xn--" not in host:
            return []
        try:
            return distinct(canonical, [idna.decode(host)])
        except (idna.IDNAError, UnicodeError):
            return []
