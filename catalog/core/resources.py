"""Resources: the files of a collection that belong with its definitions without being one.

Discovery names them by their skip reason: a skill's other files (scripts, references,
templates) are a "skill resource", ``plugin.json`` and ``marketplace.json`` a "plugin manifest"
and a "marketplace manifest", and ``LICENSE`` files (a collection's, a plugin's, a skill's) a
"license file". The importer keeps their bytes (``read`` while planning, outside
any transaction) and exports write them back beside the definitions, so an exported skill keeps
its scripts and an exported plugin stays a plugin. ``belongs_with`` decides which resources go
with a selection of definitions.

Pure Python: a candidate is discovery's ``Candidate``; rows are plain tuples.
"""

import hashlib
import os
from dataclasses import dataclass
from pathlib import PurePosixPath

from .parsing import MAX_FILE_BYTES

SKILL_RESOURCE = "skill-resource"
PLUGIN_MANIFEST = "plugin-manifest"
MARKETPLACE_MANIFEST = "marketplace-manifest"
LICENSE = "license"

# Discovery's skip reason -> the kind of resource kept.
KEPT = {
    "skill resource": SKILL_RESOURCE,
    "plugin manifest": PLUGIN_MANIFEST,
    "marketplace manifest": MARKETPLACE_MANIFEST,
    "license file": LICENSE,
}


@dataclass(frozen=True)
class ReadResource:
    """A resource as read from disk: its path in the collection, kind, bytes and their SHA-256."""

    relpath: str
    kind: str
    raw: bytes
    sha256: str


def read(candidate):
    """The resource a skipped candidate is, read from disk; None when it is none, too large or unreadable.

    Over ``MAX_FILE_BYTES`` a file is left behind, as a definition file would be rejected.
    """
    kind = KEPT.get(candidate.skip_reason)
    if kind is None:
        return None
    try:
        if os.stat(candidate.path).st_size > MAX_FILE_BYTES:
            return None
        with open(candidate.path, "rb") as handle:
            raw = handle.read(MAX_FILE_BYTES + 1)
    except OSError:
        return None
    if len(raw) > MAX_FILE_BYTES:  # grew since the stat
        return None
    return ReadResource(candidate.relpath, kind, raw, hashlib.sha256(raw).hexdigest())


def belongs_with(definitions, resources):
    """The resources (``(key, collection, path, kind)`` rows) that go with ``definitions``
    (``(collection, kind, source_path)`` rows), as their keys in the order given:

    * every manifest of their collections (a plugin's files without it lose their namespace);
    * a skill resource inside the folder of a skill chosen;
    * a licence in a folder above (or beside) a definition chosen: it covers what is under it.
    """
    collections, skill_folders, folders = set(), set(), set()
    for collection, kind, source_path in definitions:
        collections.add(collection)
        parent = PurePosixPath(source_path).parent
        folders.update((collection, folder) for folder in (parent, *parent.parents))
        if kind == "skill":
            skill_folders.add((collection, parent))
    wanted = []
    for key, collection, path, kind in resources:
        if collection not in collections:
            continue
        parent = PurePosixPath(path).parent
        if kind == SKILL_RESOURCE:
            keep = any((collection, folder) in skill_folders for folder in (parent, *parent.parents))
        elif kind == LICENSE:
            keep = (collection, parent) in folders
        else:
            keep = True
        if keep:
            wanted.append(key)
    return wanted
