"""Partner-feed mappings: the YAML language that says which entities and relationships a CSV row
makes (``docs/mappings.md``). ``model`` reads and checks a mapping, ``values`` compiles value specs
(``templates`` the template ones, cleaned through the ``memo``), ``steps`` the transforms and value
maps, ``conditions`` the ``when`` tests, ``plan`` a whole mapping for a reader
(``graphapi.ingest.readers.mapped_csv``)."""

from graphapi.ingest.mapping.errors import MappingError
from graphapi.ingest.mapping.model import MAPPINGS, Mapping, load_mapping

__all__ = ["MAPPINGS", "Mapping", "MappingError", "load_mapping"]
