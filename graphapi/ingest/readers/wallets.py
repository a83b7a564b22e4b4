"""Crypto wallet address checks, so a cut or mistyped address never becomes a wallet node.

- XBT (bitcoin): Base58Check with version byte 0x00 (P2PKH) or 0x05 (P2SH) (Bitcoin wiki
  "Base58Check encoding"), or segwit ``bc1`` addresses with a valid BIP 173 bech32 / BIP 350
  bech32m checksum.
- TRX (Tron) and USDT on Tron: Base58Check with version byte 0x41 (Tron protocol docs).
- ETH and USDT on Ethereum: ``0x`` + 40 hex digits (EIP-55 mixed case accepted, not required).
- Any other chain: 20 to 120 characters of letters, digits and ``:_-``.
"""

from __future__ import annotations

import hashlib
import re

_B58 = "123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz"
_B58_INDEX = {c: i for i, c in enumerate(_B58)}
_BECH32 = "qpzry9x8gf2tvdw0s3jn54khce6mua7l"
_ETH = re.compile(r"0x[0-9a-fA-F]{40}")
_GENERIC = re.compile(r"[A-Za-z0-9:_\-]{20,120}")


def base58check(address: str) -> bytes | None:
    """The payload (version byte + data) of a Base58Check string, or ``None`` if invalid."""
    num = 0
    for ch in address:
        if ch not in _B58_INDEX:
            return None
        num = num * 58 + _B58_INDEX[ch]
    raw = num.to_bytes((num.bit_length() + 7) // 8, "big")
    raw = b"\x00" * (len(address) - len(address.lstrip("1"))) + raw
    if len(raw) < 5:
        return None
    payload, check = raw[:-4], raw[-4:]
    if hashlib.sha256(hashlib.sha256(payload).digest()).digest()[:4] != check:
        return None
    return payload


def _polymod(values: list[int]) -> int:
    gen = (0x3B6A57B2, 0x26508E6D, 0x1EA119FA, 0x3D4233DD, 0x2A1462B3)
    chk = 1
    for v in values:
        top = chk >> 25
        chk = (chk & 0x1FFFFFF) << 5 ^ v
        for i in range(5):
            chk ^= gen[i] if ((top >> i) & 1) else 0
    return chk


def bech32_valid(address: str) -> bool:
    """True if ``address`` has a valid bech32 (BIP 173) or bech32m (BIP 350) checksum."""
    if address.lower() != address and address.upper() != address:
        return False
    addr = address.lower()
    pos = addr.rfind("1")
    if pos < 1 or pos + 7 > len(addr) or len(addr) > 90:
        return False
    hrp, data = addr[:pos], addr[pos + 1:]
    if any(c not in _BECH32 for c in data):
        return False
    values = [ord(x) >> 5 for x in hrp] + [0] + [ord(x) & 31 for x in hrp] + [_BECH32.find(c) for c in data]
    return _polymod(values) in (1, 0x2BC830A3)


def valid_wallet(chain: str, address: str) -> bool:
    """True if ``address`` is well formed for ``chain`` (OFAC currency code: XBT, ETH, TRX, USDT...)."""
    chain = chain.upper()
    if chain in ("XBT", "BTC"):
        if address.lower().startswith("bc1"):
            return bech32_valid(address)
        payload = base58check(address)
        return payload is not None and len(payload) == 21 and payload[0] in (0x00, 0x05)
    if chain == "TRX" or (chain == "USDT" and address.startswith("T")):
        payload = base58check(address)
        return payload is not None and len(payload) == 21 and payload[0] == 0x41
    if chain in ("ETH", "USDC", "USDT", "BSC", "ARB"):
        return bool(_ETH.fullmatch(address))
    return bool(_GENERIC.fullmatch(address))
