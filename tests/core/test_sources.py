"""Git sources (catalog.core.sources): URL parsing and redaction, forge links, checkout folders,
and clone / update / last-change dates against real repositories made here with ``git``.

No database. Every repository is built in the test's own folder, with fixed commit dates, and
fetched by ``file://`` URL (or over a local dumb-HTTP server for credentials).
"""

import base64
import dataclasses
import http.server
import re
import socket
import subprocess
import threading
from datetime import UTC, datetime
from functools import partial

import pytest

from catalog.core import sources
from catalog.core.sources import (
    GitSource,
    SourceError,
    checkout_dirname,
    clone,
    fetch_source,
    file_url,
    head_commit,
    history_url,
    last_changes,
    looks_like_git_url,
    origin_url,
    parse_source,
    redact_url,
    repository_url,
    update,
)
from tests.helpers import Upstream, hermetic_git_env

TOKEN = "ghp_Zq8SECRETtoken1234567890"  # noqa: S105  # a made-up token that must never be shown


@pytest.fixture(autouse=True)
def hermetic_git(monkeypatch, tmp_path):
    hermetic_git_env(monkeypatch, tmp_path)


# ---------------------------------------------------------------------------
# Parsing what a user types
# ---------------------------------------------------------------------------

GH = ("github.com", "github", "o", "r")  # host, forge, owner, repo of github.com/o/r
PARSED = [
    # text, --ref, then what it reads as: url, ref, host, forge, owner, repo
    ("https://github.com/o/r", None, ("https://github.com/o/r", "", *GH)),
    ("https://github.com/o/r.git", None, ("https://github.com/o/r.git", "", *GH)),
    ("https://github.com/o/r@v1.2", None, ("https://github.com/o/r", "v1.2", *GH)),
    ("https://github.com/o/r.git@main", None, ("https://github.com/o/r.git", "main", *GH)),
    (f"https://x-access-token:{TOKEN}@github.com/o/r.git@feat/x", None, ("https://github.com/o/r.git", "feat/x", *GH)),
    (f"https://{TOKEN}@github.com/o/r", None, ("https://github.com/o/r", "", *GH)),
    ("  https://github.com/o/r  ", "dev", ("https://github.com/o/r", "dev", *GH)),
    ("https://github.com/o/r@dev", "dev", ("https://github.com/o/r", "dev", *GH)),
    ("git@github.com:o/r.git", None, ("git@github.com:o/r.git", "", *GH)),
    ("git@github.com:o/r.git@v2", None, ("git@github.com:o/r.git", "v2", *GH)),
    (
        "HTTPS://GitHub.COM/Owner/Repo/",
        None,
        ("https://github.com/Owner/Repo", "", "github.com", "github", "Owner", "Repo"),
    ),
    (
        "git@gitlab.com:g/sub/deeper/r.git",
        None,
        ("git@gitlab.com:g/sub/deeper/r.git", "", "gitlab.com", "gitlab", "g/sub/deeper", "r"),
    ),
    (
        "https://gitlab.com/group/sub/project@release/1.0",
        None,
        ("https://gitlab.com/group/sub/project", "release/1.0", "gitlab.com", "gitlab", "group/sub", "project"),
    ),
    (
        "ssh://git@codeberg.org/o/r.git",
        None,
        ("ssh://git@codeberg.org/o/r.git", "", "codeberg.org", "codeberg", "o", "r"),
    ),
    (
        "ssh://git:hunter2@example.org:2222/srv/r.git@abc1234",
        None,
        ("ssh://git@example.org:2222/srv/r.git", "abc1234", "example.org", None, "srv", "r"),
    ),
    (
        "http://gitea.local:3000/team/agents",
        None,
        ("http://gitea.local:3000/team/agents", "", "gitea.local", None, "team", "agents"),
    ),
    ("https://[::1]:8443/o/r.git", None, ("https://[::1]:8443/o/r.git", "", "::1", None, "o", "r")),
    ("git://example.org/r", None, ("git://example.org/r", "", "example.org", None, "", "r")),
    ("file:///srv/agents/repo", None, ("file:///srv/agents/repo", "", "", None, "", "repo")),
    ("file:///srv/a%40b/repo.git@main", None, ("file:///srv/a%40b/repo.git", "main", "", None, "", "repo")),
    ("file://localhost/srv/repo/", None, ("file:///srv/repo", "", "", None, "", "repo")),
]


