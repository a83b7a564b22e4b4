"""Ids in an audit entry's text: finding the strings of a text that could be ids, and writing the
text again with some of them replaced (:mod:`graphapi.security.trail` decides which, and by what).

Ids are found as whole strings, quoted strings (also as GraphQL and JSON decode their escapes:
``"per-\\u0061"`` is ``per-a``) and words of text (also without the punctuation around them:
``who is <id>?``, ``«<id>»``, and the parts joined by ``:`` or ``/``: ``<id>/<other id>``,
``https://x/<id>``), each compared as the API reads an id (trimmed, NFC: :func:`id_key`). A word of
free text counts only if it holds more than letters (:func:`_id_like`).
"""

from __future__ import annotations

import bisect
import json
import re
import unicodedata
from collections.abc import Iterator
from typing import Any

from graphapi.ontology.ids import relay_inner_id

#: A word of free text: what lies between blanks, quotes, brackets and JSON/GraphQL punctuation
#: (ids keep their ``:``, ``+``, ``|``, ``.``, ``-``, ``@``, ``/``).
_WORD = re.compile(r"""[^\s"'`(){}\[\],;=<>\\]+={0,2}""")  # with a Relay id's padding
_QUOTED = re.compile(r'"((?:[^"\\]|\\.)*)"')
#: An escape in a quoted string, as GraphQL and JSON read them: ``\\u{1F600}``, ``\\u0061``, ``\\n``.
_ESCAPE = re.compile(r"\\(?:u\{([0-9A-Fa-f]{1,6})\}|u([0-9A-Fa-f]{4})|(.))", re.DOTALL)
_ESCAPED = {"n": "\n", "t": "\t", "r": "\r", "b": "\b", "f": "\f"}
#: At most this many ``/`` inside one id found between other ``/`` of a word (``x/<id>/y``): bounds
#: the spans tried per word (a 2,000-character word of ``a/a/...`` would give ~500,000).
MAX_SLASHES_IN_ID = 4

def strings_in(value: Any) -> Iterator[str]:
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for k, v in value.items():
            yield str(k)
            yield from strings_in(v)
    elif isinstance(value, list):
        for v in value:
            yield from strings_in(v)


def _decoded(body: str) -> str:
    """The body of a quoted string as GraphQL and JSON read it: its escapes decoded (a surrogate
    pair joined); an escape neither knows stands for its character."""
    def one(m: re.Match[str]) -> str:
        code = m.group(1) or m.group(2)
        if code is not None:
            return chr(min(int(code, 16), 0x10FFFF))
        return _ESCAPED.get(m.group(3), m.group(3))

    if "\\" not in body:
        return body
    return _ESCAPE.sub(one, body).encode("utf-16-le", "surrogatepass").decode("utf-16-le", "replace")


def id_key(text: str) -> str:
    """``text`` as the API reads an id (``graphapi.ontology.ids.canonical_id``: trimmed, NFC), so
    an id typed in another Unicode form (NFD ``cafe\u0301``) is compared in the form its lookup
    used; text that is no id keeps a form no stored id has."""
    return unicodedata.normalize("NFC", text.strip()).strip()


def _word_candidates(text: str) -> set[str]:
    out = set()
    for m in _WORD.finditer(text):
        word = m.group(0)
        out.update(w for start, end in _spans(word) if _id_like(w := word[start:end]))
    return out


def _id_like(word: str) -> bool:
    """A word of free text that may be an id masked there: one holding more than letters (a digit,
    ``-``, ``:``...). Ids the loaders make all do; a hidden item named with a plain word (``race``)
    must not blank that word out of everyone's text (attack round 19, A1), and a plain word names
    little. A whole string, a quoted string or an id argument is masked whatever it holds."""
    return not word.isalpha() or relay_inner_id(word) is not None


def candidates_in(text: str) -> set[str]:
    """The strings of ``text`` that could be ids: itself, its quoted strings (as written and
    decoded), its words and those of its decoded strings (also without the punctuation around
    them, see :func:`_spans`)."""
    out = {text} | _word_candidates(text)
    for m in _QUOTED.finditer(text):
        body, decoded = m.group(1), _decoded(m.group(1))
        out.add(body)
        if decoded != body:
            out |= {decoded} | _word_candidates(decoded)
    out.discard("")
    return out


