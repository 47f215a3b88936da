"""Read what a user types as a git source, and keep its credentials out of sight.

``parse_source`` takes ``https://``, ``http://``, ``ssh://``, ``git://`` and ``file://`` URLs
and scp-like ``user@host:owner/repo``, each with an optional ``@REF`` suffix (or a separate
ref, as ``--ref`` gives it), and returns a ``GitSource``. Its ``url`` has no credentials: it is
the only form of the URL that is ever stored, shown or logged. Credentials typed into an
``https://user:token@host/`` URL are kept apart in a ``Credentials`` object whose str and repr
hide them. ``checkout_dirname`` names the folder a source's checkout lives in.

The ``@`` that starts a ref is the last one in the URL's path: the one in ``git@host:`` or
``user:token@host`` belongs to the address, never to the ref. A folder whose name holds an
``@`` is written with ``%40`` (``file:///srv/a%40b/repo``), which git reads back as ``@``.
"""

import base64
import hashlib
import re
import unicodedata
from dataclasses import dataclass, field, replace
from urllib.parse import quote, unquote, urlsplit

__all__ = [
    "FORGES",
    "Credentials",
    "GitSource",
    "SourceError",
    "checkout_dirname",
    "looks_like_git_url",
    "parse_source",
    "redact_url",
]

# Hosts whose web pages the forge links know how to build.
FORGES = {"github.com": "github", "gitlab.com": "gitlab", "codeberg.org": "codeberg"}
MAX_URL_LENGTH = 2048
_NETWORK_SCHEMES = ("https", "http", "ssh", "git")
_SCHEME = re.compile(r"([A-Za-z][A-Za-z0-9+.-]*)://")
# user@host:path, as scp and git write it. A user is required: without one, "name:rest" is as
# likely a local folder with a colon in its name.
_SCP = re.compile(r"(?P<user>[^@/:\[\]]+)@(?P<host>[^@/:\[\]]+|\[[0-9A-Fa-f:.]+\]):(?P<path>.*)")
_HOST = re.compile(r"[a-z0-9](?:[a-z0-9-]*[a-z0-9])?(?:\.[a-z0-9](?:[a-z0-9-]*[a-z0-9])?)*|[0-9a-f:.]*:[0-9a-f:.]*")
# What git refuses in a ref name (git check-ref-format), plus a leading "-" that would read
# as an option to the git commands the ref is given to.
_BAD_REF = re.compile(r"[\x00-\x20\x7f~^:?*\[\\]|\.\.|@\{|//|\.lock(?:/|$)")
_MAX_REF_LENGTH = 255


class SourceError(Exception):
    """A source that cannot be read or fetched.

    The message is one line that names the source by its redacted URL; ``url`` holds that URL.
    """

    def __init__(self, message, url=""):
        super().__init__(" ".join(str(message).split()))
        self.url = url


class Credentials:
    """The user name and password (or token) of an http(s) URL: usable, never printed."""

    __slots__ = ("_user", "_password")

    def __init__(self, user, password):
        self._user = user
        self._password = password

    def __repr__(self):
        return "Credentials(<hidden>)"

    __str__ = __repr__

    def authorization(self):
        """The ``Authorization`` header value git sends instead of putting them in a URL."""
        token = base64.b64encode(f"{self._user}:{self._password}".encode()).decode("ascii")
        return f"Basic {token}"

    def secrets(self):
        """The texts that must never appear in a message, decoded and percent-encoded."""
        secret = self._password or self._user  # a token alone is given as the user name
        return tuple({secret, quote(secret, safe="")}) if secret else ()

    def userinfo(self):
        return self._user + (f":{self._password}" if self._password else "")


@dataclass(frozen=True)
class GitSource:
    """A git repository to fetch, at a ref, as parsed from what a user typed."""

    url: str  # without credentials or ref: the only form stored, shown or logged
    ref: str = ""  # branch, tag or commit; "" for the remote's default branch
    host: str = ""  # lowercase host name ("" for file://)
    forge: str | None = None  # "github" | "gitlab" | "codeberg" | None
    owner: str = ""  # owner, or GitLab's "group/subgroup"; "" when the URL has none
    repo: str = ""  # the repository's name, without ".git"
    key: str = ""  # the repository's identity: two spellings of one repository share it
    credentials: Credentials | None = field(default=None, repr=False, compare=False)

    def __str__(self):
        return f"{self.url}@{self.ref}" if self.ref else self.url

    @property
    def name(self):
        """``owner/repo`` when the URL has an owner, else the repository's name."""
        return f"{self.owner}/{self.repo}" if self.owner else self.repo

    @property
    def clone_url(self):
        """The URL with its credentials put back, for a tool that takes nothing else.

        Never log or store it. ``git.py`` does not use it: it gives git ``url`` and sends the
        credentials as an HTTP header through the environment, so they reach no command
        line, no ``.git/config`` and none of git's messages.
        """
        if not self.credentials:
            return self.url
        scheme, _, rest = self.url.partition("://")
        return f"{scheme}://{self.credentials.userinfo()}@{rest}"