@pytest.mark.parametrize(("text", "ref", "expected"), PARSED)
def test_parse_source(text, ref, expected):
    """Each form a user types gives the redacted URL, the ref (from @REF or --ref), forge and owner/repo."""
    source = parse_source(text, ref=ref)
    assert (source.url, source.ref, source.host, source.forge, source.owner, source.repo) == expected
    assert TOKEN not in source.url and "hunter2" not in source.url
    assert parse_source(str(source)) == source  # the stored form reads back as the same source
    assert looks_like_git_url(text)


def test_credentials_are_kept_apart_and_usable():
    """A token typed into the URL stays usable (header, clone_url) but is no part of the stored URL."""
    source = parse_source(f"https://x-access-token:{TOKEN}@github.com/o/r.git@main")
    assert source.credentials is not None
    assert source.clone_url == f"https://x-access-token:{TOKEN}@github.com/o/r.git"
    expected = base64.b64encode(f"x-access-token:{TOKEN}".encode()).decode()
    assert source.credentials.authorization() == f"Basic {expected}"
    assert source == parse_source("https://github.com/o/r.git@main")  # credentials are not identity
    assert parse_source("ssh://git:hunter2@example.org/r").credentials is None  # ssh takes keys, never a password


def test_a_token_appears_in_no_str_or_repr():
    """str, repr, format, asdict and the credentials' own str/repr never show the token."""
    source = parse_source(f"https://me:{TOKEN}@gitlab.com/g/sub/r@v1")
    shown = [
        str(source),
        repr(source),
        f"{source}",
        f"{source!r}",
        str(source.credentials),
        repr(source.credentials),
        repr(dataclasses.asdict(source)),
        source.key,
        checkout_dirname(source),
    ]
    for text in shown:
        assert TOKEN not in text
        assert "me:" not in text


@pytest.mark.parametrize(
    ("text", "ref", "message"),
    [
        ("", None, "No git URL given"),
        ("   ", None, "No git URL given"),
        ("github.com/o/r", None, "is not a git URL: give https://host/owner/repo"),
        ("/srv/agents", None, "is not a git URL"),
        ("ftp://example.org/r", None, "is not a git URL AgentDash fetches"),
        ("https://", None, "names no valid host"),
        ("https:///o/r", None, "names no valid host"),
        ("https://evil_host/o/r", None, "names no valid host"),
        ("https://github.com/", None, "names no repository"),
        ("https://github.com/o", None, "names an owner, not a repository"),
        ("https://gitlab.com/group", None, "names a group, not a repository"),
        ("https://github.com/o/r/tree/main/agents", None, "give https://github.com/o/r@main."),
        ("https://gitlab.com/g/sub/r/-/tree/v1", None, "give https://gitlab.com/g/sub/r@v1."),
        ("https://codeberg.org/o/r/src/branch/dev", None, "give https://codeberg.org/o/r@dev."),
        ("https://github.com/o/r/issues", None, "give https://github.com/o/r (with @REF"),
        ("https://example.org/../r", None, "holds '.' or '..'"),
        ("https://example.org/o/r@", None, "is not a branch, tag or commit name"),
        ("https://example.org/o/r@-n", None, "is not a branch, tag or commit name"),
        ("https://example.org/o/r@a..b", None, "is not a branch, tag or commit name"),
        ("https://example.org/o/r@topic.lock", None, "is not a branch, tag or commit name"),
        ("https://example.org/o/r@x^{tree}", None, "is not a branch, tag or commit name"),
        ("https://example.org/o/r", "--upload-pack=touch /tmp/x", "is not a branch"),
        ("https://example.org/o/r", "", "An empty ref"),
        ("https://github.com/o/r@v1", "v2", "two refs, 'v1' in the URL and 'v2' apart"),
        (f"https://u:{TOKEN}@example.org/o/r?private_token={TOKEN}", None, "'?query' or '#fragment'"),
        ("https://example.org/o/r#readme", None, "'?query' or '#fragment'"),
        ("https://example.org/o r", None, "holds spaces or control characters"),
        ("https://example.org/o\x00/r", None, "holds spaces or control characters"),
        (f"https://u:{TOKEN}@example.org:port/o/r", None, "its port is not a number"),
        (f"https://u:{TOKEN[:5]}/{TOKEN[5:]}@example.org:x/o/r", None, "its port is not a number"),
        ("file://relative/path", None, "write file:///absolute/path"),
        ("file:///", None, "names no repository folder"),
        ("https://example.org/" + "a" * 3000, None, "longer than 2,048 characters"),
    ],
)
def test_unusable_input_is_one_clear_line_without_credentials(text, ref, message):
    with pytest.raises(SourceError) as caught:
        parse_source(text, ref=ref)
    said = str(caught.value)
    assert message in said
    assert "\n" not in said
    assert TOKEN not in said and TOKEN[:5] not in said and TOKEN[5:] not in said


