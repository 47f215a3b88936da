"""Collaboration edges read from an agent definition's own words.

Agent files describe who they work with in prose: "Upstream Dependencies" sections,
workflow chains such as ``analyst → architect → [me: YOU ARE HERE] → tester``,
VoltAgent's "Integration with other agents:" lists, ``subagent_type="…"`` calls, Copilot
``handoffs:`` and OpenCode ``dependencies:`` in the frontmatter. ``extract_edges`` turns
all of that into typed ``EdgeMention`` records, always from the point of view of the agent
being parsed; ``NameIndex`` later matches the targets against the catalog.

Precision matters more than recall here: an edge the author never meant clutters the
collaboration graph, so a name only counts when its context says it is an agent (a
collaboration heading, a verb such as "hand off to", an explicit ``agent`` after it, a
delegation call), and every candidate must pass ``looks_like_agent_name`` or its looser
sibling for strong contexts. Ordinary hyphenated words (``real-time``, ``end-to-end``)
never become edges.
"""

import bisect
import re
from dataclasses import dataclass

from ..text import FENCE, normalize_heading, repair_mojibake, split_sections
from .names import SLUG, compact_name, has_name_shape, looks_like_agent_name, name_parts, namespace_tail, normalize_name

EDGE_KINDS = ("receives_from", "hands_off_to", "peer", "delegates_to", "excludes", "mentions")

_EVIDENCE_LIMIT = 300
# Where an edge comes from the frontmatter, whose line numbers the caller does not pass.
_FRONTMATTER_LINE = 1


@dataclass(frozen=True)
class EdgeMention:
    """One collaborator named by an agent, with the line that names it."""

    kind: str  # one of EDGE_KINDS, from the point of view of the agent being parsed
    target: str  # normalized name, e.g. "system-architect"
    line: int  # 1-based line in the file
    evidence: str  # the source line, stripped and truncated


# Headings and labels that say who the agent works with
# ---------------------------------------------------------------------------

# "integration" is not an edge kind: lines there are decided by their verbs, and a bare
# name without a verb is only a mention.
_INTEGRATION = "integration"

_HEADING_KINDS = (
    (re.compile(r"\bnot\b.*\b(interact|work with|collaborat|coordinat)|\bexclud"), "excludes"),
    (re.compile(r"\bupstream\b|\breceiv\w*\b.*\bfrom\b|\binputs? from\b|\bdepends on\b|"
                r"\b(specs|specifications?|requirements?|input|handoffs?) from\b|"
                r"\bneed\w* from (?!you)"), "receives_from"),
    (re.compile(r"\bdownstream\b|\bprovid\w*\b.*\bto\b|\boutputs? to\b|\bhand(s|ing)?[- ]?offs?\b|"
                r"\bdeliver\w* to\b|\bpass\w* to\b|\bneed\w* from you\b"), "hands_off_to"),
    (re.compile(r"\bpeers?\b|\balongside\b|\bcollaboration\b|\bcollaborat\w* with\b|"
                r"\bworks? with\b|\bpartners?\b|"
                r"\bcoordinat\w* with\b"), "peer"),
    (re.compile(r"\bdelegat|\bagent team\b|^(?:available |specialized |specialist |core |supporting )?"
                r"(?:sub-?)?agents(?: available)?(?: \(.*\))?$"), "delegates_to"),
    (re.compile(r"\b(integration|interaction|working) with (other |related )?agents\b|"
                r"\bagent (integration|coordination|interactions?)\b|\brelated agents\b|"
                r"\bagent workflow\b|\bworkflow chain\b"), _INTEGRATION),
)
# "Dependencies" on its own is as likely to list npm packages as agents; it only counts
# together with an agent word.
_AGENT_DEPENDENCIES = re.compile(r"\b(agent|upstream)\s+dependenc|\bdependenc\w* on (other )?agents\b")
_AGENT_WORD = re.compile(r"\b(sub-?)?agents?\b|\bspecialists\b")
_SKILL_WORD = re.compile(r"\bskills?\b")


