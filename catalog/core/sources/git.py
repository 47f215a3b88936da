"""Clone and update git sources with the ``git`` command, without ever waiting for input.

git runs as a list of arguments (never through a shell) with a timeout, in a session of its
own (so neither it nor ssh has a terminal to prompt on), its standard input closed, prompts
switched off (``GIT_TERMINAL_PROMPT=0``, an empty ``GIT_ASKPASS``, ``SSH_ASKPASS_REQUIRE=never``,
Git Credential Manager non-interactive) and, on timeout, its whole process group killed, so no
helper it started lingers. Non-interactive credential helpers and ssh keys still work.

Credentials typed into an https URL travel as an ``http.extraHeader`` in git's environment
(``GIT_CONFIG_COUNT``, which only the same user can read): git is only ever given the redacted
URL, so the token reaches no command line, no ``.git/config`` and none of git's messages.

Every failure is a ``SourceError`` whose message is one line naming the redacted URL. A clone
is made in a temporary folder beside its destination and renamed into place, so a failed one
leaves nothing; an update fetches first and checks out only a commit it has, restoring the
previous one if the checkout itself fails.

Clones are *blobless* (``--filter=blob:none``): full history of commits and trees, the file
contents only of the commit checked out. ``history.last_changes`` needs that history to date
every file; ``shallow=True`` gives a ``--depth 1`` clone instead, whose dates stop at the
shallow boundary. Servers that refuse a filter or shallow fetch get a plain clone. Needs
git 2.31 or newer (``GIT_CONFIG_COUNT``).
"""

import os
import re
import shutil
import signal
import subprocess  # nosec B404
import tempfile
from dataclasses import dataclass
from pathlib import Path

from .urls import SourceError, checkout_dirname, redact_url

__all__ = ["DEFAULT_TIMEOUT", "Checkout", "clone", "fetch_source", "head_commit", "origin_url", "update"]

DEFAULT_TIMEOUT = 600  # seconds for one git command; a large first clone over a slow link needs minutes
_COMMIT_LIKE = re.compile(r"[0-9a-fA-F]{7,40}|[0-9a-fA-F]{64}")
_SHA = re.compile(r"[0-9a-f]{40}|[0-9a-f]{64}")


@dataclass(frozen=True)
class Checkout:
    """A source's working copy, at ``commit``; ``previous`` is the commit it had before ("" when new)."""

    path: Path
    commit: str
    previous: str = ""
    shallow: bool = False


def fetch_source(source, sources_dir, *, shallow=False, timeout=DEFAULT_TIMEOUT):
    """Clone ``source`` into its folder under ``sources_dir``, or update the checkout already there."""
    path = Path(sources_dir) / checkout_dirname(source)
    if path.exists():
        previous, commit = _update(source, path, timeout)
        return Checkout(path, commit, previous, _is_shallow(GitCommands(source, "update", timeout), path))
    commit = clone(source, path, shallow=shallow, timeout=timeout)
    return Checkout(path, commit, "", shallow and _is_shallow(GitCommands(source, "clone", timeout), path))


# ---------------------------------------------------------------------------
# Clone
# ---------------------------------------------------------------------------


def clone(source, dest, *, shallow=False, timeout=DEFAULT_TIMEOUT):
    """Clone ``source`` at its ref into ``dest`` (which must not exist); return the commit checked out."""
    git = GitCommands(source, "clone", timeout)
    dest = Path(dest)
    if dest.exists():
        raise SourceError(f"Cannot clone {source}: its folder {dest.name} already exists.", str(source))
    git.require()
    try:
        dest.parent.mkdir(parents=True, exist_ok=True)
        # Beside the destination, so the final rename stays on one file system and is atomic.
        work = Path(tempfile.mkdtemp(prefix=f".{dest.name}.", suffix=".partial", dir=dest.parent))
    except OSError as error:
        raise git.fail_with(f"cannot write in the sources folder ({error.strerror})") from None
    git.folder = work
    try:
        _clone_into(git, work, shallow)
        commit = head_commit(work, source=source, timeout=timeout)
        os.rename(work, dest)
    except OSError as error:
        shutil.rmtree(work, ignore_errors=True)
        raise git.fail_with(f"cannot move the new checkout into place ({error.strerror})") from None
    except BaseException:
        shutil.rmtree(work, ignore_errors=True)
        raise
    return commit


