"""Catalog views, one module per area; ``catalog.urls`` imports them from here."""