def _classify_heading(key):
    """The edge kind a collaboration heading gives to the names under it, or None."""
    if _SKILL_WORD.search(key):
        return None
    for pattern, kind in _HEADING_KINDS:
        if pattern.search(key):
            return kind
    if _AGENT_DEPENDENCIES.search(key):
        return "receives_from"
    return None


# A line that only introduces a list: "Integration with other agents:", "**Upstream**:".
# After the colon, one whitespace run per position: two adjacent \s* made a colon followed
# by a long run of spaces quadratic (200,000 spaces: minutes).
_LABEL = re.compile(r"^\s*(?:[-*+]\s+)?(?:\*\*|__)?([A-Za-z][^:]{2,70}?)(?:\*\*|__)?\s*:(?:\s*(?:\*\*|__))?\s*$")


@dataclass(frozen=True)
class _Context:
    """How names on one line are read."""

    kind: str | None  # the collaboration kind of the enclosing heading or label
    agentish: bool  # the heading talks about agents, so backticked slugs are names
    skills: bool  # a skills section: hyphenated names there are skills


def _section_contexts(sections):
    """Context of each section, inheriting a collaboration kind from parent headings."""
    stack = []  # (level, context)
    contexts = []
    for section in sections:
        while stack and stack[-1][0] >= section.level and section.level > 0:
            stack.pop()
        parent = stack[-1][1] if stack else _Context(None, False, False)
        own = _classify_heading(section.key) if section.key else None
        if own:
            context = _Context(own, bool(_AGENT_WORD.search(section.key)), False)
        else:
            skills = parent.skills or bool(_SKILL_WORD.search(section.key))
            context = _Context(parent.kind, parent.agentish, skills)
        contexts.append(context)
        stack.append((section.level, context))
    return contexts


# ---------------------------------------------------------------------------
# Names and verbs on a line
# ---------------------------------------------------------------------------

# Only hyphenated, namespaced or CamelCase words can be names; plain words never are.
# bandit B105: a regex for name tokens, not a password
_TOKEN = r"(?:[A-Za-z][A-Za-z0-9]*(?:[-_:][A-Za-z0-9]+)+|[A-Z][a-z0-9]+(?:[A-Z][a-z0-9]+)+)"  # noqa: S105  # nosec B105
# A name as written: bold and/or backticked, or bare. The lookarounds keep paths, file
# names, package scopes and function calls out ("src/user-routes.ts", "@types/node").
_NAME = re.compile(
    r"(?<![\w/.$@:-])(?P<open>\*\*`|`\*\*|\*\*|`|@)?"
    rf"(?<![\w/.$:-])(?P<name>{_TOKEN})"
    r"(?P<close>`\*\*|\*\*`|\*\*|`)?"
    r"(?![\w/-]|\.\w|\()"
)
_FOLLOWED_BY_AGENT = re.compile(r"^\s+(?:sub-?)?agents?\b", re.IGNORECASE)
_ARTICLE = r"(?:(?:the|a|an|our|your|its|their|this|that)\s+)?"

