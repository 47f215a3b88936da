"""Git sources: what a user types, the forge pages it links to, and its checkout and history.

- ``urls``: ``parse_source`` reads a URL (and ``@REF``) into a ``GitSource`` whose ``url`` has no
  credentials; ``checkout_dirname`` names its folder under the data directory.
- ``forge``: links to a file at a commit, its history, and the repository on GitHub, GitLab
  and Codeberg.

Pure Python; nothing here imports Django. Every failure is a ``SourceError`` whose message
is one line naming the redacted URL.
"""

from .forge import file_url, history_url, repository_url
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
    "FORGES",
    "Credentials",
    "GitSource",
    "SourceError",
    "checkout_dirname",
    "file_url",
    "history_url",
    "looks_like_git_url",
    "parse_source",
    "redact_url",
    "repository_url",
]
