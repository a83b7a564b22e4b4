"""Investigation use cases: search, expand, paths (services over the GraphStore)."""