def _clone_into(git, work, shallow):
    source = git.source
    base = ["clone", "--quiet", "--no-recurse-submodules", "--origin", "origin"]
    history = ["--depth", "1"] if shallow else ["--filter=blob:none"]
    branch = ["--single-branch", *(["--branch", source.ref] if source.ref else [])]
    try:
        _clone_with_fallback(git, work, [*base, *history, *branch], [*base, *branch])
        return
    except GitFailed as failure:
        if not (source.ref and _COMMIT_LIKE.fullmatch(source.ref) and _says(failure.stderr, "ref")):
            raise git.fail(failure.stderr) from None
    # A commit, not a branch or tag: take every branch's history and check the commit out.
    _clear(work)
    history = [] if shallow else ["--filter=blob:none"]
    try:
        _clone_with_fallback(git, work, [*base, *history, "--no-checkout"], [*base, "--no-checkout"])
    except GitFailed as failure:
        raise git.fail(failure.stderr) from None
    commit = _resolve_commit(git, work, fetched=True)
    git.checked(["checkout", "--quiet", "--force", "--detach", commit], work)


def _clone_with_fallback(git, work, preferred, plain):
    """Clone with ``preferred`` options; when the server refuses a filter or shallow fetch
    (git's "dumb" http transport does), clone again with ``plain`` ones."""
    try:
        _run_clone(git, work, preferred)
    except GitFailed as failure:
        if preferred == plain or not _says(failure.stderr, "history"):
            raise
        _clear(work)
        _run_clone(git, work, plain)


def _run_clone(git, work, args):
    # Options end before the URL, so nothing in it can be read as one.
    git([*args, "--", git.source.url, str(work)], work.parent)


def _clear(work):
    """Empty the temporary folder for another attempt (git clone wants it empty)."""
    for child in work.iterdir():
        if child.is_dir() and not child.is_symlink():
            shutil.rmtree(child)
        else:
            child.unlink()


# ---------------------------------------------------------------------------
# Update
# ---------------------------------------------------------------------------


def update(source, checkout, *, timeout=DEFAULT_TIMEOUT):
    """Fetch ``source``'s ref into an existing checkout and check it out; return the new commit.

    On any failure the checkout stays at the commit it had.
    """
    return _update(source, Path(checkout), timeout)[1]


def _update(source, checkout, timeout):
    """``(previous commit, new commit)``."""
    git = GitCommands(source, "update", timeout, folder=checkout, kept=True)
    if not (checkout / ".git").is_dir():
        raise git.fail_with(f"its folder {checkout.name} is not a git checkout (delete it to clone afresh)")
    git.require()
    previous = head_commit(checkout, source=source, timeout=timeout)
    # The latest spelling of the URL wins (https today, ssh yesterday: the same repository).
    git.checked(["remote", "set-url", "origin", source.url], checkout)
    commit = _resolve_commit(git, checkout, fetched=False)
    if commit == previous:
        return previous, commit
    try:
        git(["checkout", "--quiet", "--force", "--detach", commit], checkout)
    except (GitFailed, SourceError) as failure:
        try:  # best effort: every file of the previous commit is in the checkout already
            git(["checkout", "--quiet", "--force", "--detach", previous], checkout)
        except (GitFailed, SourceError):
            pass
        if isinstance(failure, SourceError):  # a timeout: its line is already said
            raise
        raise git.fail(failure.stderr) from None
    return previous, commit


def _resolve_commit(git, checkout, *, fetched):
    """The commit ``source.ref`` names, fetched from origin when the checkout lacks it.

    ``fetched``: every branch was fetched just now (a fresh clone), so only fetching the
    commit by its full id is left to try.
    """
    ref = git.source.ref
    fetch = ["fetch", "--quiet", "--no-tags", "--no-recurse-submodules"]
    if _is_shallow(git, checkout):
        fetch += ["--depth", "1"]
    if ref and _COMMIT_LIKE.fullmatch(ref):
        # A commit never moves: when the checkout has it, there is nothing to fetch.
        found = _commit_of(git, checkout, ref)
        if not found and not fetched:
            git.checked([*fetch, "origin"], checkout)
            found = _commit_of(git, checkout, ref)
        if found:
            return found
        if not _SHA.fullmatch(ref.lower()):  # an abbreviated id cannot be fetched by itself
            raise git.fail("couldn't find remote ref")
    git.checked([*fetch, "--end-of-options", "origin", ref or "HEAD"], checkout)
    found = _commit_of(git, checkout, "FETCH_HEAD")
    if not found:
        raise git.fail("couldn't find remote ref")
    return found


# ---------------------------------------------------------------------------
# Reading a checkout
# ---------------------------------------------------------------------------


