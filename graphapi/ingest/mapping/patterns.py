"""The regular expressions of a mapping (``{regex: P}`` steps, ``matches`` conditions), run by
RE2: time linear in the text whatever the pattern. An operator writes the pattern but any
uploader writes the text, and Python's backtracking ``re`` took over a minute on ``(a+)+$``
against a 30 kB cell, with no time limit on a load (feeds trial, H5).

RE2 has no backreferences (``\\1``) and no lookaround (``(?=``, ``(?<=``): a pattern that uses
them is refused when the mapping is read, as is ``\\C`` (any byte), which matches on the UTF-8
bytes and can split a letter, so that a value would be no text (attack round 30c, L6: a Thai name
was rejected with Python's codec error). ``\\d`` and ``\\w`` are ASCII, as in RE2.
"""

from __future__ import annotations

import re2

from graphapi.ingest.mapping.errors import MappingError

_OPTIONS = re2.Options()
_OPTIONS.log_errors = False  # the MappingError says it; RE2's own log line would go to stderr
_UNANCHORED = re2._Anchor.UNANCHORED


class Pattern:
    """One compiled pattern. Matches on the UTF-8 bytes through RE2's own ``Match`` (the
    wrapper's ``search`` maps every offset back to characters: ~5x the cost of a match)."""

    __slots__ = ("_re", "_group")

    def __init__(self, source: str, where: str, what: str = "regex"):
        if _matches_any_byte(source):
            raise MappingError(f"{where}: {what} {source!r} uses \\C (any byte), which can split a character: "
                               f"use . for any character")
        try:
            compiled = re2.compile(source, _OPTIONS)
        except re2.error as exc:
            why = exc.args[0].decode() if exc.args and isinstance(exc.args[0], bytes) else str(exc)
            raise MappingError(f"{where}: {what} {source!r} does not compile: {why} (patterns are RE2: "
                               f"no backreferences, no lookaround)") from None
        self._re = compiled._regexp
        self._group = 1 if compiled.groups else 0

    def found(self, text: str) -> bool:
        """Whether the pattern matches anywhere in ``text``."""
        data = text.encode("utf-8", "surrogatepass")
        return self._re.Match(_UNANCHORED, data, 0, len(data))[0][0] != -1

    def extract(self, text: str) -> str | None:
        """The first group of the first match (the whole match if the pattern has no group);
        None if there is no match or the group took no part in it."""
        data = text.encode("utf-8", "surrogatepass")
        spans = self._re.Match(_UNANCHORED, data, 0, len(data))
        if spans[0][0] == -1:
            return None
        start, end = spans[self._group]
        return None if start == -1 else data[start:end].decode("utf-8", "surrogatepass")


def _matches_any_byte(source: str) -> bool:
    """Whether ``source`` holds RE2's ``\\C``: a ``C`` after an odd run of backslashes, outside
    ``\\Q...\\E`` (quoted text, literal to RE2)."""
    i, quoted = 0, False
    while i < len(source):
        if source[i] != "\\":
            i += 1
            continue
        nxt = source[i + 1:i + 2]
        if quoted:
            quoted = nxt != "E"
        elif nxt == "Q":
            quoted = True
        elif nxt == "C":
            return True
        i += 2  # a backslash and the character it escapes
    return False
