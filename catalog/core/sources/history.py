"""When each file of a checkout last changed upstream, from one ``git log`` walk.

``last_changes`` starts a single ``git log --first-parent -m --name-only`` from HEAD and reads
its output as it comes: the first commit that names a file is the file's last change. It
stops git as soon as every tracked file has a date, so a deep history is walked only as far as
the oldest untouched file needs.

- ``--first-parent -m``: a change made on a branch counts from the merge that brought it to
  the mainline, which is when it changed *upstream*; merges list the files they changed
  against their first parent.
- ``--no-renames``: rename detection compares file contents, which a blobless clone would
  fetch from the server one by one; a rename is a delete plus an add, and the add dates it.
- Committer dates: when the commit was made on the branch, not when its author wrote it.

A shallow clone knows no history before its boundary commit, which git shows as adding every
file. A file whose last change is a boundary commit is reported with ``exact=False``: it
changed then *or earlier*. Blobless clones (git.py's default) have the full history, so all
their dates are exact.
"""

import os
import subprocess  # nosec B404
import tempfile
import threading
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from .git import DEFAULT_TIMEOUT, GitCommands, GitFailed, kill_group, start_git

__all__ = ["LastChange", "last_changes"]

_RECORD = b"\x01"  # opens each commit's record; git never prints it in a hash or a date


@dataclass(frozen=True)
class LastChange:
    """The commit that last changed a file, and when it was committed."""

    commit: str
    date: datetime  # timezone-aware, as the committer's clock said
    exact: bool = True  # False: a shallow clone's boundary, so the change is this old or older


def last_changes(checkout, paths=None, *, timeout=DEFAULT_TIMEOUT):
    """``{path: LastChange}`` for ``paths`` (POSIX, relative to the checkout), or every tracked file.

    One ``git log`` process whatever the number of files (plus ``git ls-files`` when ``paths``
    is None). Paths git does not track are left out.
    """
    checkout = Path(checkout)
    git = GitCommands(None, "read the history of", timeout, folder=checkout)
    git.require()
    if paths is None:
        try:
            listed = git(["ls-files", "-z"], checkout)
        except GitFailed as failure:
            raise git.fail(failure.stderr) from None
        paths = [path for path in listed.split("\0") if path]
    wanted = set(paths)
    if not wanted:
        return {}
    boundary = _shallow_boundary(checkout)
    args = ["log", "--first-parent", "-m", "--root", "--no-renames", "--name-only", "-z", "--format=%x01%H %cI"]
    # stderr goes to a file: a pipe nobody reads while stdout is read could fill and stall git.
    with tempfile.TemporaryFile() as errors:
        process = start_git([*args, "HEAD", "--"], checkout, None, stdout=subprocess.PIPE, stderr=errors)
        if process is None:
            raise git.fail_with("the git command is not installed (no 'git' on PATH)")
        timed_out = threading.Event()
        watchdog = threading.Timer(timeout, lambda: (timed_out.set(), kill_group(process)))
        watchdog.start()
        try:
            found = _read_log(process.stdout, wanted, boundary)
        finally:
            # Stops git once every file has its date (the rest of the history is not needed);
            # before wait(), so the group is still git's own even when it has just exited.
            kill_group(process)
            process.stdout.close()
            process.wait()
            watchdog.cancel()
        if timed_out.is_set():
            raise git.fail_with(f"git did not finish within {timeout:g} s")
        if len(found) < len(wanted) and process.returncode != 0:
            errors.seek(0)
            raise git.fail(errors.read().decode("utf-8", "replace"))
    return found


def _read_log(stream, wanted, boundary):
    """Read ``git log`` records until every wanted path is dated or the output ends."""
    found, pending, buffer = {}, set(wanted), b""
    while pending:
        chunk = stream.read1(1 << 16)
        if not chunk:
            break
        buffer += chunk
        *records, buffer = buffer.split(_RECORD)
        for record in records:
            _take(record, pending, found, boundary)
    if pending and buffer:
        _take(buffer, pending, found, boundary)
    return found


def _take(record, pending, found, boundary):
    header, _, names = record.partition(b"\0")
    if not header:
        return
    commit, _, stamp = header.decode("ascii").partition(" ")
    change = None
    for raw in names.split(b"\0"):
        name = os.fsdecode(raw.lstrip(b"\n"))
        if name in pending:
            change = change or LastChange(commit, datetime.fromisoformat(stamp), commit not in boundary)
            found[name] = change
            pending.discard(name)


def _shallow_boundary(checkout):
    """The commits a shallow clone stops at (none for a full or blobless clone)."""
    try:
        text = (checkout / ".git" / "shallow").read_text(encoding="ascii")
    except (OSError, UnicodeDecodeError):
        return frozenset()
    return frozenset(text.split())
