"""Reads: everything a page, the admin or a command shows, as querysets and small values.

One module per area: ``browse`` (lists, filters, tools, collections), ``definitions`` (one
definition's page), ``variants`` (the same or similar definitions elsewhere), ``compare``
(two sides and their diff), ``graph`` (collaboration edges), ``overview`` (counts, charts and
health), ``counts`` (the counts those share) and ``links`` (the URLs pages write to each
other). Nothing here writes; every function issues a fixed number of queries.
"""
