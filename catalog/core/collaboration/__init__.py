"""Collaboration between agents: edges read from a definition's own words, and the names they use.

``edges.extract_edges`` turns "Upstream Dependencies" sections, workflow chains, handoff
lists and delegation calls into typed ``EdgeMention`` records; ``names`` says what an agent
name looks like and resolves written names against the catalog (``NameIndex``).
"""

from .edges import EDGE_KINDS, EdgeMention, extract_edges
from .names import NameIndex, compact_name, looks_like_agent_name, normalize_name, resolve_name

__all__ = [
    "EDGE_KINDS",
    "EdgeMention",
    "NameIndex",
    "compact_name",
    "extract_edges",
    "looks_like_agent_name",
    "normalize_name",
    "resolve_name",
]
