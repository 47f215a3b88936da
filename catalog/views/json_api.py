"""The JSON twins: every shape that ``?format=json`` answers, in the one module docs/json-api.md describes.

Each function takes what its page already read (a page of rows, a definition and its panels,
the overview's numbers) and returns plain dicts and lists; the views only choose which one to
call. A change to a shape here is a change to the documented API.
"""

from django.urls import reverse

from ..selectors.links import patch_url
from ..selectors.overview import COLLECTION_CHARTS, OVERVIEW_CHARTS

# ---------------------------------------------------------------------------
# Conventions: pages, summaries, links to definitions
# ---------------------------------------------------------------------------


def _page_url(request, number):
    query = request.GET.copy()
    query["page"] = number
    return f"{request.path}?{query.urlencode()}"


def page(request, page_obj, item):
    """The list contract: ``count`` and ``results``, plus the links to walk the pages."""
    return {
        "count": page_obj.paginator.count,
        "page": page_obj.number,
        "pages": page_obj.paginator.num_pages,
        "next": _page_url(request, page_obj.next_page_number()) if page_obj.has_next() else None,
        "previous": _page_url(request, page_obj.previous_page_number()) if page_obj.has_previous() else None,
        "results": [item(obj) for obj in page_obj.object_list],
    }


def definition_summary(definition):
    """One definition in a JSON list."""
    return {
        "key": definition.key,
        "url": definition.get_absolute_url(),
        "kind": definition.kind,
        "name": definition.name,
        "collection": definition.collection.slug,
        "category": definition.category,
        "format": definition.format,
        "model": definition.model,
        "description": definition.description,
        "tools": definition.tool_names,
        "size": definition.size,
        "collaborators": definition.collaborator_count,
        "problem_count": definition.problem_count,
    }


def definition_ref(definition):
    """A definition linked from another one's JSON; ``None`` when the link is dangling."""
    if definition is None:
        return {"key": None, "url": None}
    return {"key": definition.key, "url": definition.get_absolute_url()}


# ---------------------------------------------------------------------------
# Agents, commands and skills
# ---------------------------------------------------------------------------


def definition_list(request, page_obj):
    return page(request, page_obj, definition_summary)


def definition_detail(definition, panels, upstream):
    """One definition with its panels: tools, references, collaborators, problems, variants."""

    def variant(v, relation):
        return {
            **definition_ref(v.definition),
            "name": v.definition.name,
            "collection": v.definition.collection.slug,
            "relation": relation,
            "similarity": round(v.similarity, 3),
            "compare_url": v.compare_url,
        }

    def edge(e, name, other):
        return {"kind": e.kind, "name": name, **definition_ref(other), "evidence": e.evidence, "line": e.line}

    return {
        "key": definition.key,
        "url": definition.get_absolute_url(),
        "kind": definition.kind,
        "name": definition.name,
        "slug": definition.slug,
        "collection": definition.collection.slug,
        "collection_name": definition.collection.name,
        "category": definition.category,
        "format": definition.format,
        "description": definition.description,
        "examples": definition.examples,
        "model": definition.model,
        "color": definition.color,
        "tools": list(dict.fromkeys(link.tool.name for link in panels.tools)),
        "tool_links": [
            {
                "name": link.tool.name,
                "raw": link.raw,
                "pattern": link.pattern,
                "legacy": link.legacy,
                "enabled": link.enabled,
                "tool_kind": link.tool.kind,
            }
            for link in panels.tools
        ],
        "skills": [r.name for r in panels.skills],
        "commands": [r.name for r in panels.commands],
        "references": [
            {"kind": r.kind, "name": r.name, **definition_ref(r.target)} for r in panels.skills + panels.commands
        ],
        "referenced_by": [definition_ref(r.definition) for r in panels.referenced_by],
        "collaborators": {
            "out": [edge(e, e.target_name, e.target) for e in panels.edges_out],
            "in": [edge(e, e.source.name, e.source) for e in panels.edges_in],
        },
        "problems": [problem(p) for p in panels.problems],
        "variants": [variant(v, "same-name") for v in panels.same_name]
        + [variant(v, "similar") for v in panels.similar],
        "frontmatter": definition.frontmatter,
        "family": panels.family,
        "missing": definition.missing,
        "provenance": {
            "path": definition.source_path,
            "sha256": definition.sha256,
            "size": definition.size,
            "imported_at": definition.imported_at.isoformat(),
            "import_run": definition.import_run_id,
            "raw_url": reverse(
                "catalog:definition_raw", args=[definition.collection.slug, definition.kind, definition.slug]
            ),
            "file_url": upstream.file_url,
            "history_url": upstream.history_url,
            "upstream_changed_at": upstream.changed_at.isoformat() if upstream.changed_at else None,
            "upstream_commit": upstream.changed_commit or None,
            "upstream_exact": upstream.exact,
        },
        "source": _source(definition.collection),
    }


