"""An online account's key (``UserAccount``: service + handle), one rule for every loader, so
one account written two ways is one node (round a-56, F11):

- an e-mail address is its own account on service ``email``, its handle lower-cased (as a
  Person's ``email``, OFAC's ``Email Address``): ``Somchai@Gmail.com`` -> ``somchai@gmail.com``;
- a service whose usernames are case-insensitive (:data:`CASE_FREE`: Telegram, X, Instagram,
  TikTok, ...) keys its handle without the leading ``@`` and case-folded: ``@Somchai_88`` and
  ``somchai_88`` are one Telegram account;
- a service whose account is a phone number (:data:`BY_PHONE`: WhatsApp, Viber, Signal) keys it
  by the number in E.164 (``+66 81 234 5678`` -> ``+66812345678``), with the holder's countries
  as region hints; a number that does not clean is kept as written;
- any other service keeps its handle as written (stripped): a service's case rule is not known.

The service is lower-cased, with a few spellings of it folded (:data:`_SERVICES`).
"""

from __future__ import annotations

from collections.abc import Sequence

from graphapi.ontology.types import get_type

#: Services whose usernames are case-insensitive and written with or without a leading "@".
CASE_FREE = frozenset({"telegram", "twitter", "x", "instagram", "tiktok", "threads", "github", "reddit",
                       "facebook", "skype", "discord", "snapchat", "youtube", "wechat", "line", "kakaotalk"})
#: Services whose account is a phone number.
BY_PHONE = frozenset({"whatsapp", "viber", "signal"})
#: Spellings of a service folded to one name.
_SERVICES = {"e-mail": "email", "mail": "email", "tg": "telegram", "wa": "whatsapp", "whats app": "whatsapp",
             "twitter.com": "twitter", "x.com": "x", "kakao": "kakaotalk", "kakao talk": "kakaotalk"}


def account_service(service: str | None, handle: str) -> str:
    """The service of an account keyed by ``handle``: ``service`` lower-cased and folded, else
    ``email`` for an e-mail address, else ``unknown``."""
    name = " ".join((service or "").split()).casefold()
    if name:
        return _SERVICES.get(name, name)
    return "email" if "@" in handle.strip()[1:] else "unknown"


def account_handle(service: str, handle: str, regions: Sequence[str] = ()) -> str:
    """``handle`` as the key of an account on ``service`` (see the module docstring)."""
    text = handle.strip()
    if service == "email":
        return text.lower()
    if service in CASE_FREE:
        return text.removeprefix("@").strip().casefold()
    if service in BY_PHONE:
        return get_type("phone").clean(text, country=list(regions) or None) or text
    return text


def user_account(service: str | None, handle: str, regions: Sequence[str] = ()) -> dict[str, str]:
    """A UserAccount's key properties (``service``, ``handle``) for ``handle`` on ``service``."""
    name = account_service(service, handle)
    return {"service": name, "handle": account_handle(name, handle, regions)}
