"""Git sources: what a user types, the forge pages it links to, and its checkout and history.

- ``urls``: ``parse_source`` reads a URL (and ``@REF``) into a ``GitSource`` whose ``url`` has no
  credentials; ``checkout_dirname`` names its folder under the data directory.
- ``forge``: links to a file at a commit, its history, and the repository on GitHub, GitLab
  and Codeberg.
- ``git``: clone and update with the ``git`` command, never prompting, atomically.
- ``history``: when each file last changed upstream, from one ``git log``.

Pure Python and the ``git`` executable; nothing here imports Django. Every failure is a
``SourceError`` whose message is one line naming the redacted URL.
"""

from .forge import file_url, history_url, repository_url
from .git import DEFAULT_TIMEOUT, Checkout, clone, fetch_source, head_commit, origin_url, update
from .history import LastChange, last_changes
from .urls import (
    FORGES,
    Credentials,
    GitSource,
    SourceError,
    checkout_dirname,
    looks_like_git_url,
    parse_source,
    redact_url,
)

__all__ = [
    "DEFAULT_TIMEOUT",
    "FORGES",
    "Checkout",
    "Credentials",
    "GitSource",
    "LastChange",
    "SourceError",
    "checkout_dirname",
    "clone",
    "fetch_source",
    "file_url",
    "head_commit",
    "history_url",
    "last_changes",
    "looks_like_git_url",
    "origin_url",
    "parse_source",
    "redact_url",
    "repository_url",
    "update",
]
