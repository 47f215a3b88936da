"""What the parser reports: a ``Problem`` about a file, or ``Rejected`` when it cannot be read at all."""

from dataclasses import dataclass


@dataclass(frozen=True)
class Problem:
    """Something odd about a file, worth showing next to it."""

    severity: str  # "error" | "warning" | "info"
    code: str  # short kebab-case id, e.g. "yaml-lenient"
    message: str  # one clear sentence
    line: int | None = None  # 1-based line in the file when known


class Rejected(Exception):
    """The file cannot be imported at all; ``.problem`` says why (severity "error")."""

    def __init__(self, problem):
        super().__init__(problem.message)
        self.problem = problem


def reject(code, message, line=None):
    """A ``Rejected`` for an error ``Problem``, to raise."""
    return Rejected(Problem("error", code, message, line))
