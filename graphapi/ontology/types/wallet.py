"""Crypto wallet addresses (type ``wallet``) and the currency codes they are listed under
(type ``chain``), so that every source names one CryptoWallet node per address.

Address rules, by the currency code given as the ``chain`` hint (OFAC's "Digital Currency
Address - XBT ..." codes; any case):

- XBT, BTC (bitcoin): Base58Check (Bitcoin wiki, "Base58Check encoding") of 21 bytes with version
  byte 0x00 (P2PKH, ``1...``) or 0x05 (P2SH, ``3...``); or segwit ``bc1...`` with a valid BIP 173
  bech32 / BIP 350 bech32m checksum.
- TRX (tron): Base58Check of 21 bytes with version byte 0x41, i.e. ``T...`` (Tron protocol
  documentation, "Account": address = base58check(0x41 + the 20-byte account id)).
- ETH, BSC, ARB (EVM chains): ``0x`` + 40 hex digits, the 20-byte account. A mixed-case address
  carries the EIP-55 checksum ("EIP-55: Mixed-case checksum address encoding") and must match it;
  all-lower and all-upper hex carry none and are accepted.
- USDT, USDC (tokens): a Tron address if it starts with ``T``, else an EVM address.
- Any other code, or no hint: ``0x`` + 40 hex must be a valid EVM address and ``bc1...`` a valid
  bech32 one (no other chain writes those); anything else must be 20 to 120 letters, digits and
  ``:_-`` (a Base58 string is checked against its checksum only when the code says which
  network: without it, it might be another chain's address, so it is not refused).

Canonical address: EVM hex in lower case (``0xd5ed34b5...``: EVM addresses compare without case;
:func:`eip55` gives the checksummed display form), and so any other ``0x`` hex address (Aptos,
Sui); bech32 in lower case (BIP 173: one case, lower preferred); everything else as written
(Base58 is case-sensitive).

The address alone names its network (:func:`network_of`), because the recognised formats are
disjoint: ``0x`` + 40 hex is an account of Ethereum or any EVM chain (the same key pair on every
one of them, so one node), Base58Check 0x41 is tron, ``bc1`` and Base58Check 0x00/0x05 are
bitcoin. That is why the canonical address alone is CryptoWallet's key: USDT on Tron and TRX
sent to ``T...`` meet in one node, and so do ``ETH 0xd5ED...`` and ``eth 0xd5ed...``.

Currency codes (type ``chain``) are upper-cased, whitespace collapsed: ``"usdt"`` -> ``"USDT"``.
"""

from __future__ import annotations

import hashlib
import re
from typing import Any

from graphapi.ontology.types.base import ValueType, code_text

_B58 = "123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz"
_B58_INDEX = {c: i for i, c in enumerate(_B58)}
_BECH32 = "qpzry9x8gf2tvdw0s3jn54khce6mua7l"
_HEX40 = re.compile(r"0[xX][0-9a-fA-F]{40}")
_HEX = re.compile(r"0[xX][0-9a-fA-F]+")
_GENERIC = re.compile(r"[A-Za-z0-9:_\-]{20,120}")
#: A string shaped like a bitcoin (``1``/``3``) or Tron (``T``) Base58Check address, valid or not.
_B58_LOOKALIKE = re.compile(r"[13T][1-9A-HJ-NP-Za-km-z]{25,34}")
_SPACES = re.compile(r"\s+")
_CHAIN = re.compile(r"[A-Z0-9][A-Z0-9 ._()/+\-]{0,31}")

#: Currency codes whose addresses live on one network (the chain's own coin).
BITCOIN_CODES = frozenset({"XBT", "BTC"})
TRON_CODES = frozenset({"TRX"})
EVM_CODES = frozenset({"ETH", "BSC", "ARB"})
#: Tokens issued on Tron and on EVM chains: the address format says which.
TOKEN_CODES = frozenset({"USDT", "USDC"})


# -- checksums --------------------------------------------------------------------------------
def base58check(address: str) -> bytes | None:
    """The payload (version byte + data) of a Base58Check string, or ``None`` if it is not one
    (a character outside the Base58 alphabet, or a wrong 4-byte double-SHA-256 checksum)."""
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
    """True if ``address`` has a valid bech32 (BIP 173) or bech32m (BIP 350) checksum (one case)."""
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