def test_paths_are_not_urls():
    """The import command tells a folder from a URL: only a scheme or user@host: makes a URL."""
    for path in ("agents", "./repo", "/srv/agents", "C:\\agents", "name:with-colon", "../shared/corpus"):
        assert not looks_like_git_url(path)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (f"https://me:{TOKEN}@example.org/o/r.git", "https://example.org/o/r.git"),
        (f"https://{TOKEN}@example.org/o/r", "https://example.org/o/r"),
        ("ssh://git:hunter2@example.org/r", "ssh://git@example.org/r"),
        ("git:hunter2@example.org:r.git", "git@example.org:r.git"),
        ("git@github.com:o/r.git", "git@github.com:o/r.git"),
        ("https://example.org/o/r", "https://example.org/o/r"),
    ],
)
def test_redact_url(text, expected):
    """Origins read from a checkout or manifest lose their credentials too, whatever their form."""
    assert redact_url(text) == expected


# ---------------------------------------------------------------------------
# Forge links
# ---------------------------------------------------------------------------

SHA = "0123456789abcdef0123456789abcdef01234567"


@pytest.mark.parametrize(
    ("text", "home", "blob", "history"),
    [
        (
            "https://github.com/o/r.git",
            "https://github.com/o/r",
            f"https://github.com/o/r/blob/{SHA}/agents/reviewer.md",
            f"https://github.com/o/r/commits/{SHA}/agents/reviewer.md",
        ),
        (
            "git@github.com:o/r.git@main",
            "https://github.com/o/r",
            f"https://github.com/o/r/blob/{SHA}/agents/reviewer.md",
            f"https://github.com/o/r/commits/{SHA}/agents/reviewer.md",
        ),
        (
            "https://gitlab.com/g/sub/r",
            "https://gitlab.com/g/sub/r",
            f"https://gitlab.com/g/sub/r/-/blob/{SHA}/agents/reviewer.md",
            f"https://gitlab.com/g/sub/r/-/commits/{SHA}/agents/reviewer.md",
        ),
        (
            "ssh://git@codeberg.org/o/r.git",
            "https://codeberg.org/o/r",
            f"https://codeberg.org/o/r/src/commit/{SHA}/agents/reviewer.md",
            f"https://codeberg.org/o/r/commits/commit/{SHA}/agents/reviewer.md",
        ),
        ("https://gitea.example.org/o/r", None, None, None),
        ("file:///srv/o/r", None, None, None),
    ],
)
def test_forge_links(text, home, blob, history):
    source = parse_source(f"https://me:{TOKEN}@{text[8:]}" if text.startswith("https://") else text)
    assert repository_url(source) == home
    assert file_url(source, SHA, "agents/reviewer.md") == blob
    assert history_url(source, SHA, "agents/reviewer.md") == history
    for link in (home, blob, history):
        assert link is None or TOKEN not in link


