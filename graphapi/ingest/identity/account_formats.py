"""A bank's account number format, as its banks gazetteer entry declares it (``account:`` in
``seed/gazetteers/banks.yaml``), so that one account written several ways is one number and a
number that cannot be one of the bank's is told.

- ``length``: the number of characters of the bank's numbers (``10``, or a list: ``[10, 12]``).
- ``pattern``: a regular expression the whole number matches (``"[0-9]{3}0[0-9]{6}"``).
- ``letters``: whether letters are part of the number (default ``false``: the number is its
  digits, of any script, so ``A/C 123-4-56789-0`` and ``๑๒๓-๔-๕๖๗๘๙-๐`` are ``1234567890``;
  ``true``: letters and digits upper case without separators, as the ``accountNumber`` type).
- ``prefix``: a fixed start of every number that writers may leave out (``"00"``): a number
  without it that fits once it is put back gets it.
- ``phone``: whether the account is its holder's mobile number (an e-wallet: TrueMoney, GCash,
  Wing, MoMo; the entry needs its ``country``). A number that reads as a mobile number of that
  country (libphonenumber) is its national number, digits only, however written:
  ``081-234-5678``, ``+66812345678``, ``66812345678`` are ``0812345678`` (attack round 56, F4:
  E.164 rejected its row, ``66...`` was another account); a mobile number of another country is
  its E.164 digits without ``+`` (``85512345678``). Any other number is checked by the other keys,
  and with none is the ``accountNumber`` type's, without a warning (a wallet's own account ids).

A bank with no ``account:`` has no format: its numbers are the ``accountNumber`` type's, as before.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from re import _constants, _parser  # the stdlib's own parse of a pattern: no second parser to trust
from typing import Any

import phonenumbers

from graphapi.ontology.types.document import compact_number, digits_of
from graphapi.ontology.types.phone import parse as parse_phone

#: the keys an ``account:`` format takes
KEYS = frozenset({"length", "pattern", "letters", "prefix", "phone"})
#: libphonenumber's types a wallet's number may be of: a mobile's (some countries' plans cannot tell)
_MOBILE = frozenset({phonenumbers.PhoneNumberType.MOBILE, phonenumbers.PhoneNumberType.FIXED_LINE_OR_MOBILE})
#: Characters of a number a pattern is tried on at most (an IBAN has 34): a longer one fits no format.
MAX_NUMBER_CHARS = 64
#: A letter touching a digit: part of the number, not a word around it (``A/C 123`` is fine).
_LETTER_BY_DIGIT = re.compile(r"[^\W\d_]\d|\d[^\W\d_]")


def _ambiguous_repeat(items: Any, repeated: bool = False) -> bool:
    """True if the parsed pattern ``items`` repeats (``*``, ``+``, ``{m,n}``) something holding a
    repeat of varying count or an alternative: the matcher then tries every way of cutting the
    text, exponentially many. A fixed count (``{3}``) and a character class are one way each."""
    for op, av in items:
        if op in (_constants.MAX_REPEAT, _constants.MIN_REPEAT, _constants.POSSESSIVE_REPEAT):
            low, high, sub = av
            varying = low != high
            if (repeated and varying) or _ambiguous_repeat(sub, repeated or varying):
                return True
        elif op is _constants.BRANCH:
            if repeated or any(_ambiguous_repeat(alt, repeated) for alt in av[1]):
                return True
        elif op is _constants.SUBPATTERN:
            if _ambiguous_repeat(av[-1], repeated):
                return True
        elif op in (_constants.ASSERT, _constants.ASSERT_NOT):
            if _ambiguous_repeat(av[1], repeated):
                return True
        elif op is _constants.GROUPREF_EXISTS:
            if repeated or any(alt is not None and _ambiguous_repeat(alt, repeated) for alt in av[1:]):
                return True
    return False


@dataclass(frozen=True)
class AccountFormat:
    """One bank's account numbers (see the module docstring)."""

    lengths: tuple[int, ...] = ()
    pattern: re.Pattern[str] | None = None
    letters: bool = False
    prefix: str = ""
    #: the country whose mobile numbers the accounts are (``phone: true``), else ""
    phone: str = ""

    @classmethod
    def of(cls, spec: Any, country: str | None = None) -> AccountFormat:
        """The format an ``account:`` entry of a bank of ``country`` declares; ValueError saying
        what is wrong with it."""
        if not isinstance(spec, dict) or not spec or set(spec) - KEYS:
            raise ValueError(f"takes {', '.join(sorted(KEYS))}, not {spec!r}")
        raw = spec.get("length", [])
        lengths = tuple(raw if isinstance(raw, list) else [raw])
        if not all(isinstance(n, int) and not isinstance(n, bool) and n > 0 for n in lengths):
            raise ValueError(f"length: a positive whole number or a list of them, not {raw!r}")
        try:
            pattern = re.compile(str(spec["pattern"])) if "pattern" in spec else None
        except re.error as exc:
            raise ValueError(f"pattern {spec['pattern']!r} does not compile: {exc}") from None
        if pattern is not None and _ambiguous_repeat(_parser.parse(pattern.pattern).data):
            # "(0*)*1" took 14 s on 28 zeros, "(0|0)*1" 4.8 s on 24: one cell of a feed froze its
            # load (attack rounds 20 B8, 21 C6)
            raise ValueError(f"pattern {spec['pattern']!r} repeats something that can match one text in several "
                             "ways (a repeat or an alternative inside a repeat: catastrophic backtracking); write "
                             "it with fixed counts or character classes inside a repeat, e.g. [0-9]+ or ([0-9]{3})+")
        letters = spec.get("letters", False)
        if not isinstance(letters, bool):
            raise ValueError(f"letters: true or false, not {letters!r}")
        prefix = str(spec.get("prefix", ""))
        if prefix and compact_number(prefix) != prefix.upper():
            raise ValueError(f"prefix {prefix!r}: digits (and letters), no separators")
        phone = spec.get("phone", False)
        if not isinstance(phone, bool):
            raise ValueError(f"phone: true or false, not {phone!r}")
        if phone and not (isinstance(country, str) and len(country) == 2):
            raise ValueError("phone: true needs the bank's country (its mobile numbers' plan)")
        return cls(lengths, pattern, letters, prefix.upper(), country.upper() if phone and country else "")

    @property
    def checks(self) -> bool:
        """Whether the format says which numbers other than mobile numbers can be the bank's."""
        return bool(self.lengths or self.pattern is not None or self.letters or self.prefix)

    def mobile(self, text: str) -> str | None:
        """The account a phone-keyed wallet's number ``text`` is (``phone`` in the module
        docstring), or None if it is no mobile number."""
        number = parse_phone(text, self.phone) if self.phone and len(text) <= MAX_NUMBER_CHARS else None
        if number is None or phonenumbers.number_type(number) not in _MOBILE:
            return None
        if phonenumbers.region_code_for_number(number) != self.phone:
            return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)[1:]
        return digits_of(phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.NATIONAL))

    def fits(self, number: str) -> bool:
        """True if ``number`` (normalised) can be one of the bank's."""
        return (len(number) <= MAX_NUMBER_CHARS and (not self.lengths or len(number) in self.lengths)
                and (self.pattern is None or self.pattern.fullmatch(number) is not None))

    def normal(self, text: str) -> str | None:
        """``text`` as the bank writes its numbers, or None if it cannot be one of them."""
        text = unicodedata.normalize("NFKC", text)
        if not self.letters and _LETTER_BY_DIGIT.search(text):
            # letters inside the number (an IBAN, "407ABC123") are no separators: dropping them
            # merged it with the bank's own account of those digits (attack round 20, B8)
            return None
        number = compact_number(text) if self.letters else digits_of(text)
        if not number:
            return None
        if self.prefix and not number.startswith(self.prefix) and self.fits(self.prefix + number):
            return self.prefix + number  # the prefix its writer left out
        return number if self.fits(number) else None

    def __str__(self) -> str:
        said = []
        if self.lengths:
            said.append(f"{' or '.join(map(str, self.lengths))} {'characters' if self.letters else 'digits'}")
        if self.pattern is not None:
            said.append(f"matching {self.pattern.pattern}")
        if self.prefix:
            said.append(f"starting {self.prefix}")
        if self.phone:
            said.append(f"or a mobile number of {self.phone}")
        return ", ".join(said) or "any number"