def looks_like_git_url(text):
    """True when the text is meant as a URL (a scheme, or ``user@host:path``) rather than a path."""
    text = text.strip()
    return bool(_SCHEME.match(text) or _SCP.fullmatch(text))


def parse_source(text, ref=None):
    """Read a git URL (with an optional ``@REF``) and an optional separate ref into a ``GitSource``.

    Raises ``SourceError`` with one line that never contains the URL's credentials.
    """
    if not isinstance(text, str) or not text.strip():
        raise SourceError("No git URL given.")
    text = text.strip()
    if len(text) > MAX_URL_LENGTH:
        raise SourceError(f"The git URL is longer than {MAX_URL_LENGTH:,} characters.")
    if any(char.isspace() or unicodedata.category(char).startswith("C") for char in text):
        raise SourceError(
            f"{_scrub(text)!r} is not a git URL: it holds spaces or control characters "
            "(write a space in a path as %20)."
        )
    scheme = _SCHEME.match(text)
    if scheme:
        name = scheme.group(1).lower()
        if name == "file":
            source, url_ref = _parse_file(text)
        elif name in _NETWORK_SCHEMES:
            source, url_ref = _parse_network(text, name)
        else:
            raise SourceError(
                f"{_scrub(text)!r} is not a git URL AgentDash fetches: use https://, http://, ssh://, git:// or file://."
            )
    elif scp := _SCP.fullmatch(text):
        source, url_ref = _parse_scp(scp)
    else:
        raise SourceError(
            f"{_scrub(text)!r} is not a git URL: give https://host/owner/repo, git@host:owner/repo, "
            "ssh://host/owner/repo or file:///absolute/path, with @REF for a branch, tag or commit."
        )
    return _with_ref(source, url_ref, ref)


def _with_ref(source, url_ref, ref):
    if ref is not None:
        ref = ref.strip()
        if not ref:
            raise SourceError(f"An empty ref was given for {source.url}.", source.url)
    if url_ref is not None and ref is not None and url_ref != ref:
        raise SourceError(
            f"{source.url} is given two refs, {url_ref!r} in the URL and {ref!r} apart; give one "
            "(write an '@' that belongs to the path as %40).",
            source.url,
        )
    chosen = ref if ref is not None else url_ref
    if chosen is None:
        return source
    _check_ref(chosen, source.url)
    return replace(source, ref=chosen)


def _check_ref(ref, url):
    if (
        not ref
        or len(ref) > _MAX_REF_LENGTH
        or ref == "@"
        or ref.startswith(("-", "/"))
        or ref.endswith(("/", "."))
        or any(part.startswith(".") for part in ref.split("/"))
        or _BAD_REF.search(ref)
    ):
        shown = ref if len(ref) <= 80 else ref[:80] + "…"
        raise SourceError(f"{shown!r} is not a branch, tag or commit name git accepts (for {url}).", url)


def _split_ref(path):
    """``/owner/repo@v1`` -> ``("/owner/repo", "v1")``; the last ``@`` of the path starts the ref."""
    head, at, ref = path.rpartition("@")
    if not at:
        return path, None
    return head, ref


def _parse_network(text, scheme):
    parts = urlsplit(text)
    try:
        host, port = parts.hostname or "", parts.port
    except ValueError:
        raise SourceError(f"{_scrub(text)!r} is not a git URL: its port is not a number.") from None
    if not host or not _HOST.fullmatch(host):
        raise SourceError(f"{_scrub(text)!r} is not a git URL: it names no valid host.")
    address = (f"[{host}]" if ":" in host else host) + (f":{port}" if port else "")
    user, password = _userinfo(parts.netloc)
    if scheme == "ssh" and user:
        netloc = f"{user}@{address}"  # an ssh login name is not a secret; a password is dropped
    else:
        netloc = address
    if parts.query or parts.fragment or text.endswith(("?", "#")):
        raise SourceError(f"{scheme}://{netloc}{parts.path} is not a git URL: it has a '?query' or '#fragment'.")
    path, url_ref = _split_ref(parts.path)
    url = f"{scheme}://{netloc}{path.rstrip('/')}"
    credentials = None
    if scheme in ("https", "http") and (user or password):
        credentials = Credentials(unquote(user), unquote(password))
    owner, repo, forge = _owner_repo(host, path, url)
    key = f"{host}/{owner}/{repo}".lower() if forge else f"{address}/{_strip_git(path.strip('/'))}"
    return GitSource(url, "", host, forge, owner, repo, key, credentials), url_ref


def _userinfo(netloc):
    userinfo, at, _ = netloc.rpartition("@")
    if not at:
        return "", ""
    user, _, password = userinfo.partition(":")
    return user, password


def _parse_scp(match):
    host = match.group("host").lower()
    if not _HOST.fullmatch(host.strip("[]")):
        raise SourceError(f"{match.group(0)!r} is not a git URL: it names no valid host.")
    path, url_ref = _split_ref(match.group("path"))
    address = f"{match.group('user')}@{match.group('host')}"
    url = f"{address}:{path.rstrip('/')}"
    owner, repo, forge = _owner_repo(host.strip("[]"), path, url)
    key = f"{host}/{owner}/{repo}".lower() if forge else f"{host}/{_strip_git(path.strip('/'))}"
    return GitSource(url, "", host.strip("[]"), forge, owner, repo, key), url_ref