def test_forge_links_quote_paths_and_refuse_what_cannot_be_linked():
    source = parse_source("https://github.com/o/r")
    assert file_url(source, SHA, "skills/my skill/SKILL#1.md") == (
        f"https://github.com/o/r/blob/{SHA}/skills/my%20skill/SKILL%231.md"
    )
    assert file_url(source, "", "agents/a.md") is None  # commit unknown
    assert file_url(source, "main", "agents/a.md") is None  # a branch moves: only commits are linked
    for path in ("", "../secrets", "/etc/passwd", "agents//a.md", "agents\\a.md"):
        assert file_url(source, SHA, path) is None


# ---------------------------------------------------------------------------
# Where a checkout lives
# ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "https://github.com/o/r",
        "https://example.org/../../etc/passwd@main",  # refused by parsing; see below
        "https://example.org/a/.../..../r",
        "file:///../../etc",
        "file:///srv/%2e%2e/%2F/x",
        "https://example.org/%2e%2e%2f%2e%2e/r",
        "git@example.org:/../../r",
        "https://example.org/o/r@release/../../x",
        "https://example.org/Ünïcødé/répo",
        "https://example.org/" + "/".join(["deep"] * 60) + "/r",
        "https://example.org/o/.hidden@.x",
    ],
)
def test_checkout_folder_is_one_safe_component(tmp_path, text):
    """Whatever the URL, the folder name is one plain component inside the sources folder."""
    try:
        source = parse_source(text)
    except SourceError:
        source = GitSource(url="x", host="example.org", owner="../../..", repo="../../etc", key=text, ref="../x")
    name = checkout_dirname(source)
    assert re.fullmatch(r"[a-z0-9][a-z0-9._-]*", name), name
    assert len(name) <= 80
    assert (tmp_path / name).resolve().parent == tmp_path.resolve()


def test_checkout_folder_follows_identity_and_ref():
    """One repository spelt three ways shares a folder; another ref or repository gets its own."""
    same = {
        checkout_dirname(parse_source(text))
        for text in (
            "https://github.com/Owner/Repo",
            "git@github.com:owner/repo.git",
            f"https://u:{TOKEN}@github.com/owner/repo.git/",
        )
    }
    assert len(same) == 1
    assert same.pop().startswith("github.com-owner-repo-")
    assert checkout_dirname(parse_source("https://github.com/o/r@v1")) != checkout_dirname(
        parse_source("https://github.com/o/r@v2")
    )
    assert checkout_dirname(parse_source("https://github.com/o/r")) != checkout_dirname(
        parse_source("https://gitlab.com/o/r")
    )


# ---------------------------------------------------------------------------
# Real repositories
# ---------------------------------------------------------------------------


def _when(text):
    return datetime.fromisoformat(text)


@pytest.fixture
def upstream(tmp_path):
    """main: three commits in 2021; tag v1.0 on the first; branch 'feature' with its own file."""
    repo = Upstream(tmp_path / "upstream")
    repo.first = repo.commit(
        "2021-01-10T09:00:00+00:00",
        {"agents/reviewer.md": "# Reviewer\n", "agents/planner.md": "# Planner\n", "README.md": "Agents.\n"},
        "first",
    )
    repo.git("tag", "-a", "v1.0", "-m", "release 1.0", date="2021-01-10T09:00:00+00:00")
    repo.second = repo.commit("2021-02-20T10:30:00+01:00", {"agents/reviewer.md": "# Reviewer\n\nMore.\n"})
    repo.git("branch", "feature")
    repo.git("checkout", "--quiet", "feature")
    repo.feature = repo.commit("2021-03-01T00:00:00+00:00", {"agents/feature-only.md": "# F\n"})
    repo.git("checkout", "--quiet", "main")
    repo.third = repo.commit("2021-04-05T12:00:00+00:00", {"skills/my skill/SKILL.md": "# Skill\n"})
    return repo


def _files(folder):
    return sorted(p.relative_to(folder).as_posix() for p in folder.rglob("*") if p.is_file() and ".git" not in p.parts)


def _leftovers(parent, *keep):
    return sorted(p.name for p in parent.iterdir() if p.name not in keep)


