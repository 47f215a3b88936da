"""Claude Code plugins built from a selection of definitions: the manifest, its rules, the zip.

A plugin is a folder with ``.claude-plugin/plugin.json`` and its components in the default
folders at its root: ``agents/<name>.md``, ``commands/<ns>/<name>.md`` (subfolders namespace
a command) and ``skills/<name>/SKILL.md`` with the skill's other files beside it (see
``catalog.core.install``: the same paths as in a project's ``.claude/`` folder). The zip holds
that folder under the plugin's name, so ``unzip x.zip && claude plugin validate NAME`` checks it.

The rules checked here, from Claude Code's plugins reference (and checked against what
``claude plugin validate`` of Claude Code 2.1 says; where it only warns, the builder refuses):

* ``plugin.json`` is a JSON object, and ``name`` is required: kebab-case (lowercase letters
  and digits in words joined by single hyphens; the validator warns on anything else, which
  the Claude.ai marketplace sync refuses), at most 64 characters; it is the namespace of the
  plugin's commands (``/name:command``).
* ``version``, when given, is a semantic version (``1.0.0``, ``2.1.0-beta.1``), as the
  reference asks (the validator itself lets ``1.0`` pass).
* ``description`` is text; ``author`` is an object whose ``name`` is text.
* Components are Claude Code definitions (a Copilot or OpenCode file is not a plugin component),
  each at its own path: two selected agents with one name would overwrite each other.
* A skill's folder is its name: lowercase letters, digits and hyphens, at most 64 characters.
* Frontmatter parses as strict YAML: the validator fails an agent whose frontmatter does not
  (Claude Code would load it with every field dropped), so the caller writes such files
  rebuilt (``catalog.services.exporting.strict_bytes``).

Pure Python (no Django): callers pass definitions (objects with the model's attribute names)
and the bytes to write for each.
"""

import io
import json
import re
import zipfile
from pathlib import PurePosixPath

from .install import target_path
from .resources import LICENSE, SKILL_RESOURCE

KEBAB = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")
SEMVER = re.compile(
    r"(0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*)(?:-[0-9A-Za-z-]+(?:\.[0-9A-Za-z-]+)*)?(?:\+[0-9A-Za-z-]+(?:\.[0-9A-Za-z-]+)*)?"
)
MAX_NAME = 64
MANIFEST_PATH = ".claude-plugin/plugin.json"


def manifest(name, *, version="", description="", author=""):
    """The ``plugin.json`` mapping for these fields, empty ones left out."""
    data = {"name": name}
    if version:
        data["version"] = version
    if description:
        data["description"] = description
    if author:
        data["author"] = {"name": author}
    return data


def manifest_problems(data):
    """What ``claude plugin validate`` would refuse in the manifest ``data``, one message each."""
    if not isinstance(data, dict):
        return ["plugin.json must be a JSON object."]
    problems = []
    name = data.get("name")
    if not isinstance(name, str) or not name:
        problems.append("The plugin needs a name.")
    elif len(name) > MAX_NAME or not KEBAB.fullmatch(name):
        problems.append(
            f"The name “{name}” must be kebab-case: lowercase letters and digits joined by single hyphens, "
            f"at most {MAX_NAME} characters."
        )
    version = data.get("version")
    if version is not None and not (isinstance(version, str) and SEMVER.fullmatch(version)):
        problems.append(f"The version “{version}” must be a semantic version such as 1.0.0.")
    if "description" in data and not isinstance(data["description"], str):
        problems.append("The description must be text.")
    author = data.get("author")
    if author is not None and not (isinstance(author, dict) and isinstance(author.get("name"), str)):
        problems.append("The author must be an object with a name.")
    return problems


def component_path(definition):
    """Where a Claude Code definition sits in a plugin: its project path without ``.claude/``."""
    return PurePosixPath(*target_path(definition).parts[1:])


def components(definitions):
    """``(paths, problems)``: each definition's path in the plugin, and why any cannot be in it."""
    paths, problems, seen = {}, [], {}
    for definition in definitions:
        key = f"{definition.collection.slug}/{definition.kind}/{definition.slug}"
        if definition.format != "claude-code":
            problems.append(f"{key} is not a Claude Code definition; a plugin holds only Claude Code files.")
            continue
        path = component_path(definition)
        if definition.kind == "skill" and not (len(path.parts[1]) <= MAX_NAME and KEBAB.fullmatch(path.parts[1])):
            problems.append(f"{key}: the skill folder “{path.parts[1]}” must be lowercase letters, digits and hyphens.")
            continue
        if path in seen:
            problems.append(f"{key} and {seen[path]} would both be {path}; choose one.")
            continue
        seen[path] = key
        paths[key] = path
    return paths, problems


def skill_files(definitions, paths, resources):
    """``{plugin path: resource}`` for the skill files and licences among ``resources`` (objects with
    ``collection.slug``, ``path`` and ``kind``) inside the folder of a chosen skill: they keep their
    place beside its SKILL.md. A source's manifests are not the new plugin's, so they stay out."""
    folders = {}
    for definition in definitions:
        key = f"{definition.collection.slug}/{definition.kind}/{definition.slug}"
        if definition.kind == "skill" and key in paths:
            folders[(definition.collection.slug, PurePosixPath(definition.source_path).parent)] = paths[key].parent
    placed = {}
    for resource in resources:
        if resource.kind not in (SKILL_RESOURCE, LICENSE):
            continue
        path = PurePosixPath(resource.path)
        for folder in path.parents:
            target = folders.get((resource.collection.slug, folder))
            if target is not None:
                placed[target / path.relative_to(folder)] = resource
                break
    return placed


def plugin_zip(data, files):
    """The zip of a plugin: ``data`` as its manifest and ``files`` (``{path: bytes}``) beside it,
    all under a folder named after the plugin."""
    root = PurePosixPath(data["name"])
    stream = io.BytesIO()
    with zipfile.ZipFile(stream, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(str(root / MANIFEST_PATH), json.dumps(data, indent=2, ensure_ascii=False) + "\n")
        for path, content in sorted(files.items()):
            archive.writestr(str(root / path), content)
    stream.seek(0)
    return stream
