"""Root query fields, one concern per module; ``schema.py`` merges them into ``Query``."""
