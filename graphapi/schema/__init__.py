"""The GraphQL surface (strawberry): context, loaders, generated types, queries; ``schema.py`` assembles."""
