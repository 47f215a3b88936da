"""The bare Django app that ``bench/load.py`` measures AgentDash against.

The floor for the same two pages on the same SQLite file: a definition's page is one raw
query and one small template; the search fragment is one hand-written FTS5 query (bm25, top
20) over AgentDash's own index and one small template. No middleware, no installed apps, no
ORM models: it reads AgentDash's tables by name, so its SQL (in ``views``) is the one place
that knows the schema.
"""