@pytest.mark.parametrize(
    ("ref", "commit", "has_feature_file"),
    [("", "third", False), ("feature", "feature", True), ("v1.0", "first", False), ("FULL", "second", False),
     ("SHORT", "first", False)],
)
def test_clone_at_a_ref(upstream, tmp_path, ref, commit, has_feature_file):
    """A branch, a tag, a full or abbreviated commit id, or nothing (the default branch)."""
    wanted = getattr(upstream, commit)
    ref = {"FULL": wanted, "SHORT": wanted[:10]}.get(ref, ref)
    source = parse_source(upstream.url, ref=ref or None)
    dest = tmp_path / "sources" / checkout_dirname(source)
    assert clone(source, dest) == wanted
    assert head_commit(dest) == wanted
    assert ("agents/feature-only.md" in _files(dest)) is has_feature_file
    assert origin_url(dest) == upstream.url
    assert _leftovers(dest.parent) == [dest.name]


def test_blobless_clone_has_the_history_but_not_old_file_contents(upstream, tmp_path):
    """The default clone takes every commit and tree, and only the checked-out commit's blobs."""
    dest = tmp_path / "checkout"
    clone(parse_source(upstream.url), dest)
    check = partial(subprocess.run, cwd=dest, capture_output=True, text=True, check=True)
    assert check(["git", "rev-list", "--count", "HEAD"]).stdout.strip() == "3"
    missing = check(["git", "rev-list", "--objects", "--all", "--missing=print"]).stdout.split()
    assert any(line.startswith("?") for line in missing)  # the first version of reviewer.md stayed upstream
    assert (dest / "agents/reviewer.md").read_text() == "# Reviewer\n\nMore.\n"


def test_update_after_an_edit_an_addition_and_a_deletion(upstream, tmp_path):
    """A second fetch reports the new HEAD and the previous one; the files follow upstream."""
    source = parse_source(upstream.url)
    sources_dir = tmp_path / "sources"
    first = fetch_source(source, sources_dir)
    assert (first.commit, first.previous, first.shallow) == (upstream.third, "", False)
    new = upstream.commit(
        "2022-06-01T08:00:00+00:00",
        {"agents/reviewer.md": "# Reviewer\n\nEdited.\n", "agents/tester.md": "# Tester\n", "agents/planner.md": None},
    )
    second = fetch_source(source, sources_dir)
    assert second.path == first.path
    assert (second.commit, second.previous) == (new, upstream.third)
    assert _files(second.path) == ["README.md", "agents/reviewer.md", "agents/tester.md", "skills/my skill/SKILL.md"]
    assert (second.path / "agents/reviewer.md").read_text() == "# Reviewer\n\nEdited.\n"
    assert fetch_source(source, sources_dir).commit == new  # nothing new: same commit, nothing changed


def test_update_of_a_shallow_clone_stays_shallow(upstream, tmp_path):
    source = parse_source(upstream.url)
    first = fetch_source(source, tmp_path / "sources", shallow=True)
    assert first.shallow
    new = upstream.commit("2022-06-01T08:00:00+00:00", {"agents/tester.md": "# Tester\n"})
    second = fetch_source(source, tmp_path / "sources")
    assert (second.commit, second.previous, second.shallow) == (new, upstream.third, True)
    assert "agents/tester.md" in _files(second.path)


def test_update_follows_a_moved_tag(upstream, tmp_path):
    source = parse_source(upstream.url + "@v1.0")
    checkout = fetch_source(source, tmp_path / "sources")
    assert checkout.commit == upstream.first
    upstream.git("tag", "--force", "-a", "v1.0", "-m", "re-released", upstream.second)
    assert fetch_source(source, tmp_path / "sources").commit == upstream.second


# ---------------------------------------------------------------------------
# Last-change dates
# ---------------------------------------------------------------------------


