"""Which member to pick: a transparent score, every point of it explained.

``score_members`` gives each member of a family a whole-number score and ``score_reasons``, one
line per criterion of ``WEIGHTS`` such as ``"+10 has a description"`` or ``"-4 2 validation
warnings"``; the signed numbers that open the reasons add up to the score, so the page can show
the sum and nothing is hidden. Criteria that compare members (fewest tools, newest) compare them
within the family only, so a score ranks the versions of one agent and means nothing across
families.
"""

from dataclasses import dataclass


@dataclass(frozen=True)
class Weight:
    """Points per unit of one criterion, at most ``limit`` units (0: one unit, present or not)."""

    points: int
    limit: int
    why: str


WEIGHTS = {
    # Completeness: what a reader (and the assistant routing to the agent) has to go on.
    "description": Weight(10, 0, "Claude Code and Copilot route by the description; people read it first."),
    "responsibility": Weight(2, 5, "Stated responsibilities say what the agent does; five cover a focused agent."),
    "metric": Weight(2, 5, "Success metrics say when its work is done; five are plenty."),
    "examples": Weight(5, 0, "<example> blocks show the router when to call it."),
    # Validation findings: an error can stop a definition from loading at all.
    "error": Weight(-10, 3, "An error can keep the tool from loading the definition; three already rule it out."),
    "warning": Weight(-2, 5, "A warning is a likely mistake (legacy tool names, odd fields)."),
    # Least privilege: fewer, narrower tools do less damage when the agent goes wrong.
    "lists_tools": Weight(10, 0, "Without a tool list a Claude Code agent inherits every tool, MCP ones included."),
    "fewest_tools": Weight(5, 0, "The fewest tools among the family's versions is the least privilege on offer."),
    "open_bash": Weight(-5, 0, "Bash without a command pattern can run anything."),
    # Recency and adoption.
    "recency": Weight(5, 0, "A recent upstream change suggests the version is maintained; scaled within the family."),
    "copied_by": Weight(3, 3, "Each other collection that copied a version vouches for it."),
}

_BASH = "Bash"


@dataclass(frozen=True)
class Score:
    points: int
    reasons: tuple


def _reason(points, text):
    return f"{points:+d} {text}"


def _units(weight, count):
    return min(count, weight.limit) if weight.limit else int(bool(count))


def _plural(count, word, plural=""):
    return f"{count} {word if count == 1 else plural or word + 's'}"


def score_members(members, copied_by):
    """``{member key: Score}``. ``copied_by`` maps a member key to how many other collections
    hold a copy of it (see ``copies.find_copies``)."""
    listing = [m for m in members if m.allowed_tools]
    fewest = min((len(m.allowed_tools) for m in listing), default=None)
    dated = [m.upstream_changed.timestamp() for m in members if m.upstream_changed]
    oldest, newest = (min(dated), max(dated)) if dated else (None, None)
    return {m.key: _score(m, fewest, oldest, newest, copied_by.get(m.key, 0)) for m in members}


def _score(member, fewest, oldest, newest, copies):
    reasons = []

    def add(criterion, count, text):
        weight = WEIGHTS[criterion]
        reasons.append((weight.points * _units(weight, count), text))

    described = bool(member.description.strip())
    add("description", described, "has a description" if described else "no description")
    responsibilities = _plural(member.responsibilities, "responsibility", "responsibilities")
    add("responsibility", member.responsibilities, f"{responsibilities} stated")
    add("metric", member.metrics, _plural(member.metrics, "success metric") + " stated")
    add("examples", member.examples, _plural(member.examples, "example") + " in the description")
    add("error", member.errors, _plural(member.errors, "validation error"))
    add("warning", member.warnings, _plural(member.warnings, "validation warning"))

    allowed = member.allowed_tools
    if not allowed:
        add("lists_tools", False, "no tool list: inherits every tool")
    else:
        add("lists_tools", True, f"lists its tools ({len(allowed)})")
        least = len(allowed) == fewest
        add(
            "fewest_tools",
            least,
            "allows the fewest tools in the family" if least else f"more tools than the fewest ({fewest})",
        )
        open_bash = any(t.name == _BASH and not t.pattern for t in allowed)
        add("open_bash", open_bash, "allows Bash without a command pattern" if open_bash else "no unrestricted Bash")

    if member.upstream_changed is None:
        reasons.append((0, "no upstream change date known"))
    else:
        span = newest - oldest
        share = 1.0 if not span else (member.upstream_changed.timestamp() - oldest) / span
        points = round(WEIGHTS["recency"].points * share)
        when = member.upstream_changed.date().isoformat()
        reasons.append((points, f"changed upstream {when}" + (" (the newest)" if share == 1.0 else "")))

    add("copied_by", copies, f"copied by {_plural(copies, 'other collection')}")
    return Score(sum(p for p, _ in reasons), tuple(_reason(p, text) for p, text in reasons))