# Verbs that decide the kind of the names right after them.
_VERBS = tuple(
    (re.compile(pattern, re.IGNORECASE), kind)
    for pattern, kind in (
        (r"\b(?:receiv\w*|gets?|getting|accept\w*|obtain\w*|takes?|gather\w*|collect\w*|pull\w*|"
         r"reads?|consum\w*)"
         r"\b(?:[^.;:!?]|\.(?=\S)){0,60}?\bfrom\s+" + _ARTICLE, "receives_from"),
        (r"\b(?:specs|specifications?|requirements?|inputs?|handoffs?|briefs?)\s+from\s+" + _ARTICLE,
         "receives_from"),
        (r"\b(?:hand(?:s|ing|ed)?(?:[- ]?offs?)?|pass(?:es|ing)?|deliver\w*|provid\w*|send\w*|"
         r"submit\w*|report\w*|escalat\w*|forward\w*|route\w*|feed\w*)"
         r"\b(?:[^.;:!?]|\.(?=\S)){0,60}?\b(?:to|into)\s+" + _ARTICLE, "hands_off_to"),
        (r"\b(?:notify|notifies|notifying|inform\w*|hand\s+off\s+to)\s+" + _ARTICLE, "hands_off_to"),
        (r"\b(?:collaborat\w*|work\w*|partner\w*|coordinat\w*|sync\w*|align\w*|pair\w*|"
         r"combin\w*|consult\w*|shar\w*|team\w*(?:\s+up)?|liais\w*|interfac\w*|cooperat\w*)"
         r"\b(?:[^.;:!?]|\.(?=\S)){0,40}?\bwith\s+" + _ARTICLE, "peer"),
        (r"^\s*(?:[-*+]\s+)?(?:support|help|assist|guide|mentor|enable|consult)s?\s+" + _ARTICLE, "peer"),
        (r"\b(?:delegat\w*|dispatch\w*|spawn\w*|invok\w*|launch\w*)\s+(?:to\s+)?" + _ARTICLE,
         "delegates_to"),
        (r"\b(?:delegat\w*|assign\w*|dispatch\w*)\b(?:[^.;:!?]|\.(?=\S)){0,60}?\bto\s+" + _ARTICLE,
         "delegates_to"),
        (r"\b(?:call|calls|calling|uses?|using|engag\w*|trigger\w*|run|runs|ask|asks|let|lets)\s+"
         + _ARTICLE, "delegates_to"),
    )
)
# "use" and its kin also take tools and libraries: a CamelCase word after them is code.
_WEAK_VERB = _VERBS[-1][0]
_NAME_LIST_SEPARATOR = re.compile(r"^\s*(?:,|/|&|\band\b|\bor\b|,\s*and\b|,\s*or\b)\s*", re.IGNORECASE)
_ARROW = re.compile(r"(?<!\s)\s*(<-->|<->|-->|->|→|←|↔|⇄|⟶|⟵)\s*")  # (?<!\s): linear on long runs of spaces
_ARROW_DIRECTIONS = {"<->": "both", "<-->": "both", "↔": "both", "⇄": "both",
                     "->": "right", "-->": "right", "→": "right", "⟶": "right",
                     "←": "left", "⟵": "left"}
_YOU_ARE_HERE = re.compile(r"\byou are here\b|\(you\)", re.IGNORECASE)
_SUBAGENT_TYPE = re.compile(r"""subagent_type["']?\s*[:=]?\s*["']?([A-Za-z][\w:.-]*)""")
_CLAUSE_END = re.compile(r"[.;!?](?:\s|$)|\s[-–—]\s|:\s")


@dataclass(frozen=True)
class _Candidate:
    name: str  # as written, without markup
    start: int
    end: int
    marked: bool  # bold or backticks around exactly this name
    at: bool  # an @mention
    agent_after: bool  # followed by "agent" or "subagent"


def _candidates(line):
    found = []
    for match in _NAME.finditer(line):
        open_, close = match.group("open") or "", match.group("close") or ""
        marked = bool(open_ and close and open_ != "@" and open_.strip("`") == close.strip("`")[::-1]
                      and ("`" in open_) == ("`" in close))
        found.append(
            _Candidate(
                name=match.group("name"),
                start=match.start(),
                end=match.end(),
                marked=marked,
                at=open_ == "@",
                agent_after=bool(_FOLLOWED_BY_AGENT.match(line[match.end():])),
            )
        )
    return found


def _verb_scopes(line, candidates):
    """Map candidate start -> (kind, weak verb?) for names right after a verb, and the list
    that follows it ("Coordinate with A, B and C")."""
    scopes = {}
    for pattern, kind in _VERBS:
        weak = pattern is _WEAK_VERB
        for match in pattern.finditer(line):
            position = match.end()
            while True:
                position += len(line[position:]) - len(line[position:].lstrip("*` "))
                candidate = next((c for c in candidates if c.start <= position < c.end), None)
                if candidate is None:
                    break
                scopes.setdefault(candidate.start, (kind, weak))
                rest = line[candidate.end:]
                if candidate.agent_after:
                    rest = _FOLLOWED_BY_AGENT.sub("", rest, count=1)
                separator = _NAME_LIST_SEPARATOR.match(rest.lstrip("*`"))
                if not separator:
                    break
                position = len(line) - len(rest.lstrip("*`")) + separator.end()
    return scopes


