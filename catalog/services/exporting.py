"""Write the catalog back out as definition files, in their original layout and format.

A definition nobody edited is written back byte for byte from ``Definition.raw``, so an
export of an untouched catalog is identical to what was imported. An edited one is written
from its text with the frontmatter dumped again by ``yaml.SafeDumper``: field order and
unknown fields are kept, and whatever needs quoting is quoted, so strict YAML readers accept
the file even when the original needed the lenient reader.

Resources (``catalog.models.Resource``: skill files, plugin and marketplace manifests) passed
along are written as imported, beside the definitions, so skills and plugins stay installable.

Files land at ``<collection slug>/<source path>`` under the export root. A source path is
data from the imported tree, so one that is absolute or climbs with ``..`` is refused rather
than written outside the root. Nothing here writes to the database.
"""

import io
import sys
import zipfile
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

import yaml

from ..core import parsing

__all__ = [
    "ExportReport",
    "UnsafePath",
    "definition_bytes",
    "dump_frontmatter",
    "export_path",
    "export_tree",
    "export_zip",
    "file_text",
    "frontmatter_of",
    "strict_bytes",
]

FENCE = "---"


class UnsafePath(ValueError):
    """A source path that would land outside the export root."""


@dataclass
class ExportReport:
    """What an export wrote: ``verbatim`` files from the imported bytes, ``rebuilt`` from edits."""

    written: int = 0
    verbatim: int = 0
    rebuilt: int = 0
    resources: int = 0  # skill files and manifests, always as imported
    refused: list = field(default_factory=list)  # (definition key, reason)


# ---------------------------------------------------------------------------
# Frontmatter and file text
# ---------------------------------------------------------------------------


class _Dumper(yaml.SafeDumper):
    """The safe dumper, writing multi-line strings as literal blocks the way people write them.

    Where a literal block cannot hold a string exactly (trailing spaces, say), the emitter
    falls back to a quoted style by itself, so the value always reads back the same.
    """


# YAML reads these as line breaks. With allow_unicode PyYAML writes them unescaped in plain,
# single-quoted and block scalars, where they read back as a space or "\n"; only the
# double-quoted style escapes them.
_UNICODE_BREAKS = frozenset("\x85\u2028\u2029")


def _represent_str(dumper, value):
    if not _UNICODE_BREAKS.isdisjoint(value):
        style = '"'
    elif "\n" in value:
        style = "|"
    else:
        style = None
    return dumper.represent_scalar("tag:yaml.org,2002:str", value, style=style)


_Dumper.add_representer(str, _represent_str)


def dump_frontmatter(mapping):
    """YAML for a frontmatter mapping: file order kept, strings quoted only where YAML needs it.

    Lines are never folded, so a one-line description stays one line.
    """
    if not mapping:
        return ""
    return yaml.dump(mapping, Dumper=_Dumper, sort_keys=False, allow_unicode=True, width=sys.maxsize)


def file_text(mapping, body):
    """A definition file's text: the frontmatter between ``---`` fences, then the body.

    Without frontmatter the body stands alone, unless it opens with a fence line of its own,
    which a reader would take for frontmatter: an empty block in front keeps it body.
    """
    if mapping:
        return f"{FENCE}\n{dump_frontmatter(mapping)}{FENCE}\n{body}"
    if body.lstrip().startswith(FENCE):
        return f"{FENCE}\n{FENCE}\n{body}"
    return body


def frontmatter_of(definition):
    """The definition's frontmatter, in the order its text has it.

    The stored JSON is not enough: PostgreSQL's jsonb keeps keys in an order of its own. The
    text was accepted when it was saved, so reading it again gives the same mapping; should
    it not, the stored mapping is what the catalog holds and wins.
    """
    stored = dict(definition.frontmatter or {})
    yaml_text, _, body_line, _ = parsing.split_frontmatter(definition.source_text)
    if yaml_text is None:
        return stored
    first_line = body_line - 1 - (yaml_text.count("\n") + 1 if yaml_text else 0)
    try:
        mapping, _, _ = parsing.read_frontmatter(yaml_text, first_line)
    except parsing.Rejected:
        return stored
    return mapping if mapping == stored else stored


def definition_bytes(definition):
    """The file to write: the imported bytes when unedited, else the edit with strict frontmatter."""
    if not definition.locally_modified:
        return bytes(definition.raw)
    return file_text(frontmatter_of(definition), definition.body).encode("utf-8")


def strict_bytes(definition):
    """The file as a strict YAML reader accepts it: the imported bytes when they parsed strictly
    and nobody edited them, else the text with its frontmatter dumped again.

    A plugin is loaded by Claude Code's strict reader, which drops every field of frontmatter
    it cannot parse; the catalog read those fields leniently and writes them back readable.
    """
    if not definition.locally_modified and not definition.lenient:
        return bytes(definition.raw)
    return file_text(frontmatter_of(definition), definition.body).encode("utf-8")


# ---------------------------------------------------------------------------
# Paths and writing
# ---------------------------------------------------------------------------


def export_path(definition):
    """``<collection slug>/<source path>`` as a relative POSIX path; ``UnsafePath`` if it would escape."""
    return _safe_path(definition.collection.slug, definition.source_path)


def _safe_path(*parts):
    for part in parts:
        path = PurePosixPath(part)
        if not part or "\\" in part or "\x00" in part or path.is_absolute() or ".." in path.parts:
            raise UnsafePath(f"Refusing the path {part!r}: it must be relative and stay inside the export.")
    return PurePosixPath(*parts)


def _files(definitions, report, resources=()):
    """``(definition or None, relative path, bytes)`` for each definition, then each resource
    (``catalog.models.Resource``: skill files, manifests), whose path is safe."""
    for definition in definitions:
        try:
            relpath = export_path(definition)
        except UnsafePath as error:
            report.refused.append((definition.key, str(error)))
            continue
        yield definition, relpath, definition_bytes(definition)
    for resource in resources:
        try:
            relpath = _safe_path(resource.collection.slug, resource.path)
        except UnsafePath as error:
            report.refused.append((str(resource), str(error)))
            continue
        yield None, relpath, bytes(resource.raw)


def _count(report, definition):
    report.written += 1
    if definition is None:  # a resource
        report.resources += 1
    elif definition.locally_modified:
        report.rebuilt += 1
    else:
        report.verbatim += 1


def export_tree(definitions, directory, resources=()):
    """Write each definition under ``directory``; return an ``ExportReport``.

    Select the collection with the definitions (``select_related``): every path names it.
    The resolved target is checked too, so a symlink already in ``directory`` cannot carry
    a file outside it.
    """
    root = Path(directory).resolve()
    root.mkdir(parents=True, exist_ok=True)
    report = ExportReport()
    for definition, relpath, data in _files(definitions, report, resources):
        target = root.joinpath(*relpath.parts)
        if target.is_symlink() or not target.parent.resolve().is_relative_to(root):
            who = definition.key if definition is not None else str(relpath)
            report.refused.append((who, f"Refusing {relpath}: it resolves outside the export."))
            continue
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(data)
        _count(report, definition)
    return report


def export_zip(definitions, stream=None, resources=()):
    """Write the same files into a zip archive in ``stream`` (a new BytesIO by default).

    Returns ``(stream, ExportReport)``.
    """
    stream = stream if stream is not None else io.BytesIO()
    report = ExportReport()
    with zipfile.ZipFile(stream, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for definition, relpath, data in _files(definitions, report, resources):
            archive.writestr(str(relpath), data)
            _count(report, definition)
    return stream, report