def test_last_changes_from_one_git_log(upstream, tmp_path, monkeypatch):
    """Every tracked file gets the date of the commit that last changed it, from one git log."""
    many = {f"agents/generated-{n:02}.md": f"# Agent {n}\n" for n in range(40)}
    many_commit = upstream.commit("2021-05-01T00:00:00-05:00", many)
    dest = tmp_path / "checkout"
    clone(parse_source(upstream.url), dest)

    started = []
    real_popen = subprocess.Popen

    def counting_popen(args, *rest, **kwargs):
        started.append(args[1])  # the git subcommand
        return real_popen(args, *rest, **kwargs)

    monkeypatch.setattr(sources.git.subprocess, "Popen", counting_popen)
    changes = last_changes(dest)
    assert started.count("log") == 1
    assert len(started) == 2  # ls-files and log, whatever the number of files

    assert set(changes) == set(_files(dest))
    assert changes["README.md"].date == _when("2021-01-10T09:00:00+00:00")
    assert changes["agents/planner.md"].commit == upstream.first
    assert changes["agents/reviewer.md"].date == _when("2021-02-20T10:30:00+01:00")
    assert changes["agents/reviewer.md"].commit == upstream.second
    assert changes["skills/my skill/SKILL.md"].date == _when("2021-04-05T12:00:00+00:00")
    assert changes["agents/generated-07.md"].commit == many_commit
    assert changes["agents/generated-07.md"].date.astimezone(UTC) == datetime(2021, 5, 1, 5, tzinfo=UTC)
    assert all(change.exact for change in changes.values())


def test_last_changes_of_chosen_paths_and_after_an_update(upstream, tmp_path):
    source = parse_source(upstream.url)
    checkout = fetch_source(source, tmp_path / "sources")
    upstream.commit("2023-03-03T03:03:03+00:00", {"agents/planner.md": "# Planner v2\n", "agents/new.md": "# New\n"})
    fetch_source(source, tmp_path / "sources")
    changes = last_changes(checkout.path, ["agents/planner.md", "agents/new.md", "README.md", "not/tracked.md"])
    assert set(changes) == {"agents/planner.md", "agents/new.md", "README.md"}
    assert changes["agents/planner.md"].date == changes["agents/new.md"].date == _when("2023-03-03T03:03:03+00:00")
    assert changes["README.md"].date == _when("2021-01-10T09:00:00+00:00")


def test_a_merged_change_dates_from_the_merge(upstream, tmp_path):
    """A file changed on a branch last changed upstream when the branch was merged into main."""
    upstream.git("merge", "--quiet", "--no-ff", "-m", "merge feature", "feature", date="2021-09-09T09:09:09+00:00")
    merge = upstream.git("rev-parse", "HEAD")
    dest = tmp_path / "checkout"
    clone(parse_source(upstream.url), dest)
    change = last_changes(dest, ["agents/feature-only.md"])["agents/feature-only.md"]
    assert (change.commit, change.date) == (merge, _when("2021-09-09T09:09:09+00:00"))


def test_a_shallow_clone_dates_old_files_at_its_boundary(upstream, tmp_path):
    """Measured on the same repository: blobless gives every file its own date; depth 1 gives
    every file the boundary commit's date, flagged as not exact."""
    blobless, shallow = tmp_path / "blobless", tmp_path / "shallow"
    clone(parse_source(upstream.url), blobless)
    clone(parse_source(upstream.url), shallow, shallow=True)
    full, cut = last_changes(blobless), last_changes(shallow)
    assert set(full) == set(cut)
    assert len({change.date for change in full.values()}) == 3  # README/planner, reviewer, skill
    assert {change.commit for change in cut.values()} == {upstream.third}
    assert not any(change.exact for change in cut.values())
    assert full["skills/my skill/SKILL.md"].date == cut["skills/my skill/SKILL.md"].date  # the boundary's own file


# ---------------------------------------------------------------------------
# Failures: one clear line, nothing half-written
# ---------------------------------------------------------------------------


def _one_line(error, *fragments):
    said = str(error.value)
    assert "\n" not in said
    for fragment in fragments:
        assert fragment in said, said
    return said