def _source(collection):
    """A git collection's source, as ``--sync`` fetches it (the URL never holds credentials)."""
    if not collection.source_url:
        return None
    return {
        "url": collection.source_url,
        "ref": collection.ref,
        "commit": collection.commit,
        "synced_at": collection.synced_at.isoformat() if collection.synced_at else None,
    }


def problem(p):
    """A stored problem of a definition, as its detail lists it."""
    return {"severity": p.severity, "code": p.code, "message": p.message, "line": p.line}


# ---------------------------------------------------------------------------
# Tools
# ---------------------------------------------------------------------------


def tool_list(request, page_obj):
    return page(
        request,
        page_obj,
        lambda t: {"name": t.name, "url": t.get_absolute_url(), "kind": t.kind, "server": t.server, "definitions": t.n},
    )


def tool_detail(request, tool, page_obj, rows):
    """A tool, and the page of definitions allowed it with how each wrote it (``rows``)."""
    data = {"name": tool.name, "url": tool.get_absolute_url(), "kind": tool.kind, "server": tool.server}
    written = {d.pk: [link.raw for link in links] for d, links in rows}
    return data | page(request, page_obj, lambda d: definition_summary(d) | {"written_as": written[d.pk]})


# ---------------------------------------------------------------------------
# Collections and the overview
# ---------------------------------------------------------------------------


def _collection_row(c, *extra):
    row = {"slug": c.slug, "url": c.get_absolute_url(), "name": c.name}
    row |= {name: getattr(c, name) for name in extra}
    return row | {"agents": c.agents, "commands": c.commands, "skills": c.skills}


def collection_list(collections):
    rows = list(collections)
    return {"count": len(rows), "results": [_collection_row(c, "kind", "origin") for c in rows]}


def collection_detail(request, collection, *, kind_counts, stats, problems, rule, severity, page_obj):
    """A collection's numbers, charts, health, one page of its problems and one of its definitions."""
    health = stats["health"]
    data = {
        "slug": collection.slug,
        "url": collection.get_absolute_url(),
        "name": collection.name,
        "kind": collection.kind,
        "origin": collection.origin,
        "commit": collection.commit,
        "source": _source(collection),
        "description": collection.description,
        "counts": kind_counts,
        "formats": stats["by_format"],
        "health": {
            "score": health.score,
            "formula": health.formula,
            "definitions": health.definitions,
            "clean": health.clean,
            "rejected": health.rejected,
        },
        "charts": {name: stats[name].as_rows() for name in COLLECTION_CHARTS},
        "problems": {
            "rule": rule,
            "severity": severity,
            "by_rule": {r.code: r.n for r in stats["by_rule"]},
            "by_severity": stats["by_severity"],
            "count": problems.paginator.count,
            "page": problems.number,
            "pages": problems.paginator.num_pages,
            "results": [
                {
                    "severity": p.severity,
                    "code": p.code,
                    "path": p.path,
                    "line": p.line,
                    "message": p.message,
                    "definition": definition_ref(p.definition),
                }
                for p in problems.object_list
            ],
        },
    }
    return data | page(request, page_obj, definition_summary)


