"""The bare app's views: each page is one raw query and one small template.

The SQL reads AgentDash's tables (``catalog_definition``, ``catalog_collection`` and the FTS5
table ``catalog_item_fts`` of its migration 0002, whose rowid is ``definition_id << 16 | n``).
When AgentDash's schema changes, this is the file to follow it.
"""

import re

from django.db import connection
from django.http import Http404
from django.shortcuts import render

DETAIL_SQL = """
    SELECT d.name, d.kind, d.slug, d.model, d.description, d.body, c.name, c.slug
    FROM catalog_definition d JOIN catalog_collection c ON c.id = d.collection_id
    WHERE c.slug = %s AND d.kind = %s AND d.slug = %s
"""

# The 20 best items by bm25, each with its definition; AgentDash also groups them by definition.
SEARCH_SQL = """
    SELECT d.name, d.kind, d.slug, c.slug, hit.section, hit.responsibility || hit.metric
    FROM (
        SELECT rowid >> 16 AS definition_id, bm25(catalog_item_fts) AS score, responsibility, metric, section
        FROM catalog_item_fts WHERE catalog_item_fts MATCH %s ORDER BY score LIMIT 20
    ) hit
    JOIN catalog_definition d ON d.id = hit.definition_id
    JOIN catalog_collection c ON c.id = d.collection_id
    ORDER BY hit.score
"""

# What FTS5's unicode61 tokenizer calls a word; each reaches FTS5 quoted, so it is never syntax.
WORD = re.compile(r"[^\W_]+")


def detail(request, collection, kind, slug):
    with connection.cursor() as cursor:
        cursor.execute(DETAIL_SQL, [collection, kind, slug])
        row = cursor.fetchone()
    if row is None:
        raise Http404
    fields = ("name", "kind", "slug", "model", "description", "body", "collection_name", "collection_slug")
    return render(request, "bare/detail.html", dict(zip(fields, row, strict=True)))


def search(request):
    words = WORD.findall(request.GET.get("q", "")[:200])[:12]
    hits = []
    if words:
        with connection.cursor() as cursor:
            cursor.execute(SEARCH_SQL, [" ".join(f'"{word}"' for word in words)])
            fields = ("name", "kind", "slug", "collection", "section", "text")
            hits = [dict(zip(fields, row, strict=True)) for row in cursor.fetchall()]
    return render(request, "bare/search.html", {"hits": hits})
