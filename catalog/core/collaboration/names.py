"""What an agent name looks like, how written names are normalized, and which catalog agent one means.

``looks_like_agent_name`` keeps ordinary hyphenated words (``real-time``, ``end-to-end``) from
becoming edges; ``normalize_name`` and ``compact_name`` make two spellings of one name
compare equal; ``NameIndex`` resolves a written name against the catalog's agents.
"""

import re
from collections.abc import Iterable

# What an agent name looks like
# ---------------------------------------------------------------------------

# Last word of an agent name: the role it plays. Taken from the names agent
# collections actually use ("api-designer", "rust-pro", "context-manager").
_ROLE_WORDS = frozenset(
    """
    agent subagent assistant
    advisor analyst analyzer architect auditor automator checker coach consultant
    commander coordinator creator critic curator debugger designer detective developer dba documenter
    editor engineer evaluator executor expert explorer fixer generator guardian guide
    implementer inspector investigator janitor lead librarian maintainer manager master
    mentor migrator modernizer monitor navigator operator optimizer orchestrator organizer owner
    planner pro producer profiler refactorer researcher responder reviewer scientist scout
    simplifier specialist strategist surgeon synthesizer tester translator triager validator
    verifier writer
    """.split()
)

# Hyphenated words of ordinary English or tech prose. Most fail the role-word test
# anyway; this list guards the looser contexts ("the real-time agent").
_ORDINARY_WORDS = frozenset(
    """
    real-time full-stack end-to-end high-level low-level server-side client-side e-commerce
    read-only write-only long-term short-term built-in well-known up-to-date open-source
    third-party multi-agent sub-agent sub-agents single-agent cross-agent user-agent
    agent-to-agent step-by-step follow-up one-shot zero-shot few-shot long-running
    self-contained production-ready state-of-the-art best-in-class in-depth on-demand
    in-house non-trivial cross-platform cross-functional front-end back-end full-text
    multi-step multi-file multi-tenant top-level first-class pull-request code-review
    code-quality test-driven behavior-driven domain-driven event-driven data-driven
    type-safe thread-safe user-facing customer-facing human-in-the-loop out-of-the-box
    trade-off trade-offs rate-limit rate-limiting how-to to-do todo-list check-in
    express-validator class-validator webpack-bundle-analyzer package-manager
    secrets-manager password-manager state-manager task-runner test-runner type-checker
    spell-checker link-checker query-builder form-builder site-generator code-generator
    upgrade-assistant
    ai-agent llm-agent coding-agent chat-agent main-agent parent-agent child-agent
    base-agent custom-agent new-agent other-agent each-agent every-agent any-agent
    """.split()
)

# Prefixes that make a two-part word an adjective ("multi-agent", "non-trivial").
_MODIFIER_PREFIXES = frozenset(
    "multi sub cross non pre post re co self semi anti meta inter intra super hyper ultra "
    "over under well ill so e x per de un mid".split()
)
# Last parts that make a word an adjective ("AI-powered", "context-aware") or a field
# name ("agent-name", "rule-id").
_ADJECTIVE_ENDINGS = frozenset(
    "based powered driven like aware only specific level side time style first free friendly "
    "ready safe proof oriented centric enabled agnostic native grade scale wide facing term "
    "heavy light bound intensive related focused capable compatible "
    "id ids name names type file path url key dir list config".split()
)
# First words that make "<word>-agent" a description or a placeholder, not a name.
_NOT_AGENT_NAMES = frozenset(
    "my your our the a an this that target fixed recommended example sample some new custom "
    "other each every any one two three four five with parent child main base generic "
    "specialized specialised".split()
)
# Model families: "gemini-pro" is a model, not the "python-pro" kind of agent.
_MODEL_FAMILIES = frozenset("gpt gemini sonar llama mistral qwen deepseek grok".split())

# Hyphens only: snake_case words are tool, variable and decorator names.
SLUG = re.compile(r"^[A-Za-z][A-Za-z0-9]*(?:-[A-Za-z0-9]+)+$")
_CAMEL = re.compile(r"^[A-Z][a-z0-9]+(?:[A-Z][a-z0-9]+)+$")
_CAMEL_HUMPS = re.compile(r"[A-Z][a-z0-9]+")


def name_parts(token):
    if _CAMEL.match(token):
        return [hump.lower() for hump in _CAMEL_HUMPS.findall(token)]
    return token.lower().split("-")