def test_a_bad_ref_leaves_no_checkout(upstream, tmp_path):
    for ref in ("no-such-branch", "deadbeef12345"):
        source = parse_source(f"{upstream.url}@{ref}")
        dest = tmp_path / "sources" / checkout_dirname(source)
        with pytest.raises(SourceError) as caught:
            clone(source, dest)
        _one_line(caught, f"Cannot clone {upstream.url}@{ref}: it has no branch, tag or commit '{ref}'.")
        assert caught.value.url == f"{upstream.url}@{ref}"
        assert _leftovers(tmp_path / "sources") == []


def test_a_missing_repository_leaves_no_checkout(tmp_path):
    url = (tmp_path / "nowhere" / "repo").as_uri()
    with pytest.raises(SourceError) as caught:
        fetch_source(parse_source(url), tmp_path / "sources")
    _one_line(caught, f"Cannot clone {url}: no repository is there.")
    assert _leftovers(tmp_path / "sources") == []


def test_git_missing_from_path(upstream, tmp_path, monkeypatch):
    source = parse_source(upstream.url)
    existing = fetch_source(source, tmp_path / "kept")
    empty = tmp_path / "empty-bin"
    empty.mkdir()
    monkeypatch.setenv("PATH", str(empty))
    with pytest.raises(SourceError) as caught:
        fetch_source(source, tmp_path / "sources")
    _one_line(caught, f"Cannot clone {upstream.url}: the git command is not installed (no 'git' on PATH).")
    assert not (tmp_path / "sources").exists()
    with pytest.raises(SourceError) as caught:
        update(source, existing.path)
    _one_line(caught, "Cannot update", "not installed", "the previous checkout is kept")
    with pytest.raises(SourceError):
        last_changes(existing.path)


def test_a_failed_update_keeps_the_previous_checkout(upstream, tmp_path):
    source = parse_source(upstream.url)
    checkout = fetch_source(source, tmp_path / "sources")
    before = {path: (checkout.path / path).read_bytes() for path in _files(checkout.path)}
    upstream.commit("2022-01-01T00:00:00+00:00", {"agents/reviewer.md": "# Changed upstream\n"})

    with pytest.raises(SourceError) as caught:
        update(parse_source(upstream.url, ref="no-such-branch"), checkout.path)
    _one_line(caught, "Cannot update", "no branch, tag or commit 'no-such-branch'", "the previous checkout is kept.")

    upstream.path.rename(tmp_path / "moved-away")
    with pytest.raises(SourceError) as caught:
        fetch_source(source, tmp_path / "sources")
    _one_line(caught, f"Cannot update {upstream.url}: no repository is there; the previous checkout is kept.")

    assert head_commit(checkout.path) == upstream.third
    assert {path: (checkout.path / path).read_bytes() for path in _files(checkout.path)} == before
    assert _leftovers(tmp_path / "sources") == [checkout.path.name]


def test_a_folder_that_is_no_checkout_never_touches_the_repository_around_it(upstream, tmp_path, monkeypatch):
    """The sources folder may sit inside another repository (AgentDash's own): git must not
    climb out of a broken checkout, nor follow a GIT_DIR left in the environment."""
    outer = Upstream(tmp_path / "outer")
    outer.commit("2020-01-01T00:00:00+00:00", {"README.md": "Outer.\n"})
    source = parse_source(upstream.url)
    broken = outer.path / "var" / "sources" / checkout_dirname(source)
    broken.mkdir(parents=True)
    (broken / "agents").mkdir()
    with pytest.raises(SourceError) as caught:
        update(source, broken)
    _one_line(caught, f"Cannot update {upstream.url}: its folder {broken.name} is not a git checkout")
    with pytest.raises(SourceError) as caught:
        fetch_source(source, broken.parent)
    _one_line(caught, "is not a git checkout (delete it to clone afresh); the previous checkout is kept.")
    with pytest.raises(SourceError):
        head_commit(broken)
    monkeypatch.setenv("GIT_DIR", str(outer.path / ".git"))
    checkout = fetch_source(source, outer.path / "var" / "other")
    assert head_commit(checkout.path) == upstream.third
    assert last_changes(checkout.path, ["README.md"])["README.md"].commit == upstream.first
    assert outer.git("config", "--get-regexp", "^remote\\.", check=False) == ""


