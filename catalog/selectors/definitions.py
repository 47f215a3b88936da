"""Reads behind one definition's page: the row itself, its panels, its history and its frontmatter.

Every function here issues a fixed number of queries, whatever the number of collaborators,
references or versions, so the detail page's query count can be pinned.
"""

import json
from dataclasses import dataclass, field

from ..core.sources import SourceError, file_url, history_url, parse_source, repository_url
from ..models import Definition, Edge, Problem, Reference
from .families import family_of
from .variants import variants

# Frontmatter keys some supported format defines; anything else is shown as "unknown".
KNOWN_FIELDS = frozenset(
    {
        "name", "description", "tools", "allowed-tools", "disallowed-tools", "model", "color",
        "argument-hint", "disable-model-invocation", "license", "metadata", "version",
        "mode", "temperature", "top_p", "permission", "disable", "prompt",
        "target", "mcp-servers", "handoffs", "infer",
    }
)  # fmt: skip


def detail_queryset():
    """Definitions as their page reads them: collection, import run and family joined, never the raw bytes."""
    return (
        Definition.objects.select_related("collection", "import_run", "family_member__family")
        .defer("raw", "family_member__signature")
    )


def raw_queryset():
    """Definitions as the raw download reads them: the bytes and the file name only."""
    return Definition.objects.only("raw", "source_path")


def history(definition):
    """``(versions, open conflict or None)`` of the detail page, without their large columns."""
    versions = list(definition.versions.defer("raw", "source_text", "body"))
    return versions, definition.conflicts.open().defer("upstream_raw").first()


@dataclass(frozen=True)
class FrontmatterField:
    key: str
    value: str
    known: bool
    block: bool  # a nested value, shown as indented JSON


def frontmatter_fields(frontmatter):
    """Every frontmatter field in file order, unknown ones included and flagged."""
    fields = []
    for key, value in frontmatter.items():
        if isinstance(value, dict) or (isinstance(value, list) and any(isinstance(v, (dict, list)) for v in value)):
            text, block = json.dumps(value, indent=2, ensure_ascii=False), True
        elif isinstance(value, list):
            text, block = ", ".join(map(_scalar, value)), False
        else:
            text = _scalar(value)
            block = "\n" in text
        fields.append(FrontmatterField(key=str(key), value=text, known=str(key) in KNOWN_FIELDS, block=block))
    return fields


def _scalar(value):
    """Strings as written; YAML's other scalars as YAML would write them (true, null, 2.0)."""
    return value if isinstance(value, str) else json.dumps(value, ensure_ascii=False)


# Collaborations in the order a reader follows work: who feeds it, who it feeds, peers...
EDGE_ORDER = {kind: position for position, kind in enumerate(Edge.Kind.values)}


@dataclass(frozen=True)
class Panels:
    """Everything the detail page shows around a definition's body."""

    tools: list
    skills: list
    commands: list
    edges_out: list
    edges_in: list
    problems: list
    referenced_by: list
    same_name: list
    similar: list
    frontmatter: list = field(default_factory=list)
    family: dict | None = None  # {key, url, size} of its family (selectors.families.family_of)


# A neighbour in a panel needs its name and URL, never its file: without this, one page read
# every collaborator's raw bytes, body and rendered HTML (seconds per page on PostgreSQL).
_HEAVY_FIELDS = ("raw", "source_text", "body", "rendered_html", "rendered_toc", "frontmatter", "examples")


def _heavy(relation):
    return [f"{relation}__{name}" for name in _HEAVY_FIELDS]


def definition_panels(definition):
    """The detail page's panels, in a fixed number of queries."""
    references = list(definition.references.select_related("target__collection"))
    same_name, similar = variants(definition)
    return Panels(
        tools=list(definition.tool_links.select_related("tool").order_by("position")),
        skills=[r for r in references if r.kind == Reference.Kind.SKILL],
        commands=[r for r in references if r.kind == Reference.Kind.COMMAND],
        edges_out=sorted(
            definition.edges_out.select_related("target__collection").defer(*_heavy("target")),
            key=lambda e: (EDGE_ORDER.get(e.kind, len(EDGE_ORDER)), e.target_name),
        ),
        edges_in=sorted(
            definition.edges_in.select_related("source__collection").defer(*_heavy("source")),
            key=lambda e: (EDGE_ORDER.get(e.kind, len(EDGE_ORDER)), e.source.name, e.source_id),
        ),
        problems=list(Problem.objects.filter(definition=definition).order_by("line", "code")),
        referenced_by=list(
            definition.referenced_by.select_related("definition__collection").order_by(
                "definition__name", "definition__collection__name"
            )
        ),
        same_name=same_name,
        similar=similar,
        frontmatter=frontmatter_fields(definition.frontmatter),
        family=family_of(definition),
    )


@dataclass(frozen=True)
class Provenance:
    """Where a definition's file lives upstream: forge links, and when it last changed there."""

    repository_url: str | None = None
    file_url: str | None = None  # the file at the imported commit
    history_url: str | None = None  # the commits that changed it, up to that commit
    changed_at: object = None  # datetime of the last upstream change, when the source is a checkout
    changed_commit: str = ""
    changed_commit_url: str | None = None
    exact: bool = True  # False: a shallow clone's boundary, so "this old or older"


def provenance(definition):
    """Links back to the upstream file on a known forge (GitHub, GitLab, Codeberg), from the
    collection's origin and commit; no query (the collection is joined)."""
    collection = definition.collection
    try:
        source = parse_source(collection.origin) if collection.origin else None
    except SourceError:
        source = None
    commit, path = collection.commit, definition.source_path
    changed = definition.upstream_commit
    return Provenance(
        repository_url=repository_url(source) if source else None,
        file_url=file_url(source, commit, path) if source else None,
        history_url=history_url(source, commit, path) if source else None,
        changed_at=definition.upstream_changed_at,
        changed_commit=changed,
        changed_commit_url=_commit_url(source, changed),
        exact=definition.upstream_exact,
    )


def _commit_url(source, commit):
    home = repository_url(source) if source and commit else None
    if home is None:
        return None
    return f"{home}/-/commit/{commit}" if source.forge == "gitlab" else f"{home}/commit/{commit}"
