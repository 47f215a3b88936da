"""Reads behind the collaboration graph: who receives from, hands off to or works beside whom.

The graph page, its HTMX fragment and its JSON twin all read ``graph_data`` with the same
filters from the URL: ``collection`` and ``kind`` (both repeatable), ``min_degree`` and
``focus``. The graph is built from a single joined ``values()`` query over the edges, so its
cost does not grow with queries per node. ``neighbourhood()`` gives an agent page its small
1–2 hop graph.

JSON shape (docs/json-api.md)::

    {"nodes": [{"id", "label", "collection", "dangling", "kind", "url", "degree"}],
     "edges": [{"source", "target", "kind", "evidence", "line"}],
     "focus": [node ids the focus matched]}

Resolved nodes are identified by their definition key (``collection/kind/slug``); names that
did not resolve become one node each, ``missing:<name>``.
"""

import hashlib
from collections import Counter
from dataclasses import dataclass

from django.db.models import Count, Q
from django.urls import reverse

from ..core.keys import key_of
from ..models import Collection, Edge
from ..stamp import cached

# The kinds of edge, for views (which read no model themselves).
EDGE_KINDS = Edge.Kind

# Everything a node or an edge needs, fetched in one joined query.
_EDGE_FIELDS = (
    "source_id",
    "source__slug",
    "source__kind",
    "source__name",
    "source__collection__slug",
    "target_id",
    "target__slug",
    "target__kind",
    "target__name",
    "target__collection__slug",
    "target_name",
    "kind",
    "evidence",
    "line",
)


@dataclass(frozen=True)
class GraphFilters:
    """The graph's filters as read from a query string; empty means no restriction."""

    collections: tuple = ()
    kinds: tuple = ()
    min_degree: int = 0
    focus: str = ""

    @classmethod
    def from_query(cls, query):
        valid_kinds = set(Edge.Kind.values)
        try:
            min_degree = max(int(query.get("min_degree") or 0), 0)
        except ValueError:
            min_degree = 0
        return cls(
            collections=tuple(dict.fromkeys(s for s in query.getlist("collection") if s)),
            kinds=tuple(dict.fromkeys(k for k in query.getlist("kind") if k in valid_kinds)),
            min_degree=min_degree,
            focus=query.get("focus", "").strip()[:300],
        )


def _node_url_builder():
    """Build definition URLs by substitution: ``reverse()`` per node costs ~0.1 s at 10k nodes."""
    marker = ("C0LLECTION", "K1ND", "SL0G")
    pattern = reverse("catalog:definition_detail", args=marker)
    # reverse() quotes arguments; slugs are URL-safe apart from rare characters, which
    # fall back to reverse() itself so the result is always identical.
    safe = set("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_.")

    def url(collection, kind, slug):
        if set(collection) <= safe and set(kind) <= safe and set(slug) <= safe:
            return pattern.replace(marker[0], collection).replace(marker[1], kind).replace(marker[2], slug)
        return reverse("catalog:definition_detail", args=[collection, kind, slug])

    return url


def _graph_from_rows(rows):
    """Turn edge rows (``_EDGE_FIELDS`` dicts) into ``(nodes by id, edges)``, degrees unset."""
    url = _node_url_builder()
    nodes, edges = {}, []

    def resolved(prefix, row):
        collection, kind, slug = row[f"{prefix}__collection__slug"], row[f"{prefix}__kind"], row[f"{prefix}__slug"]
        node_id = key_of(collection, kind, slug)
        if node_id not in nodes:
            nodes[node_id] = {
                "id": node_id,
                "label": row[f"{prefix}__name"],
                "collection": collection,
                "dangling": False,
                "kind": kind,
                "url": url(collection, kind, slug),
                "degree": 0,
                "pk": row[f"{prefix}_id"],
            }
        return node_id

    for row in rows:
        source = resolved("source", row)
        if row["target_id"] is None:
            target = f"missing:{row['target_name']}"
            nodes.setdefault(
                target,
                {"id": target, "label": row["target_name"], "collection": None, "dangling": True,
                 "kind": None, "url": None, "degree": 0, "pk": None},
            )
        else:
            target = resolved("target", row)
        edges.append(
            {"source": source, "target": target, "kind": row["kind"], "evidence": row["evidence"], "line": row["line"]}
        )
    return nodes, edges