def _parse_file(text):
    parts = urlsplit(text)
    if parts.netloc not in ("", "localhost"):
        raise SourceError(
            f"{_scrub(text)!r} is not a file URL of this machine: write file:///absolute/path (three slashes)."
        )
    if parts.query or parts.fragment:
        raise SourceError(f"file://{parts.path} is not a git URL: it has a '?query' or '#fragment'.")
    path, url_ref = _split_ref(parts.path)
    path = path.rstrip("/")
    url = f"file://{path}"
    folder = _strip_git(unquote(path).rpartition("/")[2])
    if not path.startswith("/") or not folder or folder in (".", ".."):
        raise SourceError(f"{url} names no repository folder: write file:///absolute/path/to/repo.", url)
    return GitSource(url, "", "", None, "", folder, f"file://{unquote(path)}"), url_ref


def _owner_repo(host, path, url):
    """``(owner, repo, forge)`` from the path of a URL on ``host``; forges have rules of their own."""
    segments = [segment for segment in path.split("/") if segment]
    if any(segment in (".", "..") for segment in segments):
        raise SourceError(f"{url} is not a repository URL: its path holds '.' or '..'.", url)
    if not segments or not _strip_git(segments[-1]):
        raise SourceError(f"{url} names no repository.", url)
    forge = FORGES.get(host)
    repo = _strip_git(segments[-1])
    if forge in ("github", "codeberg"):
        if len(segments) == 1:
            raise SourceError(f"{url} names an owner, not a repository: add /REPO.", url)
        if len(segments) > 2:
            raise SourceError(_page_inside(url, host, segments[:2], segments[2:]), url)
        return segments[0], _strip_git(segments[1]), forge
    if forge == "gitlab":
        if "-" in segments:
            at = segments.index("-")
            raise SourceError(_page_inside(url, host, segments[:at], segments[at + 1 :]), url)
        if len(segments) == 1:
            raise SourceError(f"{url} names a group, not a repository: add /REPO.", url)
    return "/".join(segments[:-1]), repo, forge


def _page_inside(url, host, repository, page):
    """Say which URL to give instead of a page of the repository's web site."""
    # /tree/REF/..., /blob/REF/... (GitHub, GitLab), /src/branch/REF/... (Codeberg)
    kinds = ("tree", "blob", "src", "branch", "tag", "commit")
    words = [word for word in page if word not in kinds]
    ref = f"@{words[0]}" if page and page[0] in kinds and words else " (with @REF for a branch, tag or commit)"
    return (
        f"{url} is a page inside a repository, not the repository: "
        f"give https://{host}/{'/'.join(repository)}{ref}."
    )


def _strip_git(name):
    return name[:-4] if name.endswith(".git") else name


def redact_url(text):
    """The text with any credentials of a URL in it removed: for origins read from a checkout
    or a manifest, which were not typed here and may not even parse as a git URL."""
    text = text.strip()
    scheme = _SCHEME.match(text)
    if scheme:
        rest = text[scheme.end() :]
        netloc, slash, path = rest.partition("/")
        userinfo, at, address = netloc.rpartition("@")
        if not at:
            return text
        if scheme.group(1).lower() == "ssh" and userinfo.partition(":")[0]:
            address = f"{userinfo.partition(':')[0]}@{address}"
        return f"{scheme.group(0)}{address}{slash}{path}"
    userinfo, at, rest = text.partition("@")
    if at and ":" in userinfo and "/" not in userinfo:
        return f"{userinfo.partition(':')[0]}@{rest}"  # user:password@host:path: keep the login name
    return text


def _scrub(text):
    """A form of text that failed to parse that is safe to show: anything up to the last ``@``
    may hold credentials, and a query may hold a token."""
    text = re.split(r"[?#]", text, maxsplit=1)[0]
    if "@" not in text:
        return text[:200]
    scheme = _SCHEME.match(text)
    return f"{scheme.group(0) if scheme else ''}…@{text.rpartition('@')[2]}"[:200]


# ---------------------------------------------------------------------------
# Where a checkout lives
# ---------------------------------------------------------------------------

_UNSAFE = re.compile(r"[^a-z0-9._]+")


def checkout_dirname(source):
    """A folder name for the source's checkout: readable, stable, and one path component.

    Made from the source's identity and ref (never its credentials), with every character
    outside ``[a-z0-9._-]`` replaced, so no part of a URL can climb out of the sources folder;
    a hash of the identity keeps two sources that read alike apart.
    """
    words = [source.host or "local", *source.owner.split("/"), source.repo, source.ref]
    readable = _UNSAFE.sub("-", _ascii("-".join(word for word in words if word)).lower())
    readable = readable.strip("-._")[:64].rstrip("-._") or "source"
    digest = hashlib.sha256(f"{source.key}\n{source.ref}".encode("utf-8", "surrogatepass")).hexdigest()[:12]
    return f"{readable}-{digest}"


def _ascii(text):
    return unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
