"""Gazetteers: named things of the region (banks and e-wallets, border checkpoints, scam
compounds) with every name they are written by, as data in ``seed/gazetteers/<kind>.yaml``.

Each file holds ``entries``: an ``id`` (the canonical node id a name resolves to), a ``name``,
``aliases`` (other names, abbreviations, local scripts) and the kind's own fields (a bank's
``bic``, ``country`` and ``account`` number format, :mod:`.account_formats`; a checkpoint's
``countries``, ``kind``, ``lat``/``lon``). Names are matched by :func:`name_key`: NFKC, case
folded, without blanks or punctuation, so ``K-Bank``, ``kbank`` and ``ＫＢＡＮＫ`` are one name,
and a BIC is one of a bank's names. An alias of an entry with a ``country`` that is written as
a code (:func:`is_code_alias`: Latin capitals and digits, ``SCB``, ``KBANK``) names it only where
no other country is given (:meth:`Gazetteer.resolve`): such codes are shared (``SCB`` is Standard
Chartered in Singapore). Its ``id``, ``name``, BICs and every other alias (a legal or local-script
name: ``Bangkok Bank Public Company Limited``, ``ธนาคารกรุงเทพ``) name it everywhere (attack round
33, 4a: in a Cambodian row they named no bank, while ``Bangkok Bank`` named its branch).

Deployments extend them without code: every ``*.yaml`` file of the directories named in
``LINTAS_GAZETTEERS`` (``:``-separated) is read after the seed, by its file name's kind
(``banks.yaml``, ``checkpoints.yaml``, ``compounds.yaml``); an entry with a known ``id`` adds
its aliases to it. A name given to two entries is a :class:`GazetteerError` naming both: one
name must resolve to one thing. A file's ``ambiguous`` list names what names several things
(``Friendship Bridge``: seven bridges; feeds trial): such a name resolves to nothing, whatever an
entry's aliases say, so a row that writes it makes a node flagged for review, not a guess.
"""

from __future__ import annotations

import os
import re
import unicodedata
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

import yaml

from graphapi.ingest.identity.account_formats import AccountFormat
from graphapi.ontology.types.invisible import strip_invisible

SEED = Path(__file__).resolve().parents[3] / "seed" / "gazetteers"
#: libyaml's safe loader where PyYAML has it (as graphapi.ontology.model's: the same documents for
#: a tenth of the CPU; every load job's process reads the gazetteers), else PyYAML's own.
SAFE_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
KINDS = ("banks", "checkpoints", "compounds")
_NOT_NAME = re.compile(r"[\s\-\u2010-\u2015.,'’`&()/_:;\"]+")
_CODE = re.compile(r"[A-Z0-9][A-Z0-9&\-.]*")


class GazetteerError(ValueError):
    """A gazetteer file that cannot be read as one name per thing."""


#: a decimal digit of another script than ASCII's
_OTHER_DIGIT = re.compile(r"(?![0-9])\d")
#: a Latin letter with a diacritic, a stroke or a ligature (Latin-1 to Extended-B, Extended
#: Additional), or a combining mark no letter took (NFKC composes the others)
_LATIN_MARKED = re.compile(r"[\u00c0-\u024f\u0300-\u036f\u1dc0-\u1dff\u1e00-\u1eff]")
#: Latin letters no decomposition takes apart (a stroke, a ligature), as their plain letters.
_LATIN_PLAIN = str.maketrans({"đ": "d", "ð": "d", "ø": "o", "ł": "l", "ħ": "h", "ı": "i", "ŧ": "t",
                              "æ": "ae", "œ": "oe", "þ": "th"})


def name_key(text: str) -> str:
    """How gazetteer names are compared: NFKC, casefolded, the decimal digits of every script as
    ASCII digits (``แห่งที่ ๒`` is ``แห่งที่ 2``, ``Muse ၁၀၅ Mile`` is ``Muse 105 Mile``, as
    document numbers fold them; attack round 56, F2), Latin letters without their diacritics
    (:func:`_plain_latin`), blanks, punctuation and invisible characters (a Thai word break:
    ``strip_invisible``) removed."""
    text = strip_invisible(unicodedata.normalize("NFKC", text)).casefold()
    if not text.isascii():  # the scans below only where they may change something (a Thai name: neither)
        text = _OTHER_DIGIT.sub(lambda m: str(unicodedata.decimal(m.group())), text)
        if _LATIN_MARKED.search(text):
            text = _plain_latin(text)
    return _NOT_NAME.sub("", text)


def _plain_latin(text: str) -> str:
    """Casefolded ``text`` with its Latin letters' diacritics dropped (``ngân hàng`` -> ``ngan hang``,
    ``quân đội`` -> ``quan doi``, ``extérieur`` -> ``exterieur``): Vietnamese interbank exports and
    Lao banks' French names are written both ways (attack round 56, F3: ``NGAN HANG TMCP NGOAI
    THUONG VIET NAM`` named no bank). Marks on the letters of other scripts (Thai vowels and tone
    marks, Myanmar's, Khmer's) are part of their words and kept."""
    out: list[str] = []
    for ch in unicodedata.normalize("NFD", text.translate(_LATIN_PLAIN)):
        if out and out[-1].isascii() and unicodedata.combining(ch):  # a mark on a Latin letter
            continue
        out.append(ch)
    return unicodedata.normalize("NFC", "".join(out))