def overview(context):
    """The whole catalog's numbers, charts, collections, recent imports and shared names."""
    return {
        "counts": context["by_kind"],
        "formats": context["by_format"],
        "definitions_with_problems": context["definitions_with_problems"],
        "agents_with_problems": context["agents_with_problems"],
        "charts": {name: context[name].as_rows() for name in OVERVIEW_CHARTS},
        "collections": [_collection_row(c) for c in context["collections"]],
        "imports": [
            {
                "id": run.pk,
                "status": run.status,
                "started_at": run.started_at.isoformat(),
                "finished_at": run.finished_at.isoformat() if run.finished_at else None,
                "found": run.found,
                "created": run.created,
                "updated": run.updated,
                "unchanged": run.unchanged,
                "rejected": run.rejected,
                "missing": run.missing,
            }
            for run in context["imports"]
        ],
        "shared_names": [
            {
                "kind": shared.kind,
                "slug": shared.slug,
                "definitions": [definition_ref(d) for d in shared.definitions],
                "compare": [url for _, url in shared.comparisons],
            }
            for shared in context["shared_names"]
        ],
        "largest_families": [_family_summary(family) for family in context.get("largest_families", ())],
    }


# ---------------------------------------------------------------------------
# Search and compare
# ---------------------------------------------------------------------------


def search(results, error):
    data = {
        "count": results.count if results else 0,
        "exact": results.exact if results else True,
        "page": results.page if results else 1,
        "pages": results.pages if results else 1,
        "results": [
            {
                **definition_ref(hit.definition),
                "name": hit.definition.name,
                "matches": [{"field": m.field, "section": m.section, "text": m.text} for m in hit.matches],
            }
            for hit in (results.hits if results else ())
        ],
    }
    if error:
        data["error"] = error
    return data


def comparison(diff, left, right):
    """The structured diff of two sides, with their keys and the links to their pages and patch."""
    return diff.to_json() | {
        "left": left.key,
        "right": right.key,
        "left_url": left.definition.get_absolute_url(),
        "right_url": right.definition.get_absolute_url(),
        "patch_url": patch_url(left.key, right.key),
    }


# ---------------------------------------------------------------------------
# Quick find
# ---------------------------------------------------------------------------


def quick_find(found):
    """Quick find's hits, best first within each kind: ``results`` [{key, name, kind, url, ...}]."""
    return {
        "query": found.query,
        "count": len(found.hits),
        "results": [
            {
                "key": hit.key,
                "name": hit.name,
                "kind": hit.kind,
                "url": hit.url,
                "collection": hit.collection,
                "match": hit.match,
            }
            for hit in found.hits
        ],
    }


# ---------------------------------------------------------------------------
# Families
# ---------------------------------------------------------------------------


def _family_summary(family):
    return {
        "key": family.key,
        "url": family.get_absolute_url(),
        "kind": family.kind,
        "name": family.name,
        "size": family.size,
        "versions": family.versions,
        "collections": getattr(family, "member_collections", None),
        "similarity": family.similarity,
    }


def family_list(request, page_obj):
    """The families list: the list contract, largest and most divergent first."""
    return page(request, page_obj, _family_summary)


def family(page):
    """One family: its members best first, each with its score and the reasons that add up to it."""
    columns = page.columns
    return {
        **_family_summary(page.family),
        "collections": page.family.collections,
        "links": [{"source": s, "target": t, "similarity": sim} for s, t, sim in page.family.links],
        "members": [
            {
                "key": m.key,
                "url": page.urls.get(m.key),
                "name": m.name,
                "collection": m.collection,
                "score": m.score,
                "score_reasons": list(m.score_reasons),
                "copy_of": page.key_of.get(m.copy_of_id),
                "copy_similarity": m.copy_similarity,
                "copied_by": m.copied_by,
            }
            for m in page.members
        ],
        "columns": [c.key for c in page.columns],
        "tools": {row.label: [c.key for c, on in zip(columns, row.cells, strict=True) if on] for row in page.tools},
        "sections": [
            {
                "heading": row.heading,
                "cells": {c.key: cell.status for c, cell in zip(page.columns, row.cells, strict=True)},
            }
            for row in page.sections
        ],
        "core": {
            "shared_headings": list(page.core.shared_headings),
            "unique_headings": {k: list(v) for k, v in page.core.unique_headings.items()},
            "shared_tools": list(page.core.shared_tools),
            "unique_tools": {k: list(v) for k, v in page.core.unique_tools.items()},
        },
    }
