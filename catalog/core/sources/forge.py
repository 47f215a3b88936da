"""Links to a source's web pages on the forges AgentDash knows: GitHub, GitLab and Codeberg.

Each function takes a ``GitSource`` (however it was cloned: https, ssh or scp-like) and returns
an https URL, or None when the host is not a known forge or the commit or path cannot be
linked safely. GitLab's owner may be a group with subgroups (``group/sub/repo``).
"""

import re
from urllib.parse import quote

__all__ = ["file_url", "history_url", "repository_url"]

_COMMIT = re.compile(r"[0-9a-f]{7,64}")
# (file at a commit, history of a file up to a commit), below the repository page.
_PAGES = {
    "github": ("blob/{commit}/{path}", "commits/{commit}/{path}"),
    "gitlab": ("-/blob/{commit}/{path}", "-/commits/{commit}/{path}"),
    "codeberg": ("src/commit/{commit}/{path}", "commits/commit/{commit}/{path}"),
}


def repository_url(source):
    """The repository's home page, e.g. ``https://github.com/owner/repo``."""
    if source.forge not in _PAGES or not source.owner or not source.repo:
        return None
    return f"https://{source.host}/{quote(source.owner, safe='/')}/{quote(source.repo, safe='')}"


def file_url(source, commit, path):
    """The page of the file at ``path`` (POSIX, relative to the repository) as of ``commit``."""
    return _page(source, commit, path, 0)


def history_url(source, commit, path):
    """The list of commits that changed the file at ``path``, up to ``commit``."""
    return _page(source, commit, path, 1)


def _page(source, commit, path, which):
    home = repository_url(source)
    if home is None or not _COMMIT.fullmatch(commit or "") or not _linkable(path):
        return None
    template = _PAGES[source.forge][which]
    return f"{home}/{template.format(commit=commit, path=quote(path, safe='/'))}"


def _linkable(path):
    """A relative POSIX path with no empty, ``.`` or ``..`` part, which a browser would rewrite."""
    if not path or "\\" in path:
        return False
    return all(part not in ("", ".", "..") for part in path.split("/"))