# ---------------------------------------------------------------------------
# Extraction
# ---------------------------------------------------------------------------


class _Collector:
    """Keeps one edge per (kind, target), the first evidence, and drops self-references."""

    def __init__(self, self_names, skip_names):
        self._self = {compact_name(n) for n in self_names if n}
        self._self |= {compact_name(namespace_tail(n)) for n in self_names if n}
        self._skip = {compact_name(n) for n in skip_names}
        self.edges = {}

    def is_self(self, name):
        name = normalize_name(name)
        return compact_name(name) in self._self or compact_name(namespace_tail(name)) in self._self

    def add(self, kind, name, line, evidence):
        target = normalize_name(name)
        if not target or self.is_self(target) or compact_name(target) in self._skip:
            return
        key = (kind, target)
        if key not in self.edges:
            self.edges[key] = EdgeMention(kind, target, line, evidence.strip()[:_EVIDENCE_LIMIT])

    def result(self):
        strong = {target for (kind, target) in self.edges if kind != "mentions"}
        edges = [e for (kind, target), e in self.edges.items() if kind != "mentions" or target not in strong]
        return tuple(sorted(edges, key=lambda e: (e.line, EDGE_KINDS.index(e.kind), e.target)))


def _as_list(value):
    if value is None:
        return []
    if isinstance(value, str):
        return [value]
    if isinstance(value, (list, tuple)):
        return list(value)
    return []


_TOOL_CALL = re.compile(r"\b(?:Agent|Task)\(([^)]*)\)")


def _frontmatter_edges(frontmatter, collect):
    """Edges the frontmatter declares: delegation tools, handoffs, subagent lists."""
    if not isinstance(frontmatter, dict):
        return
    tools = frontmatter.get("tools")
    tool_texts = [tools] if isinstance(tools, str) else [t for t in _as_list(tools) if isinstance(t, str)]
    for text in tool_texts:
        for call in _TOOL_CALL.finditer(text):
            for name in re.split(r"[,\s]+", call.group(1)):
                if name and "=" not in name and "*" not in name:
                    collect.add("delegates_to", name, _FRONTMATTER_LINE, f"tools: {call.group(0)}")
    for handoff in _as_list(frontmatter.get("handoffs")):
        name = handoff.get("agent") if isinstance(handoff, dict) else handoff
        if isinstance(name, str) and name.strip():
            collect.add("hands_off_to", name, _FRONTMATTER_LINE, f"handoffs: agent: {name}")
    for key in ("agents", "subagents"):
        for name in _as_list(frontmatter.get(key)):
            if isinstance(name, str) and name.strip() and "*" not in name:
                collect.add("delegates_to", name, _FRONTMATTER_LINE, f"{key}: {name}")
    # OpenCode: "dependencies: [subagent:task-manager, context:core/standards]".
    for item in _as_list(frontmatter.get("dependencies")):
        if isinstance(item, str):
            prefix, _, name = item.partition(":")
            if prefix.strip() in {"subagent", "agent"} and name.strip():
                collect.add("delegates_to", name.strip(), _FRONTMATTER_LINE, f"dependencies: {item}")
    # OpenCode: "permission: {task: {contextscout: allow, '*': deny}}".
    for key in ("permission", "permissions"):
        block = frontmatter.get(key)
        task = block.get("task") if isinstance(block, dict) else None
        if isinstance(task, dict):
            for name, decision in task.items():
                if isinstance(name, str) and "*" not in name and str(decision).lower() in {"allow", "ask"}:
                    collect.add("delegates_to", name, _FRONTMATTER_LINE, f"{key}: task: {name}: {decision}")