def _is_ordinary(token):
    """True for hyphenated words that are prose, whatever their context."""
    lowered = "-".join(name_parts(token))
    if lowered in _ORDINARY_WORDS:
        return True
    parts = lowered.split("-")
    if not all(parts):
        return True
    if len(parts) == 2 and parts[0] in _MODIFIER_PREFIXES:
        return True
    last = parts[-1]
    if last in _ADJECTIVE_ENDINGS or last[0].isdigit() or parts[0] in _MODEL_FAMILIES:
        return True
    if last in {"agent", "agents", "subagent"} and parts[0] in _NOT_AGENT_NAMES:
        return True
    # Participles ("fine-tuned", "self-improving") describe an agent, they do not name one.
    return len(parts) == 2 and (last.endswith("ed") or last.endswith("ing"))


def has_name_shape(token):
    """Loose test for strong contexts: a hyphenated or CamelCase identifier, not prose."""
    token = namespace_tail(token)
    if not (SLUG.match(token) or _CAMEL.match(token)):
        return False
    if token.isupper() or len(token) > 60:
        return False
    return not _is_ordinary(token)


def looks_like_agent_name(token):
    """True when a token reads as an agent name even with little context around it.

    The token must be a hyphenated (or CamelCase) identifier whose last word is a role,
    such as ``code-reviewer``, ``rust-pro`` or ``TaskManager``, and must not be an
    ordinary hyphenated word such as ``real-time`` or ``end-to-end``.
    """
    token = token.strip().strip("`*@")
    if not has_name_shape(token):
        return False
    return name_parts(namespace_tail(token))[-1] in _ROLE_WORDS


def namespace_tail(token):
    """``plugin:agent-name`` -> ``agent-name``; Claude Code plugins namespace agents so."""
    return token.rsplit(":", 1)[-1]


def normalize_name(name):
    """Reduce a written agent name to slug-ish text: ``**TaskManager**`` -> ``task-manager``.

    A plugin namespace (``superpowers:code-reviewer``) is kept, since it tells two
    same-named agents apart.
    """
    name = name.strip().strip("`*\"'@[]()").strip()
    name = re.sub(r"^(?:sub)?agent:", "", name, flags=re.IGNORECASE)  # OpenCode "subagent:tester"
    pieces = []
    for piece in name.split(":"):
        if _CAMEL.match(piece):
            piece = "-".join(_CAMEL_HUMPS.findall(piece))
        pieces.append(re.sub(r"[\s_]+", "-", piece.lower()).strip("-"))
    return re.sub(r"-{2,}", "-", ":".join(p for p in pieces if p))


def compact_name(name):
    """A name as lookups compare it: case-folded, without spaces, hyphens or underscores."""
    return re.sub(r"[\s_-]+", "", name.casefold())


# Resolution against the catalog
# ---------------------------------------------------------------------------


class NameIndex:
    """Finds the catalog agent a written name refers to.

    Built from ``(key, collection, slug, display_name)`` for every agent. Lookup prefers
    the same collection, then the whole catalog; the slug, then the display name; the
    comparison ignores case, spaces, hyphens and underscores. When several collections
    hold the name, the smallest key wins so that the answer does not depend on order.
    """

    def __init__(self, entries: Iterable[tuple[str, str, str, str]]):
        self._local = {}  # (collection, how, compact name) -> key
        self._global = {}  # (how, compact name) -> key
        for key, collection, slug, display_name in entries:
            for how, name in (("slug", slug), ("display", display_name)):
                compact = compact_name(name or "")
                if len(compact) < 2:
                    continue
                local = (collection, how, compact)
                if local not in self._local or key < self._local[local]:
                    self._local[local] = key
                if (how, compact) not in self._global or key < self._global[(how, compact)]:
                    self._global[(how, compact)] = key

    def resolve(self, name, collection):
        """The key of the agent ``name`` refers to, or None when the catalog has none."""
        if not name or _is_ordinary(name.strip().strip("`*@")):
            return None
        tail = namespace_tail(name)
        for candidate in dict.fromkeys((name, tail, normalize_name(name), normalize_name(tail))):
            compact = compact_name(candidate)
            if not compact:
                continue
            for how in ("slug", "display"):
                if (collection, how, compact) in self._local:
                    return self._local[(collection, how, compact)]
            for how in ("slug", "display"):
                if (how, compact) in self._global:
                    return self._global[(how, compact)]
        return None


def resolve_name(name: str, *, collection: str, index: NameIndex) -> str | None:
    """Key of the catalog agent ``name`` refers to from ``collection``, or None."""
    return index.resolve(name, collection)
