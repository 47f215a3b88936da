"""The pure-Python core of AgentDash: everything that reads, checks and compares definition files.

Nothing in this package imports Django, nor any other part of ``catalog``: a module here sees
only the standard library, its third-party readers (PyYAML, Markdown, nh3, Pygments, numpy) and its
siblings. That is what lets the importer analyse files in worker processes that never load
Django (``analysis.analyse_batch`` under a forkserver pool), what lets ``lint_agents`` run in a
bare CI checkout, and what lets every module here be tested without a database
(``tests/core/``). ``lint-imports`` (the contracts in ``pyproject.toml``) keeps it that way.

The way a file travels through it: ``discovery`` says what each file is, ``parsing`` reads it
into a frozen ``ParsedFile``, ``extraction`` and ``collaboration`` derive its items and edges,
``rules`` checks it, and ``analysis`` does all of that for one file; ``rendering`` turns its
Markdown into sanitized HTML and ``diffing`` compares two of them; ``families`` groups the
versions of one agent across collections and says which to pick.
"""