def _focus_ids(nodes, focus):
    """Nodes the focus names: by key, ``missing:`` id, or display name, case-insensitively."""
    wanted = focus.casefold()
    return [
        node_id
        for node_id, node in nodes.items()
        if wanted in (node_id.casefold(), node["label"].casefold(), node_id.rpartition("/")[2].casefold())
    ]


def _finish(nodes, edges, *, min_degree=0, focus=()):
    """Count degrees, drop nodes under ``min_degree`` with their edges, and shape the JSON."""
    degree = Counter()
    for edge in edges:
        degree[edge["source"]] += 1
        degree[edge["target"]] += 1
    keep = {node_id for node_id in nodes if degree[node_id] >= min_degree} | set(focus)
    edges = [e for e in edges if e["source"] in keep and e["target"] in keep]
    kept = []
    for node_id, node in nodes.items():
        if node_id in keep:
            node = {k: v for k, v in node.items() if k != "pk"}
            node["degree"] = degree[node_id]
            kept.append(node)
    kept.sort(key=lambda n: (n["dangling"], n["label"].casefold(), n["id"]))
    return {"nodes": kept, "edges": edges, "focus": list(focus)}


def edge_rows(filters):
    """The edges the filters keep, as ``_EDGE_FIELDS`` dicts, in one query."""
    edges = Edge.objects.filter(source__missing=False)
    if filters.collections:
        # An edge belongs to its source's collection; its target may lie elsewhere or nowhere.
        edges = edges.filter(source__collection__slug__in=filters.collections)
    if filters.kinds:
        edges = edges.filter(kind__in=filters.kinds)
    return edges.order_by("source__name", "kind", "target_name", "pk").values(*_EDGE_FIELDS)


def graph_data(filters):
    """The filtered graph as the JSON twin returns it, computed once per catalog stamp.

    A focus keeps the matched nodes and their direct neighbours; ``min_degree`` then counts
    edges within what is left, but never drops a focused node.
    """
    key = hashlib.blake2b(repr(filters).encode(), digest_size=12).hexdigest()
    return cached(f"graph:{key}", lambda: _graph_data(filters))


def _graph_data(filters):
    nodes, edges = _graph_from_rows(edge_rows(filters))
    focus = ()
    if filters.focus:
        focus = _focus_ids(nodes, filters.focus)
        near = set(focus)
        edges = [e for e in edges if e["source"] in near or e["target"] in near]
        touched = near | {e["source"] for e in edges} | {e["target"] for e in edges}
        nodes = {node_id: node for node_id, node in nodes.items() if node_id in touched}
    return _finish(nodes, edges, min_degree=filters.min_degree, focus=focus)


def neighbourhood(definition, hops=2):
    """The graph within ``hops`` edges of ``definition``, for the mini graph on its page.

    One query per hop, each following edges in both directions from the previous frontier;
    names that did not resolve are leaves, since nothing can be followed from them.
    """
    seen, frontier, rows, row_keys = {definition.pk}, {definition.pk}, [], set()
    base = Edge.objects.filter(source__missing=False).values("pk", *_EDGE_FIELDS).order_by()
    for _ in range(hops):
        # The edges' ids first, from the source and target indexes: with the OR next to the
        # joins, SQLite planned a scan of every definition (130 ms for a 70-agent frontier).
        touching = Edge.objects.filter(Q(source_id__in=frontier) | Q(target_id__in=frontier)).values("pk")
        found = base.filter(pk__in=touching)
        next_frontier = set()
        for row in found:
            if row["pk"] in row_keys:
                continue
            row_keys.add(row["pk"])
            rows.append(row)
            for pk in (row["source_id"], row["target_id"]):
                if pk is not None and pk not in seen:
                    next_frontier.add(pk)
        seen |= next_frontier
        frontier = next_frontier
        if not frontier:
            break
    rows.sort(key=lambda r: (r["source__name"], r["kind"], r["target_name"], r["pk"]))
    nodes, edges = _graph_from_rows(rows)
    return _finish(nodes, edges, focus=[definition.key] if definition.key in nodes else [])


def collection_choices():
    """Collections that have outgoing edges, as ``(slug, name, edge count)``."""
    return (
        Collection.objects.annotate(n=Count("definitions__edges_out"))
        .filter(n__gt=0)
        .order_by("name")
        .values_list("slug", "name", "n")
    )
