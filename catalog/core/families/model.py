"""The plain records families are computed from and described by.

``Member`` is one definition as the Django layer (or a test, or the benchmark) hands it over:
frozen, with no model instances inside, so that the core runs in a worker process or a test
without a database. ``Family`` and ``FamilyMember`` are what the family page and its JSON twin show.
"""

from collections import Counter
from dataclasses import dataclass
from datetime import datetime
from functools import cached_property

import numpy as np

from . import grouping, signatures


@dataclass(frozen=True)
class Tool:
    """One tool a definition names, as ``catalog.core.parsing.ToolRef`` has it (that class fits too)."""

    name: str  # canonical: "Bash", "Read", "mcp__github__create_issue"
    pattern: str = ""  # "git:*" for Bash(git:*); empty means any use of the tool
    enabled: bool = True  # False for OpenCode's {write: false} and disallowed tools


def tool_label(tool):
    """``Bash(git:*)``, or the bare name when any use is allowed."""
    return f"{tool.name}({tool.pattern})" if tool.pattern else tool.name


@dataclass(frozen=True)
class Member:
    """One definition, with what grouping, copies, the score and the section view read."""

    key: str  # "collection/kind/slug"
    kind: str
    name: str
    slug: str
    collection: str  # the collection's slug
    sha256: str  # of the raw file
    text: str = ""  # the body; its signature is computed from it unless ``signature`` is given
    signature: bytes = b""  # stored signatures.Signature.values
    shingles: int = 0  # stored signatures.Signature.shingles (with ``signature``)
    description: str = ""
    tools: tuple = ()  # Tool (or ToolRef) records
    skills: tuple = ()
    commands: tuple = ()
    responsibilities: int = 0
    metrics: int = 0  # success metrics
    examples: int = 0  # <example> blocks
    errors: int = 0  # validation findings by severity
    warnings: int = 0
    upstream_changed: datetime | None = None  # last change of the file upstream (git), when known
    first_imported: datetime | None = None

    @cached_property
    def body_signature(self):
        """The stored signature, or one computed from the body."""
        if len(self.signature) == signatures.SIGNATURE_BYTES:
            return signatures.Signature(self.signature, self.shingles)
        hashes = self.shingle_hashes
        return signatures.Signature(signatures.minhash(hashes).astype("<u4").tobytes(), len(hashes))

    @cached_property
    def shingle_hashes(self):
        """Exact shingle hashes of the body, for verified similarities (empty without a body)."""
        return signatures.shingle_hashes(self.text) if self.text else np.empty(0, dtype=np.uint32)

    @property
    def allowed_tools(self):
        """The enabled tools, each once, in the order written."""
        return tuple(dict.fromkeys(t for t in self.tools if t.enabled))

    @property
    def evidence(self):
        """When this version is known to have existed: the upstream change, else the first import."""
        return self.upstream_changed or self.first_imported

    def entry(self, family=""):
        """The ``grouping.Entry`` stored for this definition."""
        found = self.body_signature
        return grouping.Entry(
            key=self.key, kind=self.kind, collection=self.collection, name=self.name, slug=self.slug,
            signature=found.values, shingles=found.shingles, family=family,
        )  # fmt: skip


@dataclass(frozen=True)
class FamilyMember:
    """One member as the family page lists it."""

    key: str
    collection: str
    name: str
    copy_of: str | None  # the member this one is a copy of ("same as X"), or None for an original
    copy_similarity: float | None  # shingle Jaccard with that original (1.0 for byte-identical)
    copied_by: int  # other collections holding a copy of this member
    score: int
    score_reasons: tuple  # strings "+10 has a description", whose points add up to ``score``


@dataclass(frozen=True)
class Family:
    """A family: every version of one agent (or command, or skill), best first."""

    key: str  # "<kind>/<label>", stable across imports
    kind: str
    name: str  # the name its members most often have, as written
    members: tuple  # FamilyMember, by score (highest first), then key
    versions: int  # members that are not copies: the columns of the family page
    similarity: float  # mean estimated Jaccard between those versions (1.0 for one version)
    links: tuple = ()  # grouping.Link: the content links that joined members of different names

    @property
    def size(self):
        return len(self.members)


def member_from_parsed(parsed, *, key, collection, items=(), findings=(), upstream_changed=None, first_imported=None):
    """A ``Member`` from what an import has at hand for one file: the ``ParsedFile``, its extracted
    items (``field`` "responsibility" or "metric") and its rule findings (``severity``)."""
    fields = Counter(item.field for item in items)
    severities = Counter(finding.severity for finding in findings)
    return Member(
        key=key,
        kind=parsed.kind,
        name=parsed.name,
        slug=key.rsplit("/", 1)[-1],
        collection=collection,
        sha256=parsed.sha256,
        text=parsed.body,
        description=parsed.description,
        tools=tuple(parsed.tools),
        skills=tuple(parsed.skills),
        commands=tuple(parsed.commands),
        responsibilities=fields["responsibility"],
        metrics=fields["metric"],
        examples=len(parsed.examples),
        errors=severities["error"],
        warnings=severities["warning"],
        upstream_changed=upstream_changed,
        first_imported=first_imported,
    )