class _Fences:
    """CommonMark fences: a closing fence repeats the marker and carries no info string."""

    def __init__(self):
        self.marker = None

    def step(self, line):
        """Feed one line; True when the line is inside a fence or is a fence line."""
        match = FENCE.match(line)
        if self.marker is None:
            if match and not (match.group(1)[0] == "`" and "`" in match.group(2)):
                self.marker = match.group(1)
                return True
            return False
        if match and match.group(1)[0] == self.marker[0] and len(match.group(1)) >= len(self.marker) \
                and not match.group(2).strip():
            self.marker = None
        return True


@dataclass(frozen=True)
class _Member:
    """One step of an arrow chain."""

    text: str
    arrow: str | None  # the arrow before this member; None for the first
    line: int


def _chain_members(text, lineno):
    pieces = _ARROW.split(text)
    return [
        _Member(pieces[i].strip(), pieces[i - 1] if i else None, lineno)
        for i in range(0, len(pieces), 2)
    ]


# Any single word may stand for the agent itself ("SWE"); other members must still
# look like names before they become edges.
_CHAIN_NAME = re.compile(
    r"^\[?\s*(?:\*\*|`)*([A-Za-z][A-Za-z0-9]*(?:[-_:][A-Za-z0-9]+)*)(?:\*\*|`)*\s*(?:$|\]|:|\(|\s[-–—]\s)"
)
_NUMBERING = re.compile(r"^\s*(?:[-*+]|\d+[.)])\s+")


def _chain_name(member):
    """The name a chain member stands for (or None), and whether it is the agent itself."""
    text = _NUMBERING.sub("", member.text).strip()
    match = _CHAIN_NAME.match(text)
    return (match.group(1) if match else None), bool(_YOU_ARE_HERE.search(text))


def _chain_edges(members, collect, evidence):
    """Edges from a workflow chain that contains the agent itself.

    The agent's neighbours take the direction of the arrow between them; members
    farther along the chain are only mentioned.
    """
    names = [_chain_name(m) for m in members]
    here = [i for i, (name, is_here) in enumerate(names) if is_here or (name and collect.is_self(name))]
    if not here:
        return
    position = here[0]
    for index, (name, _) in enumerate(names):
        if index == position or not name or not has_name_shape(name):
            continue
        if abs(index - position) == 1:
            direction = _ARROW_DIRECTIONS[members[max(index, position)].arrow]
            if direction == "both":
                kind = "peer"
            elif (direction == "right") == (index > position):
                kind = "hands_off_to"
            else:
                kind = "receives_from"
        else:
            kind = "mentions"
        collect.add(kind, name, members[index].line, evidence(members[index].line))


def _line_edges(line, lineno, context, collect):
    """Edges from names on one ordinary (unfenced) line."""
    candidates = _candidates(line)
    if not candidates:
        return
    verbs = _verb_scopes(line, candidates)
    # "Load the following skills: `gws-drive`, `gws-docs`" names skills, not agents.
    skills_line = context.skills or bool(_SKILL_WORD.search(line.lower()))
    arrows = [m.end() for m in _ARROW.finditer(line)]
    for candidate in candidates:
        name = candidate.name
        strict = looks_like_agent_name(name)
        shaped = has_name_shape(name)
        if skills_line and not candidate.agent_after:
            continue
        verb_kind, weak_verb = verbs.get(candidate.start, (None, False))
        camel = not SLUG.match(namespace_tail(name))
        if candidate.at:
            # "@code-reviewer"; not "@BeforeEach", "@ts-ignore" or "@some-github-user".
            if name.lower().startswith("agent-") and name.count("-") >= 2:
                name = name[len("agent-"):]  # Claude Code's "@agent-code-reviewer" form
            accepted = looks_like_agent_name(name) and not camel
        elif candidate.agent_after:
            accepted = strict or (candidate.marked and shaped and not camel)
        elif candidate.marked and context.kind and context.agentish:
            accepted = strict if camel else shaped
        elif camel:
            # CamelCase is mostly code ("StringBuilder"); it names an agent only when a
            # verb routes work to it ("Route to DomainAnalyzer").
            accepted = strict and verb_kind is not None and not weak_verb
        elif name_parts(name)[-1] in {"agent", "subagent"} and name.islower():
            # "the verification-agent will check" names an agent as plainly as a heading
            # (capitalised "PR-Agent" is more often a product).
            accepted = strict
        else:
            # "use" and "run" take tools and libraries as readily as agents, so they set
            # the kind of a name that is otherwise an agent but do not make one.
            strong_verb = verb_kind is not None and not weak_verb
            accepted = strict and (candidate.marked or strong_verb or context.kind is not None)
        if not accepted:
            continue
        if context.kind == "excludes":
            # "User directly → quality-validator presents results": the agent that takes
            # over is named right after the arrow, it is not the one excluded. Verbs do
            # not count here: "(use ux-strategist)" still names an agent kept out.
            after_arrow = any(0 <= candidate.start - a <= 2 for a in arrows)
            kind = "mentions" if after_arrow else "excludes"
        elif verb_kind:
            kind = verb_kind
        elif context.kind and context.kind != _INTEGRATION:
            kind = context.kind
        else:
            kind = "mentions"
        collect.add(kind, name, lineno, line)