def head_commit(checkout, *, source=None, timeout=60):
    """The commit the checkout has checked out (its full hexadecimal id)."""
    git = GitCommands(source, "read", timeout, folder=Path(checkout))
    found = _commit_of(git, Path(checkout), "HEAD")
    if not found:
        raise SourceError(f"{git.display} has no commit checked out (is the repository empty?).", git.url)
    return found


def origin_url(checkout, *, timeout=60):
    """The checkout's ``origin`` URL with any credentials removed; "" when it has none."""
    git = GitCommands(None, "read", timeout, folder=Path(checkout))
    try:
        return redact_url(git(["config", "--get", "remote.origin.url"], Path(checkout)).strip())
    except GitFailed:
        return ""


def _commit_of(git, checkout, rev):
    try:
        return git(["rev-parse", "--verify", "--quiet", "--end-of-options", f"{rev}^{{commit}}"], checkout).strip()
    except GitFailed:
        return ""


def _is_shallow(git, checkout):
    try:
        return git(["rev-parse", "--is-shallow-repository"], checkout).strip() == "true"
    except GitFailed:
        return False


# ---------------------------------------------------------------------------
# Running git
# ---------------------------------------------------------------------------


class GitFailed(Exception):
    """git exited non-zero; ``stderr`` says why. Internal: ``GitCommands.fail`` makes the SourceError."""

    def __init__(self, stderr):
        super().__init__(stderr)
        self.stderr = stderr