def _edge(ch: str) -> bool:
    """Punctuation or a symbol (Unicode P* and S*): what prose puts around a word (``?``, ``#``,
    ``«``, ``…``)."""
    return unicodedata.category(ch)[0] in "PS"


def _spans(word: str) -> list[tuple[int, int]]:
    """Where an id may stand in a word, longest first: the word, without the punctuation and
    symbols at its ends (``#<id>?``), from after each ``:`` or ``/`` (``error:<id>``,
    ``https://x/<id>``; ids hold ``:`` and ``/`` too, so every cut is tried), to the word's end or
    to one of the next ``/`` (``<id>/<other id>``, at most :data:`MAX_SLASHES_IN_ID` of them
    inside). An id that ends in punctuation is still found as the whole word."""
    end = _trimmed_end(word, 0, len(word))
    slashes = [i for i, ch in enumerate(word[:end]) if ch == "/"]
    spans = {(0, len(word))}
    for cut in [0] + [i + 1 for i, ch in enumerate(word[:end]) if ch in ":/"]:
        start = cut
        while start < end and _edge(word[start]):
            start += 1
        first = bisect.bisect_right(slashes, start)
        stops = slashes[first:first + MAX_SLASHES_IN_ID + 1]
        for s in (cut, start):
            ends = {end, _padded(word, end), *stops, *(_trimmed_end(word, s, e) for e in stops)}
            spans.update((s, e) for e in ends if s < e)
    return sorted(spans, key=lambda span: (span[0] - span[1], span[0]))


def _padded(word: str, end: int) -> int:
    """``end`` moved on over the ``=`` right after it (at most two): a Relay id's base64 padding,
    which :func:`_trimmed_end` takes off with the punctuation after it (``ref:<relay id>.``)."""
    padded = end
    while padded < len(word) and padded - end < 2 and word[padded] == "=":
        padded += 1
    return padded


def _trimmed_end(word: str, start: int, end: int) -> int:
    """``end`` moved back over the punctuation and symbols before it (not past ``start``)."""
    while end > start and _edge(word[end - 1]):
        end -= 1
    return end


def _mask_word(w: str, shown: dict[str, str]) -> str:
    """``w`` with each id of ``shown`` in it replaced, longest first, none overlapping
    (``<id>/<other id>``: both)."""
    chosen: list[tuple[int, int]] = []
    for start, end in _spans(w):
        if (_id_like(w[start:end]) and id_key(w[start:end]) in shown
                and all(end <= s or start >= e for s, e in chosen)):
            chosen.append((start, end))
    if not chosen:
        return w
    pieces, at = [], 0
    for start, end in sorted(chosen):
        pieces += [w[at:start], shown[id_key(w[start:end])]]
        at = end
    return "".join(pieces) + w[at:]


def mask_text(text: str, shown: dict[str, str]) -> str:
    """``text`` with each id of ``shown`` (whole, quoted or in a word; compared as the API reads
    ids, :func:`id_key`) replaced by what it reads as."""
    if id_key(text) in shown:
        return shown[id_key(text)]

    def word(m: re.Match[str]) -> str:
        return _mask_word(m.group(0), shown)

    def quoted(m: re.Match[str]) -> str:
        body = m.group(1)
        if id_key(body) in shown:
            return f'"{shown[id_key(body)]}"'
        decoded = _decoded(body)
        if decoded == body:
            return m.group(0)  # its words are masked below
        masked = shown.get(id_key(decoded)) or _WORD.sub(word, decoded)
        # an id spelled with escapes: the string is written again, unescaped, around what it reads as
        return m.group(0) if masked == decoded else json.dumps(masked, ensure_ascii=False)

    return _WORD.sub(word, _QUOTED.sub(quoted, text))


def mask_value(value: Any, shown: dict[str, str]) -> Any:
    if isinstance(value, str):
        return mask_text(value, shown)
    if isinstance(value, list):
        return [mask_value(v, shown) for v in value]
    if isinstance(value, dict):
        out: dict[str, Any] = {}
        for k, v in value.items():
            key = mask_text(str(k), shown)
            while key in out:  # two hidden ids as keys stay two entries
                key += "'"
            out[key] = mask_value(v, shown)
        return out
    return value