def is_code_alias(alias: str) -> bool:
    """Whether ``alias`` is written as a code (``SCB``, ``KBANK``, ``AT&T``), not a name: only
    Latin capitals, digits and ``&-.``, no blank or lower-case letter."""
    return bool(_CODE.fullmatch(alias.strip()))


@dataclass
class Entry:
    """One gazetteer entry: ``id``, ``name``, ``aliases`` and its other fields as written."""

    id: str
    name: str
    aliases: list[str] = field(default_factory=list)
    fields: dict[str, Any] = field(default_factory=dict)

    def get(self, key: str, default: Any = None) -> Any:
        return self.fields.get(key, default)


@dataclass
class Gazetteer:
    """The entries of one kind and the index of their names (:func:`name_key` -> entry)."""

    kind: str
    entries: dict[str, Entry] = field(default_factory=dict)
    names: dict[str, Entry] = field(default_factory=dict)
    #: name keys that name several things: never resolved
    ambiguous: set[str] = field(default_factory=set)
    #: name keys that are only a code alias of an entry of one ``country``: key -> that country
    local: dict[str, str] = field(default_factory=dict)

    def resolve(self, text: str | None, country: str | None = None) -> Entry | None:
        """The entry one of whose names (or id) is ``text``, else ``None`` (also for an
        ``ambiguous`` name). With ``country`` (ISO 3166-1 alpha-2), an alias of an entry of another
        country is no name when written as a code: abbreviations are local ("SCB" is Siam Commercial
        in Thailand, Standard Chartered in Singapore; attack round 30c); an entry's id, ``name``,
        BICs and named aliases name it everywhere (round 33, 4a)."""
        if not text:
            return None
        key = name_key(text)
        if key in self.ambiguous or (country and self.local.get(key, country) != country):
            return None
        return self.names.get(key)

    def is_local_alias(self, text: str) -> bool:
        """Whether ``text`` is only a code alias of an entry of one country (see :meth:`resolve`)."""
        return name_key(text) in self.local

    def add_file(self, path: Path) -> None:
        """Merge the ``entries`` of one YAML file (see the module docstring)."""
        doc = yaml.load(path.read_text(encoding="utf-8"), Loader=SAFE_LOADER) or {}
        ambiguous = doc.get("ambiguous") or []
        if not isinstance(ambiguous, list):
            raise GazetteerError(f"{path}: ambiguous is a list of names, not {ambiguous!r}")
        self.ambiguous.update(k for k in (name_key(str(n)) for n in ambiguous) if k)
        for raw in doc.get("entries") or []:
            # an entry with a known id may come with aliases alone (new-user report: the README
            # said so, and a traceback said "needs an id and a name")
            known = isinstance(raw, dict) and str(raw.get("id") or "") in self.entries
            if not isinstance(raw, dict) or not raw.get("id") or not (raw.get("name") or known):
                raise GazetteerError(f"{path}: an entry needs an id and a name (a name may be left out only "
                                     f"to add aliases to an entry of an earlier file): {raw!r}")
            eid = str(raw["id"])
            if self.kind == "banks" and "account" in raw:  # read at every account: refused here, with its file
                try:
                    known_country = self.entries[eid].get("country") if eid in self.entries else None
                    AccountFormat.of(raw["account"], raw.get("country") or known_country)
                except ValueError as exc:
                    raise GazetteerError(f"{path}: bank {eid}: account: {exc}") from None
            entry = self.entries.get(eid)
            if entry is None:
                entry = self.entries[eid] = Entry(eid, str(raw["name"]))
            extra = {k: v for k, v in raw.items() if k not in ("id", "name", "aliases")}
            entry.fields.update(extra)
            entry.aliases += [str(a) for a in raw.get("aliases") or [] if str(a) not in entry.aliases]
            everywhere = [eid, entry.name, *(str(b) for b in _as_list(entry.get("bic")))]
            for name in [*everywhere, *entry.aliases]:
                key = name_key(name)
                other = self.names.get(key)
                if other is not None and other.id != eid:
                    raise GazetteerError(f"{path}: {name!r} names both {other.id} and {eid}")
                if key:
                    self.names[key] = entry
            country = entry.get("country")
            if isinstance(country, str) and country:
                global_keys = {name_key(n) for n in everywhere}
                codes = (name_key(a) for a in entry.aliases if is_code_alias(a))
                self.local.update((k, country) for k in codes if k and k not in global_keys)


def _as_list(value: Any) -> list[Any]:
    if value is None:
        return []
    return value if isinstance(value, list) else [value]


def gazetteer_paths(kind: str) -> list[Path]:
    """The files of ``kind``: the seed's, then those of the ``LINTAS_GAZETTEERS`` directories."""
    paths = [SEED / f"{kind}.yaml"]
    for folder in filter(None, os.environ.get("LINTAS_GAZETTEERS", "").split(":")):
        paths += sorted(p for p in Path(folder).glob(f"{kind}*.yaml"))
    return [p for p in paths if p.exists()]


@cache
def gazetteer(kind: str) -> Gazetteer:
    """The gazetteer of ``kind`` (banks, checkpoints, compounds), read once per process."""
    if kind not in KINDS:
        raise GazetteerError(f"no gazetteer {kind!r}; there are {', '.join(KINDS)}")
    gz = Gazetteer(kind)
    for path in gazetteer_paths(kind):
        gz.add_file(path)
    return gz
