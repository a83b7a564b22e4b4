"""Which nodes a mapped-CSV row makes are placeholders the identifier guard would not write (an
identifier on the exclusion list, ``seed/exclusions``): an event with such an end is rejected by
the reader, with its row, rather than made text by the guard. One memo per set of exclusion
lists serves every reader with equal lists, as the value memo does."""

from __future__ import annotations

from typing import Any

from graphapi.ingest.guard import Exclusions, IdentifierGuard, exclusions_fingerprint
from graphapi.ingest.mapping.memo import _CACHE_MAX
from graphapi.ingest.records import NodeRecord
from graphapi.ontology.model import Model

#: exclusion lists (:func:`~graphapi.ingest.guard.exclusions_fingerprint`) -> (a guard over them,
#: {node id: True if it would not write that node}): like the value memo, one table serves every
#: reader with the same lists.
_PLACEHOLDERS: dict[Any, tuple[IdentifierGuard, dict[str, bool]]] = {}


class Placeholders:
    """``placeholders(node)``: True if the identifier guard would not write ``node``; ``known``:
    the memo by node id (a node known not to be one is ``False`` in it)."""

    def __init__(self, exclusions: Exclusions, model: Model) -> None:
        self._exclusions = exclusions
        self._model = model
        self._lists = exclusions_fingerprint(exclusions)
        if self._lists not in _PLACEHOLDERS:
            _PLACEHOLDERS[self._lists] = (IdentifierGuard(exclusions, model=model), {})
        self._guard, self.known = _PLACEHOLDERS[self._lists]

    def __call__(self, node: NodeRecord) -> bool:
        hit = self.known.get(node.id)
        if hit is None:
            if len(self.known) >= _CACHE_MAX:  # the guard remembers every node it saw
                self.known.clear()
                self._guard = IdentifierGuard(self._exclusions, model=self._model)
                _PLACEHOLDERS[self._lists] = (self._guard, self.known)
            hit = self.known[node.id] = next(iter(self._guard.process([node])), None) is None
        return hit
