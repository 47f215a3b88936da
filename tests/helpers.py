"""What several test modules (and the benchmarks) share: paths, seed files, small builders.

Test modules import from here, never from one another, so each one can be read, moved or
run alone. Nothing here imports Django at module level: ``bench/bench_diff.py`` uses the seed
helpers without settings, and the builders that need the ORM import it when called.
"""

import hashlib
import os
import random
import re
import subprocess
import sys
import uuid
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import yaml

from catalog.core.text import repair_mojibake

REPO = Path(__file__).resolve().parents[1]
SHARED = Path(os.environ.get("AGENTDASH_SHARED") or REPO.parent / "shared")  # ./dev test checks it is there
CORPUS = SHARED / "corpus"
SEEDS = SHARED / "seeds"
SAMPLE = REPO / "catalog" / "sample_catalog"
SAMPLE_NAME = "Acme Studio (sample)"  # the collection name ./dev demo imports the sample under
SARIF_SCHEMA = REPO / "tests" / "fixtures" / "sarif" / "sarif-schema-2.1.0.json"


def sarif_errors(log):
    """Every way ``log`` breaks the SARIF 2.1.0 schema (the OASIS file in tests/fixtures/sarif), as messages."""
    import json

    import jsonschema

    schema = json.loads(SARIF_SCHEMA.read_text(encoding="utf-8"))
    validator = jsonschema.Draft4Validator(schema)
    return [f"{'/'.join(map(str, error.absolute_path))}: {error.message}" for error in validator.iter_errors(log)]


# ---------------------------------------------------------------------------
# Seed files, read the simple way (not with the parser the tests check)
# ---------------------------------------------------------------------------


def seed_path(number):
    """The seed file whose name starts with ``number`` ("000" … "004")."""
    (path,) = SEEDS.glob(f"{number}_*.txt")
    return path


def seed_paths():
    """Every seed file, in name order."""
    return sorted(SEEDS.glob("*.txt"))


# A frontmatter block between two "---" lines at the top of the text (blank lines before it
# allowed). Deliberately plain: fixtures must not depend on the frontmatter reader under test.
_FRONTMATTER = re.compile(r"\A\s*^---[ \t]*\r?\n(.*?)^---[ \t]*\r?$\n?", re.DOTALL | re.MULTILINE)


@dataclass(frozen=True)
class SplitFile:
    """A definition file cut at its frontmatter fences; ``body_line`` is the body's first file line."""

    text: str
    frontmatter_text: str | None
    frontmatter: dict
    body: str
    body_line: int


def split_simply(text):
    """Cut ``text`` into frontmatter and body with one regex; YAML that does not load gives its
    ``key: value`` lines as written (several seeds have unquoted ": " in their descriptions)."""
    match = _FRONTMATTER.match(text)
    if match is None:
        return SplitFile(text, None, {}, text, 1)
    yaml_text = match.group(1)
    try:
        frontmatter = yaml.safe_load(yaml_text) or {}
    except yaml.YAMLError:
        frontmatter = dict(re.findall(r"^([\w-]+):[ \t]*(.*)$", yaml_text, re.MULTILINE))
    body_line = text.count("\n", 0, match.end()) + 1
    return SplitFile(text, yaml_text, frontmatter, text[match.end() :], body_line)


def read_seed(number, *, repair=True):
    """Seed ``number`` as a ``SplitFile``, its mojibake repaired first unless ``repair`` is False."""
    text = seed_path(number).read_text(encoding="utf-8")
    if repair:
        text, _ = repair_mojibake(text)
    return split_simply(text)


def seed_side(number):
    """Seed ``number`` as a ``DiffSide``: repaired, split the simple way, its tools as a set."""
    from catalog.core.diffing import DiffSide

    seed = read_seed(number)
    tools = frozenset(t.strip() for t in str(seed.frontmatter.get("tools", "")).split(",") if t.strip())
    return DiffSide(seed_path(number).stem, seed.frontmatter, seed.body, seed.text, tools=tools)


