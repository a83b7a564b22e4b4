"""Crypto wallet address checks for readers, so a cut or mistyped address never becomes a wallet node.

The rules live in the ontology, in the ``wallet`` value type (:mod:`graphapi.ontology.types.wallet`:
Base58Check and BIP 173 / BIP 350 bech32 for bitcoin, Base58Check version 0x41 for Tron, EIP-55
for mixed-case Ethereum addresses), so every loader path (OFAC, mapped CSV feeds, GraphQL
``ingest``) validates and canonicalises an address the same way. This module is the readers' view
of that type: a yes/no check and the wallet node's properties.
"""

from __future__ import annotations

from typing import Any

from graphapi.ontology.types import get_type
from graphapi.ontology.types.wallet import base58check, bech32_valid, clean_wallet, network_of

__all__ = ["base58check", "bech32_valid", "valid_wallet", "wallet_properties"]


def valid_wallet(chain: str, address: str) -> bool:
    """True if ``address`` is well formed for ``chain`` (OFAC currency code: XBT, ETH, TRX, USDT...)."""
    return clean_wallet(address, chain) is not None


def wallet_properties(chain: str, address: str) -> dict[str, Any] | None:
    """The CryptoWallet properties of ``address`` listed under currency code ``chain``:
    ``{"address": canonical, "chain": [CODE], "network": name}``, or ``None`` if the address is
    not valid for that code. E.g. ``("eth", "0xd5ED...")`` -> ``{"address": "0xd5ed...",
    "chain": ["ETH"], "network": "ethereum"}``."""
    canonical = clean_wallet(address, chain)
    if canonical is None:
        return None
    code = get_type("chain").clean(chain)
    return {"address": canonical, "chain": [code] if code else [], "network": network_of(canonical, code)}
