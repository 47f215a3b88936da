"""Git sources (catalog.core.sources): URL parsing and redaction, forge links, checkout folders.

No database.
"""

import base64
import dataclasses
import re

import pytest

from catalog.core.sources import (
    GitSource,
    SourceError,
    checkout_dirname,
    file_url,
    history_url,
    looks_like_git_url,
    parse_source,
    redact_url,
    repository_url,
)

TOKEN = "ghp_Zq8SECRETtoken1234567890"  # noqa: S105  # a made-up token that must never be shown


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
