"""Transforms and value maps: what a mapping does to a cell's text before the ontology's value
type cleans it (``docs/mappings.md``). Both are compiled once per mapping into one function of
the text, ``refine(text) -> text or None`` (None: no value), so a row pays for a call, not for
reading the spec.

Steps are named, in order: ``trim``, ``upper``, ``lower``, ``digits``, ``strip_separators``,
``{trim_prefix: X}``, ``{trim_suffix: X}``, ``{pick: {sep: X, index: N}}``, ``{regex: P}``.
A value map (``map: {canonical: [synonym, ...]}``) matches its synonyms without case, width or
blanks (NFKC, casefold, whitespace and invisible characters removed): ``US$``, ``usd`` and ``ＵＳＤ`` are one key.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable
from typing import Any

from graphapi.ingest.mapping.errors import MappingError
from graphapi.ingest.mapping.patterns import Pattern
from graphapi.ontology.types.document import digits_of
from graphapi.ontology.types.invisible import strip_invisible

Step = Callable[[str], "str | None"]
Refine = Callable[[str], "str | None"]

_SEPARATORS = re.compile(r"[\s\-.\u2010-\u2015\u2212]+")  # blanks, hyphens, dashes, minus, dots
_BLANKS = re.compile(r"\s+")


class UnmappedValue(ValueError):
    """A value a map with ``unknown: reject`` does not know; its row is rejected with this reason."""


def match_key(text: str) -> str:
    """How a value map and a condition compare text: NFKC, casefolded, without whitespace or
    invisible characters, so ``ENTRY``, `` entry ``, ``ｅｎｔｒｙ`` and ``entry<U+200B>`` (a Thai
    IME's word break, a soft hyphen: attack round 32, item 6) are one key."""
    return _BLANKS.sub("", strip_invisible(unicodedata.normalize("NFKC", text)).casefold())


def _no_empty(fn: Callable[[str], str]) -> Step:
    def step(text: str) -> str | None:
        return fn(text) or None
    return step


def _trim_prefix(arg: Any, where: str) -> Step:
    prefixes = [str(p) for p in (arg if isinstance(arg, list) else [arg])]
    if not all(prefixes):
        raise MappingError(f"{where}: trim_prefix needs non-empty text")
    folded = [(len(p), p.casefold()) for p in prefixes]

    def trim_prefix(text: str) -> str | None:
        for n, p in folded:
            if text[:n].casefold() == p:
                return text[n:].strip() or None
        return text
    return trim_prefix


def _trim_suffix(arg: Any, where: str) -> Step:
    suffixes = [str(p) for p in (arg if isinstance(arg, list) else [arg])]
    if not all(suffixes):
        raise MappingError(f"{where}: trim_suffix needs non-empty text")
    folded = [(len(p), p.casefold()) for p in suffixes]

    def trim_suffix(text: str) -> str | None:
        for n, p in folded:
            if text[-n:].casefold() == p:
                return text[:-n].strip() or None
        return text
    return trim_suffix


def _pick(arg: Any, where: str) -> Step:
    if not isinstance(arg, dict) or set(arg) - {"sep", "index"} or not isinstance(arg.get("index", 0), int):
        raise MappingError(f"{where}: pick takes {{sep: TEXT, index: N}}, not {arg!r}")
    sep, index = arg.get("sep"), arg.get("index", 0)
    sep = None if sep is None else str(sep)  # None: any run of blanks

    def pick(text: str) -> str | None:
        parts = text.split(sep)
        try:
            return parts[index].strip() or None
        except IndexError:
            return None
    return pick


def _regex(arg: Any, where: str) -> Step:
    pattern = Pattern(str(arg), where)  # RE2: no backtracking blow-up on an uploader's text

    def regex(text: str) -> str | None:
        found = pattern.extract(text)
        return found.strip() or None if found else None
    return regex


#: steps that take no argument
_PLAIN: dict[str, Step] = {
    "trim": _no_empty(str.strip),
    "upper": _no_empty(str.upper),
    "lower": _no_empty(str.lower),
    "digits": _no_empty(digits_of),  # any script's digits (Thai ๑๒๓) as ASCII
    "strip_separators": _no_empty(lambda t: _SEPARATORS.sub("", t)),
}
#: steps that take one argument: ``{name: argument}``
_WITH_ARG: dict[str, Callable[[Any, str], Step]] = {
    "trim_prefix": _trim_prefix, "trim_suffix": _trim_suffix, "pick": _pick, "regex": _regex,
}
STEP_NAMES = tuple(sorted([*_PLAIN, *_WITH_ARG]))


def compile_steps(steps: Any, where: str) -> list[Step]:
    """The ordered step functions of a ``steps`` list. Raises MappingError naming ``where`` for a
    step the language does not have or an argument it cannot take (a bad regex)."""
    if not isinstance(steps, list):
        raise MappingError(f"{where}: steps must be a list, not {steps!r}")
    out = []
    for i, step in enumerate(steps):
        at = f"{where}: step {i + 1}"
        if isinstance(step, str) and step in _PLAIN:
            out.append(_PLAIN[step])
        elif isinstance(step, dict) and len(step) == 1 and next(iter(step)) in _WITH_ARG:
            name, arg = next(iter(step.items()))
            out.append(_WITH_ARG[name](arg, f"{at} ({name})"))
        else:
            raise MappingError(f"{at}: unknown step {step!r}; steps are {', '.join(STEP_NAMES)}")
    return out


def compile_value_map(table: Any, unknown: Any, where: str) -> Refine:
    """``map: {canonical: [synonym, ...]}`` as a function of a text: its canonical value (a
    canonical value is its own synonym); a text the map does not know raises
    :class:`UnmappedValue` (``unknown: reject``, the default) or is passed through (``pass``).
    Raises MappingError for a synonym under two canonical values or a YAML boolean (``yes``,
    ``on`` unquoted)."""
    if unknown not in ("reject", "pass"):
        raise MappingError(f"{where}: unknown must be reject or pass, not {unknown!r}")
    if not isinstance(table, dict) or not table:
        raise MappingError(f"{where}: map must be {{canonical: [synonym, ...]}}, not {table!r}")
    keys: dict[str, str] = {}
    for canonical, synonyms in table.items():
        synonyms = synonyms if isinstance(synonyms, list) else [] if synonyms is None else [synonyms]
        for word in [canonical, *synonyms]:
            if isinstance(word, bool) or word is None:
                raise MappingError(f"{where}: map entry {word!r} under {canonical!r} is a YAML "
                                   f"{'boolean' if isinstance(word, bool) else 'null'}; quote it")
            key = match_key(str(word))
            if keys.get(key, canonical) != canonical:
                raise MappingError(f"{where}: map: {word!r} is a synonym of both {keys[key]!r} and {canonical!r}")
            keys[key] = canonical
    canon = {k: str(v) for k, v in keys.items()}
    known = ", ".join(dict.fromkeys(canon.values()))
    passing = unknown == "pass"

    def mapped(text: str) -> str | None:
        try:
            return canon[match_key(text)]
        except KeyError:
            if passing:
                return text
            raise UnmappedValue(f"{text!r} is not in the value map ({known})") from None
    return mapped


def _then(first: Refine, second: Refine) -> Refine:
    """``second`` after ``first`` (no value stays no value)."""
    def both(text: str) -> str | None:
        out = first(text)
        return None if out is None else second(out)
    return both


#: the keys of a value spec (or a ``columns:`` entry) that :func:`compile_refine` reads
REFINE_KEYS = frozenset({"steps", "map", "unknown", "default", "resolve"})


def compile_refine(spec: dict[str, Any], where: str, is_null: Callable[[str], bool]) -> Refine | None:
    """What a spec does to a text before cleaning, in order: its ``steps``; then, if nothing is
    left or it is a null token (``is_null``), its ``default`` (else no value); then its ``map``;
    then its ``resolve`` (a gazetteer's id, :mod:`graphapi.ingest.mapping.resolve`). None if the
    spec has none of them. Raises MappingError naming ``where``."""
    if not REFINE_KEYS & spec.keys():
        return None
    if "unknown" in spec and "map" not in spec:
        raise MappingError(f"{where}: unknown: {spec['unknown']} needs a map")
    steps = compile_steps(spec["steps"], where) if "steps" in spec else []
    mapped = compile_value_map(spec["map"], spec.get("unknown", "reject"), where) if "map" in spec else None
    default = spec.get("default")
    if default is not None and not isinstance(default, str | int | float) or isinstance(default, bool):
        raise MappingError(f"{where}: default must be text or a number, not {default!r}")
    default = None if default is None else str(default)
    if "resolve" in spec:
        from graphapi.ingest.mapping.resolve import compile_resolve  # gazetteers: read only if used

        resolved = compile_resolve(spec["resolve"], where)
        mapped = resolved if mapped is None else _then(mapped, resolved)

    def refine(text: str) -> str | None:
        for step in steps:
            text = step(text)
            if text is None:
                break
        if text is None or not text or is_null(text):
            if default is None:
                return None
            text = default
        return mapped(text) if mapped is not None else text
    return refine
