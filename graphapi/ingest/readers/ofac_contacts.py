"""The contact nodes of an OFAC entry's Remarks: wallets, websites, e-mail accounts and phones.

Each becomes a node with its link from the entry (CONTROLS_WALLET, OPERATES_WEBSITE, HAS_ACCOUNT,
USES_PHONE). A value that does not clean is kept as text in the entry's ``identifiers``, never
dropped: ``invalidWallet:XBT:<address>``, ``Website:<site>``, ``UserAccount:<mail>``, ``Phone:<raw>``.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from graphapi.ingest.identity.user_accounts import account_handle
from graphapi.ingest.readers.base import Item
from graphapi.ingest.readers.ofac_remarks import Remarks
from graphapi.ingest.readers.wallets import wallet_properties
from graphapi.ingest.records import EdgeRecord, NodeRecord, Origin
from graphapi.ontology.model import Model
from graphapi.ontology.types import get_type

_DOMAIN, _PHONE = get_type("domain"), get_type("phone")


def contact_records(model: Model, entry_id: str, remarks: Remarks, hint: str | None, identifiers: list[str],
                    origin: Origin) -> Iterator[Item]:
    """The nodes and links of ``remarks``' contacts for entry ``entry_id`` (``hint``: the country a
    nationally written phone number is read in); values that do not clean go to ``identifiers``."""
    def link(rel: str, end: str) -> EdgeRecord:
        return EdgeRecord(rel, model.relationship_id(rel, entry_id, end, ""), entry_id, end, {}, origin)

    wallets: dict[str, dict[str, Any]] = {}  # one node per canonical address, its codes merged
    for chain, address in remarks.wallets:
        props = wallet_properties(chain, address)
        if props is None:
            identifiers.append(f"invalidWallet:{chain}:{address}")  # never a wallet node
            continue
        known = wallets.setdefault(props["address"], props)
        known["chain"] = list(dict.fromkeys([*known["chain"], *props["chain"]]))
    for props in wallets.values():
        wid = model.node_id("CryptoWallet", props)
        yield NodeRecord("CryptoWallet", wid, props, origin)
        yield link("CONTROLS_WALLET", wid)
    for site in remarks.website:
        domain = _DOMAIN.clean(site)
        if not domain:
            identifiers.append(f"Website:{site}")
            continue
        wid = model.node_id("Website", {"domain": domain})
        yield NodeRecord("Website", wid, {"domain": domain}, origin)
        yield link("OPERATES_WEBSITE", wid)
    for mail in remarks.email:
        handle = account_handle("email", mail)  # as every loader keys a mailbox
        if "@" not in handle:
            identifiers.append(f"UserAccount:{mail}")
            continue
        uid = model.node_id("UserAccount", {"service": "email", "handle": handle})
        yield NodeRecord("UserAccount", uid, {"service": "email", "handle": handle}, origin)
        yield link("HAS_ACCOUNT", uid)
    for raw in remarks.phone:
        number = _PHONE.clean(raw, country=hint)
        if not number:
            identifiers.append(f"Phone:{raw}")
            continue
        pid = model.node_id("Phone", {"number": number})
        yield NodeRecord("Phone", pid, {"number": number}, origin)
        yield link("USES_PHONE", pid)