def edited_seed_text(text):
    """A small edit of a seed: a tool added, one word changed in a middle line, a line appended."""
    lines = text.split("\n")
    tools = next(i for i, line in enumerate(lines) if line.startswith("tools:"))
    lines[tools] += ", WebFetch"
    middle = next(
        i
        for i in range(len(lines) // 2, len(lines))
        if len(lines[i].split()) >= 6 and not lines[i].lstrip().startswith(("#", "`", "|", "-", "*"))
    )
    words = lines[middle].split(" ")
    words[-2] = "REWORDED"
    lines[middle] = " ".join(words)
    # Before the empty string a final newline leaves, so the file still ends with one.
    lines.insert(len(lines) - (lines[-1] == ""), "A closing line the edit added.")
    return "\n".join(lines)


# ---------------------------------------------------------------------------
# Pages and their HTMX fragments
# ---------------------------------------------------------------------------

HTMX = {"HX-Request": "true"}  # the test client's headers= for an htmx request


def assert_page(response):
    """A full HTML page that tells caches it differs from its HTMX fragment."""
    assert response.status_code == 200
    assert "HX-Request" in response.headers["Vary"]
    assert b"<html" in response.content


def assert_fragment(response):
    """Only the swapped part: no layout, and the same Vary header."""
    assert response.status_code == 200
    assert "HX-Request" in response.headers["Vary"]
    assert b"<html" not in response.content
    assert b"site-header" not in response.content


# ---------------------------------------------------------------------------
# Definition files written for a test
# ---------------------------------------------------------------------------

# A Claude Code agent that breaks no rule; ``{name}`` is its name.
CLEAN_AGENT = """---
name: {name}
description: Reviews a change before it is merged.
tools: Read, Grep
model: sonnet
---

# {name}

## Workflow
- Read the diff.
"""


# Made-up syllables, so that generated bodies are text of our own, never a third party's.
_SYLLABLES = "ka lo mi ne ru ta vo shi ben dor fal gri hum jex kor lum mor nix pra quo rel sav tor ulm".split()


def made_up_prose(seed, length=220):
    """``length`` words of made-up text, the same for the same ``seed``; different seeds share
    few word runs, so two bodies are near-copies only when a test makes them so."""
    rng = random.Random(seed)
    words = ["".join(rng.choice(_SYLLABLES) for _ in range(rng.randint(2, 4))) for _ in range(2000)]
    return " ".join(rng.choice(words) for _ in range(length))


def write_tree(folder, files):
    """Write ``{relpath: text}`` under ``folder`` (parents created); returns ``folder``."""
    for relpath, text in files.items():
        path = folder / relpath
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    return folder


# ---------------------------------------------------------------------------
# Rows written directly, as the importer would write them
# ---------------------------------------------------------------------------


def make_definition(name, items, *, collection="Fixtures", kind="agent", model="sonnet", tools=(), missing=False):
    """A definition with the given ``(field, text)`` items, indexed as the importer would."""
    from catalog import search
    from catalog.models import DefinitionTool, Item, Tool

    slug = re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-")
    definition = add_definition(
        name, slug=slug, kind=kind, collection=collection, missing=missing, raw=name.encode(), model=model
    )
    Item.objects.bulk_create(
        Item(definition=definition, field=field, section="Section", text=text, position=n)
        for n, (field, text) in enumerate(items)
    )
    for position, tool in enumerate(tools):
        DefinitionTool.objects.create(
            definition=definition, tool=Tool.objects.get_or_create(name=tool)[0], raw=tool, position=position
        )
    search.index_definitions([definition.pk])
    return definition


def add_definition(
    name, *, slug=None, kind="agent", description="", collection="Fixtures", missing=False, raw=None, **fields
):
    """A bare definition row named ``name``, as the importer would leave it (the quick-find
    indexes follow by themselves: triggers on SQLite, a generated column on PostgreSQL);
    ``fields`` sets any other column."""
    from django.utils import timezone

    from catalog.models import Collection, Definition

    coll, _ = Collection.objects.get_or_create(name=collection, defaults={"slug": collection.lower()})
    slug = slug or name.lower().replace(" ", "-")
    raw = f"{collection}/{kind}/{slug}".encode() if raw is None else raw
    return Definition.objects.create(
        collection=coll,
        kind=kind,
        format="claude-code",
        slug=slug,
        name=name,
        description=description,
        source_path=f"agents/{slug}.md",
        raw=raw,
        sha256=hashlib.sha256(raw).hexdigest(),
        imported_at=timezone.now(),
        missing=missing,
        **fields,
    )


# ---------------------------------------------------------------------------
# manage.py in a process of its own, on a database of its own
# ---------------------------------------------------------------------------


def on_postgres():
    """True when the suite runs on PostgreSQL."""
    from django.conf import settings

    return settings.DATABASES["default"]["ENGINE"].endswith("postgresql")


def env_for(url):
    return {**os.environ, "DATABASE_URL": url, "DJANGO_SETTINGS_MODULE": "agentdash.settings"}


def manage(url, *args, check=True, code=REPO):
    """Run ``manage.py`` with ``args`` against the database at ``url``; returns the finished process.

    ``code`` is the tree whose ``manage.py`` runs (``code_at`` gives an earlier commit's).
    """
    return subprocess.run(
        [sys.executable, "manage.py", *args], cwd=code, env=env_for(url), capture_output=True, text=True, check=check
    )


# The last commit before 0007_collection_sources: its importer writes catalogs as they were.
BEFORE_SOURCES = "b5ffe4c54f9f607193e599c077806dbbddbafc5a"


def code_at(commit, folder):
    """The repository's files at ``commit``, written under ``folder`` (``git archive``); returns it.

    A migration test imports with the code of its time, which writes the schema of its time.
    """
    folder.mkdir(parents=True, exist_ok=True)
    archive = subprocess.run(["git", "archive", commit], cwd=REPO, capture_output=True, check=True).stdout
    subprocess.run(["tar", "-x", "-C", str(folder)], input=archive, check=True)
    return folder


@contextmanager
def scratch_database(tmp_path, *migrate_to):
    """Yield (DATABASE_URL, query) for an empty, migrated database that only this test uses.

    ``migrate_to`` (an app label and migration name) stops the migrations there.
    """
    if on_postgres():
        import psycopg
        from django.conf import settings

        base = settings.DATABASES["default"]
        name = f"agentdash_fault_{uuid.uuid4().hex[:10]}"
        admin = dict(host=base["HOST"], port=base["PORT"] or 5432, user=base["USER"], password=base["PASSWORD"])
        with psycopg.connect(dbname="postgres", autocommit=True, **admin) as conn:
            conn.execute(f'CREATE DATABASE "{name}"')
        url = f"postgres://{base['USER']}:{base['PASSWORD']}@{base['HOST']}:{admin['port']}/{name}"

        def query(sql):
            with psycopg.connect(dbname=name, **admin) as conn:
                cursor = conn.execute(sql)
                return cursor.fetchall() if cursor.description else []  # an UPDATE has no rows

        try:
            manage(url, "migrate", "--noinput", *migrate_to)
            yield url, query
        finally:
            with psycopg.connect(dbname="postgres", autocommit=True, **admin) as conn:
                conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    else:
        import sqlite3

        path = tmp_path / "faults.sqlite3"
        url = f"sqlite:///{path}"

        def query(sql):
            conn = sqlite3.connect(path, timeout=30)
            try:
                rows = conn.execute(sql).fetchall()
                conn.commit()
                return rows
            finally:
                conn.close()

        manage(url, "migrate", "--noinput", *migrate_to)
        yield url, query


# ---------------------------------------------------------------------------
# Git repositories made in a test
# ---------------------------------------------------------------------------


def hermetic_git_env(monkeypatch, home):
    """No user or system git configuration (signing, hooks, default branch) reaches a test."""
    monkeypatch.setenv("GIT_CONFIG_GLOBAL", os.devnull)
    monkeypatch.setenv("GIT_CONFIG_NOSYSTEM", "1")
    monkeypatch.setenv("HOME", str(home))
    for name in ("GIT_CONFIG_COUNT", "GIT_DIR", "GIT_WORK_TREE"):
        monkeypatch.delenv(name, raising=False)


class Upstream:
    """A repository to clone from, with commits at fixed dates."""

    def __init__(self, path):
        self.path = path
        path.mkdir(parents=True)
        self.git("init", "--quiet", "--initial-branch=main")
        self.git("config", "user.name", "Upstream Author")
        self.git("config", "user.email", "author@example.org")
        # Lets file:// clones be real partial (blobless) clones, as GitHub and GitLab serve them.
        self.git("config", "uploadpack.allowFilter", "true")

    @property
    def url(self):
        return self.path.as_uri()

    def git(self, *args, date=None, check=True):
        env = {name: value for name, value in os.environ.items() if name != "GIT_DIR"}
        if date:
            env.update(GIT_AUTHOR_DATE=date, GIT_COMMITTER_DATE=date)
        result = subprocess.run(["git", *args], cwd=self.path, env=env, capture_output=True, text=True, check=check)
        return result.stdout.strip()

    def commit(self, date, files, message="change"):
        """Write (text) or delete (None) files, commit at ``date``; return the commit id."""
        for relpath, text in files.items():
            target = self.path / relpath
            if text is None:
                self.git("rm", "--quiet", "--", relpath)
            else:
                target.parent.mkdir(parents=True, exist_ok=True)
                target.write_text(text, encoding="utf-8")
                self.git("add", "--", relpath)
        self.git("commit", "--quiet", "--allow-empty", "-m", message, date=date)
        return self.git("rev-parse", "HEAD")