_KECCAK_RC = (
    0x0000000000000001, 0x0000000000008082, 0x800000000000808A, 0x8000000080008000,
    0x000000000000808B, 0x0000000080000001, 0x8000000080008081, 0x8000000000008009,
    0x000000000000008A, 0x0000000000000088, 0x0000000080008009, 0x000000008000000A,
    0x000000008000808B, 0x800000000000008B, 0x8000000000008089, 0x8000000000008003,
    0x8000000000008002, 0x8000000000000080, 0x000000000000800A, 0x800000008000000A,
    0x8000000080008081, 0x8000000000008080, 0x0000000080000001, 0x8000000080008008,
)
#: Rotation offsets r[x + 5y] of the rho step (FIPS 202, table 2).
_KECCAK_ROT = (
    0, 1, 62, 28, 27,
    36, 44, 6, 55, 20,
    3, 10, 43, 25, 39,
    41, 45, 15, 21, 8,
    18, 2, 61, 56, 14,
)
_MASK = (1 << 64) - 1


#: (source lane, destination lane, rotation) of the rho and pi steps: B[y, 2x+3y] = rot(A[x, y]).
_KECCAK_PI = tuple((i, i // 5 + 5 * ((2 * (i % 5) + 3 * (i // 5)) % 5), _KECCAK_ROT[i]) for i in range(25))


def _keccak_f(a: list[int]) -> None:
    """The Keccak-f[1600] permutation (FIPS 202, section 3) on 25 lanes, index x + 5y, in place."""
    m = _MASK
    for rc in _KECCAK_RC:
        c0 = a[0] ^ a[5] ^ a[10] ^ a[15] ^ a[20]
        c1 = a[1] ^ a[6] ^ a[11] ^ a[16] ^ a[21]
        c2 = a[2] ^ a[7] ^ a[12] ^ a[17] ^ a[22]
        c3 = a[3] ^ a[8] ^ a[13] ^ a[18] ^ a[23]
        c4 = a[4] ^ a[9] ^ a[14] ^ a[19] ^ a[24]
        d = (c4 ^ (((c1 << 1) | (c1 >> 63)) & m), c0 ^ (((c2 << 1) | (c2 >> 63)) & m),
             c1 ^ (((c3 << 1) | (c3 >> 63)) & m), c2 ^ (((c4 << 1) | (c4 >> 63)) & m),
             c3 ^ (((c0 << 1) | (c0 >> 63)) & m))
        b = [0] * 25
        for i, j, r in _KECCAK_PI:  # theta applied, then rho and pi
            v = a[i] ^ d[i % 5]
            b[j] = ((v << r) | (v >> (64 - r))) & m if r else v
        for y in range(0, 25, 5):  # chi
            b0, b1, b2, b3, b4 = b[y], b[y + 1], b[y + 2], b[y + 3], b[y + 4]
            a[y] = b0 ^ (~b1 & b2)
            a[y + 1] = b1 ^ (~b2 & b3)
            a[y + 2] = b2 ^ (~b3 & b4)
            a[y + 3] = b3 ^ (~b4 & b0)
            a[y + 4] = b4 ^ (~b0 & b1)
        a[0] ^= rc  # iota


def sponge256(data: bytes, pad: int) -> bytes:
    """A 256-bit Keccak sponge (rate 136 bytes) with domain padding byte ``pad``: 0x01 is the
    original Keccak-256 that Ethereum uses, 0x06 is FIPS 202 SHA3-256 (as ``hashlib.sha3_256``)."""
    rate = 136
    msg = bytearray(data) + bytes([pad])
    msg += bytes(-len(msg) % rate)
    msg[-1] |= 0x80
    state = [0] * 25
    for off in range(0, len(msg), rate):
        for i in range(rate // 8):
            state[i] ^= int.from_bytes(msg[off + 8 * i:off + 8 * i + 8], "little")
        _keccak_f(state)
    return b"".join(state[i].to_bytes(8, "little") for i in range(4))


def keccak256(data: bytes) -> bytes:
    """Keccak-256 of ``data`` (Ethereum's hash: Keccak padding, not SHA3-256's; 32 bytes)."""
    return sponge256(data, 0x01)


def eip55(address: str) -> str:
    """The EIP-55 checksummed form of a ``0x`` + 40 hex address (any case): a hex letter is upper
    case where the matching nibble of keccak256(lower-case hex digits) is 8 or more."""
    hexdigits = address[2:].lower()
    digest = keccak256(hexdigits.encode("ascii")).hex()
    return "0x" + "".join(c.upper() if int(h, 16) >= 8 else c for c, h in zip(hexdigits, digest[:40], strict=True))


# -- formats ----------------------------------------------------------------------------------
def _evm(address: str) -> str | None:
    if not _HEX40.fullmatch(address):
        return None
    digits = address[2:]
    if digits.lower() != digits and digits.upper() != digits and eip55(address) != "0x" + digits:
        return None  # mixed case that is not the EIP-55 checksum: a mistyped address
    return "0x" + digits.lower()


def _bitcoin(address: str) -> str | None:
    if address[:3].lower() == "bc1":
        return address.lower() if bech32_valid(address) else None
    payload = base58check(address)
    return address if payload is not None and len(payload) == 21 and payload[0] in (0x00, 0x05) else None


def _tron(address: str) -> str | None:
    payload = base58check(address)
    return address if payload is not None and len(payload) == 21 and payload[0] == 0x41 else None


def _any(address: str) -> str | None:
    """Format detection without a known currency code (see the module docstring)."""
    if _HEX40.fullmatch(address):
        return _evm(address)
    if address[:3].lower() == "bc1":
        return _bitcoin(address)
    if not _GENERIC.fullmatch(address):
        return None
    return "0x" + address[2:].lower() if _HEX.fullmatch(address) else address


def clean_wallet(value: Any, chain: Any = None) -> str | None:
    """The canonical address of ``value`` listed under currency code ``chain`` (or with none),
    or ``None`` if it is not a well-formed address for it. Rules: the module docstring."""
    address = code_text(value)
    if address is None:
        return None
    code = (code_text(chain) or "").upper()
    if code in BITCOIN_CODES:
        return _bitcoin(address)
    if code in TRON_CODES:
        return _tron(address)
    if code in TOKEN_CODES and address.startswith("T"):
        return _tron(address)
    if code in EVM_CODES or code in TOKEN_CODES:
        return _evm(address)
    return _any(address)


def network_of(address: str, chain: str | None = None) -> str | None:
    """The network a canonical ``address`` lives on: ``"ethereum"`` (``0x``: Ethereum and every
    EVM chain), ``"tron"`` (Base58Check 0x41), ``"bitcoin"`` (``bc1``, Base58Check 0x00/0x05),
    else the lower-cased currency code ``chain`` (``"XMR"`` -> ``"xmr"``), else ``None``."""
    if _evm(address):
        return "ethereum"
    if address[:3].lower() == "bc1" and _bitcoin(address):
        return "bitcoin"
    if _B58_LOOKALIKE.fullmatch(address):
        if address[0] == "T" and _tron(address):
            return "tron"
        if address[0] != "T" and _bitcoin(address):
            return "bitcoin"
    code = code_text(chain)
    return code.lower() if code else None


class WalletType(ValueType):
    """A crypto wallet address; the ``chain`` hint (currency code) selects the format rules."""

    name = "wallet"

    def clean(self, value: Any, chain: Any = None, **hints: Any) -> str | None:
        """``"0xd5ED34b5...", chain="eth"`` -> ``"0xd5ed34b5..."``; ``None`` if not an address."""
        return clean_wallet(value, chain)


class ChainType(ValueType):
    """A currency or chain code as the source writes it, upper-cased: ``"usdt"`` -> ``"USDT"``.

    One line of at most 32 characters, starting with a letter or digit, then letters, digits,
    spaces and ``._()/+-`` (``"USDT (TRC20)"``); else ``None``.
    """

    name = "chain"

    def clean(self, value: Any, **hints: Any) -> str | None:
        text = code_text(value)
        if text is None:
            return None
        text = _SPACES.sub(" ", text).upper()
        return text if _CHAIN.fullmatch(text) else None