def extract_edges(body, frontmatter, *, self_names=frozenset(), first_line=1):
    """Collaboration edges an agent declares in its frontmatter and body.

    ``first_line`` is the file line of the body's first line; edges from the frontmatter
    point at line 1. Names in ``self_names`` never become edges, nor do the skills the
    frontmatter lists.
    """
    frontmatter = frontmatter if isinstance(frontmatter, dict) else {}
    skills = []
    for key in ("skills", "skill"):
        value = frontmatter.get(key)
        if isinstance(value, str):
            skills += [s.strip() for s in value.split(",")]
        else:
            skills += [s for s in _as_list(value) if isinstance(s, str)]
    own_names = set(self_names)
    if isinstance(frontmatter.get("name"), str):
        own_names.add(frontmatter["name"])
    collect = _Collector(own_names, skills)
    _frontmatter_edges(frontmatter, collect)

    body, _ = repair_mojibake(body or "")
    lines = body.splitlines()
    sections = split_sections(body, first_line)
    starts = [s.line for s in sections]
    contexts = _section_contexts(sections)
    fences = _Fences()
    label_context = None  # set by a label line, until the next blank line or heading

    def evidence(lineno):
        return lines[lineno - first_line]

    chain = []  # members of an arrow chain still open at the end of the previous line
    for offset, raw in enumerate(lines):
        lineno = first_line + offset
        fenced = fences.step(raw)
        index = bisect.bisect_right(starts, lineno) - 1
        section_context = contexts[index] if index >= 0 else _Context(None, False, False)
        if index >= 0 and sections[index].line == lineno and sections[index].level > 0:
            label_context = None

        for match in _SUBAGENT_TYPE.finditer(raw):
            collect.add("delegates_to", match.group(1).rstrip(".:"), lineno, raw)

        # Chains count in fences too: where the agent places itself in a workflow is a
        # declaration, whatever block the author drew it in.
        if chain or _ARROW.search(raw):
            members = _chain_members(raw, lineno)
            if chain:  # the previous line ended with an arrow
                members[0] = _Member(members[0].text, chain[-1].arrow, lineno)
                members = chain[:-1] + members
            chain = members if len(members) > 1 and not members[-1].text else []
            if not chain:
                _chain_edges(members, collect, evidence)

        if fenced:
            continue
        if not raw.strip():
            label_context = None
            continue
        label = _LABEL.match(raw)
        if label:
            text = normalize_heading(label.group(1))
            own = _classify_heading(text)
            if own:
                agentish = bool(_AGENT_WORD.search(text)) or section_context.agentish
                label_context = _Context(own, agentish, False)
            elif _SKILL_WORD.search(text):
                label_context = _Context(None, False, True)
        context = label_context or section_context
        _line_edges(raw, lineno, context, collect)
    return collect.result()
