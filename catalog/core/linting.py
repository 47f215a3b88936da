"""Linting files on disk without importing them: what ``lint_agents`` reports.

Each file goes through ``analysis.analyse``, the very step the importer runs in its worker
processes (with the same plugin flag), so linting a folder and importing it report the same
findings, and every rule runs once per file. Nothing here touches a database.
"""

from dataclasses import dataclass
from pathlib import Path

from . import analysis, discovery
from .parsing import Problem
from .rules import CollectionEntry, Finding, check_collection, finding_from_problem
from .rules.table import sort_findings

__all__ = ["LintedFile", "lint_paths"]


@dataclass(frozen=True)
class LintedFile:
    """One definition file found under the linted paths, and its findings."""

    path: Path  # absolute
    relpath: str  # relative to its collection root
    findings: tuple[Finding, ...]


def lint_paths(paths) -> list[LintedFile]:
    """Run every rule on the definition files under ``paths`` (folders or single files).

    Each folder is split into collections the way the importer splits it, so the
    cross-file rules see what an import would see. A single file is checked in the
    company of its folder but only its own findings are returned. Raises
    ``FileNotFoundError`` for a path that does not exist.
    """
    linted, seen = [], set()
    for given in paths:
        given = Path(given).resolve()
        if not given.exists():
            raise FileNotFoundError(given)
        only = given if given.is_file() else None
        for collection in discovery.find_collections(given):
            for result in _lint_collection(collection.root, only):
                if result.path not in seen:
                    seen.add(result.path)
                    linted.append(result)
    return linted


def _lint_collection(root, only):
    findings, entries = {}, []
    candidates = [c for c in discovery.discover(root) if c.kind]
    for candidate in candidates:
        try:
            raw = candidate.path.read_bytes()
        except OSError as error:
            problem = Problem("error", "unreadable", f"Cannot read the file: {error.strerror}.")
            findings[candidate.relpath] = (finding_from_problem(problem),)
            continue
        result = analysis.analyse(
            raw,
            candidate.relpath,
            candidate.kind,
            candidate.format,
            candidate.namespace,
            candidate.plugin,
            render=False,
        )
        if result.parsed is None:
            findings[candidate.relpath] = (finding_from_problem(result.rejection),)
            continue
        findings[candidate.relpath] = result.findings
        entries.append(CollectionEntry(candidate.relpath, result.parsed, result.edges, candidate.plugin))
    for relpath, extra in check_collection(entries, mcp_servers=discovery.mcp_servers_in(root)).items():
        findings[relpath] = sort_findings(findings[relpath] + extra)
    return [
        LintedFile(candidate.path.resolve(), candidate.relpath, findings[candidate.relpath])
        for candidate in candidates
        if only is None or candidate.path.resolve() == only
    ]