def test_an_unknown_host(tmp_path):
    """``.invalid`` never resolves (RFC 6761)."""
    with pytest.raises(SourceError) as caught:
        fetch_source(parse_source("https://agents.invalid/o/r@main"), tmp_path / "sources", timeout=60)
    _one_line(caught, "Cannot clone https://agents.invalid/o/r@main: the host agents.invalid is unknown.")
    assert _leftovers(tmp_path / "sources") == []


def test_a_silent_server_times_out_and_leaves_nothing(tmp_path):
    """A server that accepts and never answers: git is stopped after the timeout, not waited for."""
    with socket.socket() as listener:
        listener.bind(("127.0.0.1", 0))
        listener.listen(8)
        url = f"http://127.0.0.1:{listener.getsockname()[1]}/o/r.git"
        with pytest.raises(SourceError) as caught:
            fetch_source(parse_source(url), tmp_path / "sources", timeout=2)
    _one_line(caught, f"Cannot clone {url}: git did not finish within 2 s.")
    assert _leftovers(tmp_path / "sources") == []


# ---------------------------------------------------------------------------
# Credentials over http: git gets them in a header, never in a URL
# ---------------------------------------------------------------------------


class _AuthHandler(http.server.SimpleHTTPRequestHandler):
    """Serves a bare repository by git's dumb HTTP protocol, to requests with the right password."""

    expected = ""
    seen: list

    def do_GET(self):  # noqa: N802 (http.server's name)
        self.seen.append(self.headers.get("Authorization", ""))
        if self.headers.get("Authorization") != self.expected:
            self.send_response(401)
            self.send_header("WWW-Authenticate", 'Basic realm="agents"')
            self.end_headers()
            return
        super().do_GET()

    def log_message(self, *args):
        pass


@pytest.fixture
def http_upstream(upstream, tmp_path):
    bare = tmp_path / "served" / "agents.git"
    subprocess.run(["git", "clone", "--quiet", "--bare", str(upstream.path), str(bare)], check=True)
    subprocess.run(["git", "update-server-info"], cwd=bare, check=True)
    seen = []
    handler = type(
        "Handler",
        (_AuthHandler,),
        {"expected": "Basic " + base64.b64encode(f"bot:{TOKEN}".encode()).decode(), "seen": seen},
    )
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), partial(handler, directory=str(bare.parent)))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"127.0.0.1:{server.server_address[1]}/agents.git", seen
    server.shutdown()
    server.server_close()
    thread.join()


def test_credentials_reach_the_server_and_nothing_else(http_upstream, upstream, tmp_path):
    """The clone authenticates, and the token is in no file of the checkout, no origin and no name."""
    address, seen = http_upstream
    source = parse_source(f"http://bot:{TOKEN}@{address}", ref="main")
    checkout = fetch_source(source, tmp_path / "sources", shallow=True)  # dumb http refuses depth: plain clone
    assert checkout.commit == upstream.third
    assert not checkout.shallow
    assert seen and all(header.startswith("Basic ") for header in seen)
    assert origin_url(checkout.path) == f"http://{address}"
    for path in checkout.path.rglob("*"):
        if path.is_file():
            assert TOKEN.encode() not in path.read_bytes(), path
    assert TOKEN not in checkout.path.name


def test_wrong_credentials_are_one_line_without_the_token(http_upstream, tmp_path):
    address, _ = http_upstream
    wrong = f"{TOKEN[:-4]}XXXX"
    with pytest.raises(SourceError) as caught:
        fetch_source(parse_source(f"https://bot:{wrong}@{address}"), tmp_path / "sources", timeout=30)
    with pytest.raises(SourceError) as plain:
        fetch_source(parse_source(f"http://bot:{wrong}@{address}"), tmp_path / "sources", timeout=30)
    _one_line(plain, f"Cannot clone http://{address}: access was refused")
    for error in (caught, plain):
        assert wrong not in str(error.value) and "bot:" not in str(error.value)
    assert _leftovers(tmp_path / "sources") == []
