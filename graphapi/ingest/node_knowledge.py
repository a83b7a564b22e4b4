"""What a writer knows without asking the store: each label's list-valued and name-typed
properties, whether a record keeps a stored node's label, what the node probe may compare, and the
nodes it wrote this run (so later batches need not read them back)."""

from __future__ import annotations

from typing import Any

from graphapi.ingest.stored_state import lists_hold_lists
from graphapi.ingest.write_rules import _specific


class NodeKnowledge:
    """:class:`graphapi.ingest.writer.Writer`'s knowledge of labels and written nodes (runs on its state)."""

    def _multiple(self, label: str) -> frozenset[str]:
        """The list-valued properties of ``label`` (worked out once per label and writer)."""
        known = self._multiples.get(label)
        if known is None:
            lb = self.model.label(label)
            known = self._multiples[label] = frozenset(p.name for p in lb.properties.values() if p.multiple) | {
                "sources", "sharedWith", "conflicts", "identifiers", "referents"
            }
        return known

    def _names(self, label: str, lb: Any) -> frozenset[str]:
        """The name-typed properties of ``label`` (once per label and writer: a record's other
        properties are not looked at)."""
        known = self._multiples.get(("names", label))
        if known is None:
            known = frozenset(k for k, p in lb.properties.items() if p.type == "name")
            self._multiples[("names", label)] = known
        return known

    def _keeps_label(self, label: str, stored_labels: list[str] | None) -> bool:
        """True if a ``label`` record leaves the stored node's label as it is (the same, or one
        it specialises): no relabel, no label conflict."""
        stored = _specific(self.model, stored_labels or []) or label
        return label == stored or self.model.is_a(stored, label)

    def _probe_props(self, nid: str, label: str, props: dict[str, Any]) -> dict[str, Any] | None:
        """What ``ingest/node_probe`` compares with the stored node: the record's properties, or
        None where the writer must read the node whatever it holds (a viewer's load: visibility;
        a replace; a placeholder; a label this writer would refine or refuse; an identifier the
        guard quarantined: whether it was quarantined before)."""
        if self.viewer is not None or nid in self._replace or props.get("unresolved") \
                or nid in self._guard_quarantined:
            return None
        multiple = self._multiple(label)
        return props if lists_hold_lists(props, multiple) else None

    def _remember(self, nid: str, label: str, props: dict[str, Any]) -> None:
        """Keep the state just written, so later batches of this run need not read it back."""
        if len(self._known) >= self.cache_size:
            self._known.clear()
        self._known[nid] = (label, props)
