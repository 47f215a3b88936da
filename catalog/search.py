"""Search index maintenance; the engines arrive with the search page."""


def index_definitions(ids):
    """Bring the search index up to date for these definitions (nothing to do yet)."""