class GitCommands:
    """The git commands of one operation on one source: one environment, one timeout per
    command, and one way of saying what went wrong."""

    def __init__(self, source, verb, timeout, *, folder=None, kept=False):
        self.source = source
        self.verb = verb  # "clone" | "update" | "read"
        self.timeout = timeout
        self.folder = folder
        self.kept = kept  # failures leave the previous checkout as it was

    @property
    def display(self):
        if self.source is not None:
            return str(self.source)
        return self.folder.name if self.folder else "the checkout"

    @property
    def url(self):
        return str(self.source) if self.source is not None else ""

    def require(self):
        """Fail at once, before any folder is made, when there is no git to run."""
        if shutil.which("git") is None:
            raise self.fail_with("the git command is not installed (no 'git' on PATH)")

    def __call__(self, args, cwd):
        """Run git; return its standard output, or raise ``GitFailed`` with its standard error."""
        process = start_git(args, cwd, self.source, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        if process is None:
            raise self.fail_with("the git command is not installed (no 'git' on PATH)")
        try:
            out, err = process.communicate(timeout=self.timeout)
        except subprocess.TimeoutExpired:
            kill_group(process)
            process.communicate()
            raise self.fail_with(f"git did not finish within {self.timeout:g} s") from None
        except BaseException:
            kill_group(process)
            process.communicate()
            raise
        if process.returncode != 0:
            raise GitFailed(err.decode("utf-8", "replace"))
        return out.decode("utf-8", "replace")

    def checked(self, args, cwd):
        try:
            return self(args, cwd)
        except GitFailed as failure:
            raise self.fail(failure.stderr) from None

    def fail(self, stderr):
        """A SourceError for what git said."""
        return self.fail_with(_reason(stderr, self.source) or _last_message(stderr, self.source, self.folder))

    def fail_with(self, reason):
        ending = "; the previous checkout is kept" if self.kept else ""
        return SourceError(f"Cannot {self.verb} {self.display}: {reason}{ending}.", self.url)


# Variables that would point git at another repository than the one it is run in.
_LOCATING = frozenset(
    """GIT_DIR GIT_WORK_TREE GIT_INDEX_FILE GIT_OBJECT_DIRECTORY GIT_ALTERNATE_OBJECT_DIRECTORIES
    GIT_COMMON_DIR GIT_NAMESPACE GIT_PREFIX GIT_DISCOVERY_ACROSS_FILESYSTEM""".split()
)


def git_environment(source=None, cwd=None):
    """The environment git runs in: no prompts, C messages, and the source's credentials if any.

    git never looks above ``cwd`` for a repository: a sources folder may well sit inside
    another repository (AgentDash's own checkout), whose config a broken checkout must not
    let git change.
    """
    env = {name: value for name, value in os.environ.items() if name not in _LOCATING}
    env.update(
        GIT_TERMINAL_PROMPT="0",
        GIT_ASKPASS="",  # set but empty: git then asks neither core.askPass nor SSH_ASKPASS
        SSH_ASKPASS_REQUIRE="never",
        GCM_INTERACTIVE="never",
        LC_ALL="C",
        LANGUAGE="C",
    )
    if cwd is not None:
        env["GIT_CEILING_DIRECTORIES"] = str(Path(cwd).resolve().parent)
    config = [("credential.interactive", "never"), ("core.quotePath", "false")]
    if source is not None and source.credentials:
        config.append(("http.extraHeader", f"Authorization: {source.credentials.authorization()}"))
    try:
        count = max(int(env.get("GIT_CONFIG_COUNT", "0")), 0)
    except ValueError:
        count = 0
    for offset, (key, value) in enumerate(config):
        env[f"GIT_CONFIG_KEY_{count + offset}"] = key
        env[f"GIT_CONFIG_VALUE_{count + offset}"] = value
    env["GIT_CONFIG_COUNT"] = str(count + len(config))
    return env


def start_git(args, cwd, source, **popen):
    """Start git in its own process group with stdin closed; None when git is not on PATH."""
    executable = shutil.which("git")
    if executable is None:
        return None
    # S603/B603: a list of arguments (validated refs, redacted URLs), never a shell.
    return subprocess.Popen(  # noqa: S603  # nosec B603
        [executable, *args],
        cwd=cwd,
        env=git_environment(source, cwd),
        stdin=subprocess.DEVNULL,
        start_new_session=True,
        **popen,
    )


def kill_group(process):
    """Kill git and every helper it started (git-remote-https, ssh, upload-pack)."""
    try:
        os.killpg(process.pid, signal.SIGKILL)
    except (ProcessLookupError, PermissionError):
        pass


# ---------------------------------------------------------------------------
# One clear line per failure
# ---------------------------------------------------------------------------

# A server that cannot serve a partial or shallow clone (git's "dumb" http transport).
_REFUSED_HISTORY = ("does not support shallow", "shallow file has changed", "filtering not recognized")
# What git says (lowercased) -> which reason. Order matters: "Remote branch x not found" is
# about the ref, not the repository.
_SAYINGS = (
    ("ref", ("remote branch", "couldn't find remote ref", "unknown revision", "not a valid object name")),
    ("host", ("could not resolve host", "could not resolve hostname", "name or service not known",
              "temporary failure in name resolution", "nodename nor servname")),
    ("repository", ("repository not found", "not found", "does not appear to be a git repository",
                    "does not exist", "no such file or directory", "not a git repository")),
    ("access", ("authentication failed", "could not read username", "could not read password",
                "terminal prompts disabled", "permission denied", "returned error: 403", "returned error: 401")),
    ("host key", ("host key verification failed",)),
    ("certificate", ("ssl certificate", "certificate verify", "server certificate")),
    ("connect", ("connection refused", "failed to connect", "couldn't connect", "connection timed out",
                 "network is unreachable", "connection reset", "no route to host")),
)


def _says(stderr, kind):
    needles = _REFUSED_HISTORY if kind == "history" else dict(_SAYINGS)[kind]
    return any(needle in stderr.lower() for needle in needles)


def _reason(stderr, source):
    text = stderr.lower()
    kind = next((kind for kind, needles in _SAYINGS if any(needle in text for needle in needles)), None)
    host = (source.host if source else "") or "this machine"
    ref = source.ref if source else ""
    return {
        "ref": f"it has no branch, tag or commit {ref!r}" if ref else "it has no default branch",
        "host": f"the host {host} is unknown",
        "repository": "no repository is there",
        "access": "access was refused (a private repository needs credentials git can use without asking)",
        "host key": f"the SSH host key of {host} is not known (add it to known_hosts)",
        "certificate": f"the TLS certificate of {host} was refused",
        "connect": f"cannot connect to {host}",
    }.get(kind)


_URL_IN_TEXT = re.compile(r"[A-Za-z][A-Za-z0-9+.-]*://[^\s'\"]+")


def _last_message(stderr, source, folder):
    """git's own last fatal/error line, with credentials and the server's paths taken out."""
    lines = [line.strip() for line in stderr.splitlines() if line.strip()]
    fatal = [line for line in lines if line.startswith(("fatal:", "error:"))]
    chosen = (fatal or lines or [""])[-1]
    chosen = re.sub(r"^(fatal|error):\s*", "", chosen).rstrip(".") or "git failed"
    for secret in source.credentials.secrets() if source is not None and source.credentials else ():
        chosen = chosen.replace(secret, "***")
    if folder is not None:
        for path in {str(folder), str(Path(folder).resolve())}:
            chosen = chosen.replace(path, Path(folder).name)
    return _URL_IN_TEXT.sub(lambda match: redact_url(match.group(0)), chosen)
