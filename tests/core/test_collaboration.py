"""Tests for catalog.core.collaboration: typed collaboration edges read from agent prose."""

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from catalog.core.collaboration import (
    EDGE_KINDS,
    NameIndex,
    extract_edges,
    looks_like_agent_name,
    resolve_name,
)
from catalog.core.text import repair_mojibake
from tests.helpers import read_seed


def load_seed(prefix, repair=True):
    """A seed's (body, frontmatter, first body line), split the simple way."""
    seed = read_seed(prefix, repair=repair)
    return seed.body, seed.frontmatter, seed.body_line


def seed_edges(prefix, repair=True):
    body, frontmatter, first_line = load_seed(prefix, repair)
    edges = extract_edges(body, frontmatter, self_names={frontmatter["name"]}, first_line=first_line)
    return edges, body, first_line


def pairs(edges):
    return {(e.kind, e.target) for e in edges}


def edges_of(body, frontmatter=None, self_names=frozenset({"me"}), first_line=1):
    return pairs(extract_edges(body, frontmatter or {}, self_names=self_names, first_line=first_line))


# ---------------------------------------------------------------------------
# The five seeds
# ---------------------------------------------------------------------------


def test_seed_000_upstream_downstream_and_peer_sections():
    """Seed 000 (mojibake) names three upstream, three downstream and three peer agents,
    and hands its work to reality-checker for verification; nothing else is an edge:
    not its skills (``nextjs-16-expert``), not team words (DevOps), not paths."""
    edges, _, _ = seed_edges("000")
    assert pairs(edges) == {
        ("receives_from", "senior-developer"),
        ("receives_from", "frontend-developer"),
        ("receives_from", "ai-engineer"),
        ("hands_off_to", "frontend-developer"),
        ("hands_off_to", "devops-automator"),
        ("hands_off_to", "senior-developer"),
        ("peer", "frontend-developer"),
        ("peer", "ai-engineer"),
        ("peer", "devops-automator"),
        ("hands_off_to", "reality-checker"),
    }


def test_seed_000_lines_point_into_the_file():
    """Each edge's line is the file line whose text is its evidence."""
    edges, body, first_line = seed_edges("000")
    lines = body.splitlines()
    for edge in edges:
        assert lines[edge.line - first_line].strip()[:300] == edge.evidence
    lines_by_edge = {(e.kind, e.target): e.line for e in edges}
    assert lines_by_edge[("receives_from", "senior-developer")] == 383
    assert lines_by_edge[("hands_off_to", "devops-automator")] == 407


def test_seed_000_mojibake_body_gives_the_same_edges():
    """extract_edges repairs mojibake itself, so an unrepaired body reads the same."""
    assert pairs(seed_edges("000", repair=False)[0]) == pairs(seed_edges("000")[0])


def test_seed_001_has_no_collaborators():
    """Seed 001 talks only about itself ("use the backend-architect agent") and libraries
    (express-validator, helmet.js): no edges."""
    assert seed_edges("001")[0] == ()


def test_seed_002_chain_sections_and_exclusions():
    """Seed 002 (backend-engineer) places itself in a chain, receives specifications from
    two agents, provides implementation to three, and lists seven agents it does not
    interact with. quality-validator, named after the arrow on the "User directly" line,
    takes over from it and is not excluded; farther chain members are only mentions,
    which the stronger edges to the same agents replace."""
    edges, _, _ = seed_edges("002")
    assert pairs(edges) == {
        ("receives_from", "system-architect"),
        ("receives_from", "requirement-analyst"),
        ("hands_off_to", "test-engineer"),
        ("hands_off_to", "verification-agent"),
        ("hands_off_to", "quality-validator"),
        ("excludes", "ux-strategist"),
        ("excludes", "css-specialist"),
        ("excludes", "ui-engineer"),
        ("excludes", "design-reviewer"),
        ("excludes", "react-18-specialist"),
        ("excludes", "nextjs-14-specialist"),
        ("excludes", "infrastructure-engineer"),
    }


def test_seed_002_workflow_chain_alone():
    """The fenced two-line chain of seed 002, read on its own, gives the immediate
    neighbours a direction and mentions the rest."""
    body, frontmatter, _ = load_seed("002")
    start = body.index("### Agent Workflow Chain")
    end = body.index("**Note**", start)
    assert edges_of(body[start:end], self_names={"backend-engineer"}) == {
        ("mentions", "requirement-analyst"),
        ("receives_from", "system-architect"),
        ("hands_off_to", "test-engineer"),
        ("mentions", "verification-agent"),
        ("mentions", "quality-validator"),
    }


def test_seed_003_middleware_arrows_are_not_agents():
    """Seed 003's "CORS → Authentication → Routes" is a middleware order, not a chain."""
    assert seed_edges("003")[0] == ()


def test_seed_004_has_no_collaborators():
    """Seed 004 names technologies and files (CLAUDE.md, Express-validator, FastAPI →
    Pydantic chains) but no agent in a way that proves it; bare CamelCase ("MasterAgent")
    is not enough."""
    assert seed_edges("004")[0] == ()


# ---------------------------------------------------------------------------
# Headings and labels
# ---------------------------------------------------------------------------


def test_section_headings_give_kinds_and_subsections_inherit():
    """Upstream, Downstream, Peer and Does NOT Interact With headings type the names under
    them, including names in sub-headings."""
    body = """# Me

## Upstream Dependencies
### Planning
- **product-owner** sends requirements

## Provides Output To
#### 1. qa-engineer
Gets the build.

## Works Alongside
- `ux-designer` for flows

## Does NOT Interact With
- **sales-engineer**
"""
    assert edges_of(body) == {
        ("receives_from", "product-owner"),
        ("hands_off_to", "qa-engineer"),
        ("peer", "ux-designer"),
        ("excludes", "sales-engineer"),
    }


def test_collaboration_heading_does_not_leak_into_the_next_section():
    """A sibling heading ends the collaboration section."""
    body = "## Downstream\n- **qa-engineer**\n\n## Examples\n- **code-reviewer** is mentioned\n"
    assert edges_of(body) == {("hands_off_to", "qa-engineer"), ("mentions", "code-reviewer")}


def test_integration_with_other_agents_verbs_decide():
    """VoltAgent's label list: each line's verb decides the kind."""
    body = """Integration with other agents:
- Receive API specifications from api-designer
- Provide endpoints to frontend-developer
- Provide Node.js types to typescript-pro
- Hand off releases to deployment-engineer
- Share schemas with database-optimizer
- Collaborate with security-auditor on vulnerabilities
- Work with devops-engineer on deployment
- Partner with data-scientist on models
- Support mobile-developer with API needs
- Delegate load tests to performance-engineer
- Coordinate with microservices-architect, cloud-architect and sre-engineer
- Ask qa-expert or test-automator about coverage
"""
    assert edges_of(body) == {
        ("receives_from", "api-designer"),
        ("hands_off_to", "frontend-developer"),
        ("hands_off_to", "typescript-pro"),
        ("hands_off_to", "deployment-engineer"),
        ("peer", "database-optimizer"),
        ("peer", "security-auditor"),
        ("peer", "devops-engineer"),
        ("peer", "data-scientist"),
        ("peer", "mobile-developer"),
        ("delegates_to", "performance-engineer"),
        ("peer", "microservices-architect"),
        ("peer", "cloud-architect"),
        ("peer", "sre-engineer"),
        ("delegates_to", "qa-expert"),
        ("delegates_to", "test-automator"),
    }


def test_label_context_ends_at_blank_line():
    """A label's kind lasts until the list ends."""
    body = "**Upstream**:\n- **api-designer**\n\nLater, **code-reviewer** is cited.\n"
    assert edges_of(body) == {("receives_from", "api-designer"), ("mentions", "code-reviewer")}


def test_available_subagents_section_delegates():
    """An "Available Subagents" list delegates to every backticked slug in it, even
    names without a role word, and to CamelCase names with one."""
    body = (
        "## Available Subagents (invoke via task tool)\n"
        "- `gem-critic` - critiques\n- `TaskManager` - plans\n- `TodoWrite` - a tool\n"
    )
    assert edges_of(body) == {("delegates_to", "gem-critic"), ("delegates_to", "task-manager")}


def test_package_dependencies_are_not_upstream_agents():
    """A plain "Dependencies" heading lists packages, not agents."""
    body = (
        "## Dependencies\n- `react-dom`\n- `express-validator`\n- `webpack-bundle-analyzer`\n"
        "## Dependency Scanning via AI Coding Agents\n- Install the `advanced-security` plugin\n"
    )
    assert edges_of(body) == set()


def test_skills_sections_and_frontmatter_skills_are_not_agents():
    """Skills named like agents ("nextjs-16-expert") are skills, not collaborators."""
    body = "## Required Skills\n- **`react-expert`** for hooks\n\nAlso load **`typescript-5-expert`**.\n"
    assert edges_of(body, {"skills": "typescript-5-expert"}) == set()


# ---------------------------------------------------------------------------
# Arrows and chains
# ---------------------------------------------------------------------------


def test_chain_with_you_are_here():
    """Immediate predecessor receives_from, immediate successor hands_off_to, the rest
    of the chain is mentioned."""
    body = "planner-agent -> spec-writer -> [me: YOU ARE HERE] -> test-engineer -> release-manager\n"
    assert edges_of(body) == {
        ("mentions", "planner-agent"),
        ("receives_from", "spec-writer"),
        ("hands_off_to", "test-engineer"),
        ("mentions", "release-manager"),
    }


def test_chain_found_by_own_name_and_broken_over_lines_in_a_fence():
    """A chain may name the agent itself instead of saying YOU ARE HERE, and may wrap."""
    body = "```\nspec-writer →\nbackend-engineer → test-engineer\n```\n"
    edges = extract_edges(body, {}, self_names={"backend-engineer"})
    assert pairs(edges) == {("receives_from", "spec-writer"), ("hands_off_to", "test-engineer")}
    assert {e.target: e.line for e in edges} == {"spec-writer": 2, "test-engineer": 3}


def test_left_arrow_reverses_the_direction():
    """``me ← spec-writer`` means work flows from spec-writer to me."""
    assert edges_of("me ← spec-writer\nqa-engineer ← me\n") == {
        ("receives_from", "spec-writer"),
        ("hands_off_to", "qa-engineer"),
    }


def test_two_way_arrow_with_self_is_peer():
    """``A ↔ me`` and ``me <-> B`` are peers."""
    assert edges_of("- **ux-designer** ↔ **me**: shared specs\n- me <-> api-designer\n") == {
        ("peer", "ux-designer"),
        ("peer", "api-designer"),
    }


def test_arrows_without_self_are_not_chains():
    """Arrow lines that do not include the agent give no chain edges."""
    body = "CORS → Authentication → Routes\nreal-time → end-to-end\nspec-writer → test-engineer\n"
    assert edges_of(body) == set()


# ---------------------------------------------------------------------------
# Frontmatter
# ---------------------------------------------------------------------------


def test_frontmatter_delegation_tools_and_handoffs():
    """``Agent(...)``/``Task(...)`` in tools delegate; Copilot handoffs hand off."""
    frontmatter = {
        "tools": "Read, Agent(worker, researcher), Task(code-reviewer), Bash",
        "handoffs": [{"label": "Plan", "agent": "planner", "prompt": "Make a plan"}],
    }
    edges = extract_edges("", frontmatter, self_names={"me"})
    assert pairs(edges) == {
        ("delegates_to", "worker"),
        ("delegates_to", "researcher"),
        ("delegates_to", "code-reviewer"),
        ("hands_off_to", "planner"),
    }
    assert all(e.line == 1 for e in edges)


def test_frontmatter_tools_as_a_list():
    """``tools`` may be a YAML list."""
    assert edges_of("", {"tools": ["Read", "Agent(explorer)"]}) == {("delegates_to", "explorer")}


def test_frontmatter_agents_and_opencode_dependencies():
    """Copilot ``agents:`` lists, OpenCode ``subagent:`` dependencies and allowed task
    permissions delegate; context dependencies and wildcards do not."""
    frontmatter = {
        "agents": ["SWE", "*"],
        "dependencies": ["subagent:task-manager", "context:core/standards/code"],
        "permission": {"task": {"contextscout": "allow", "*": "deny", "tester": "deny"}},
    }
    assert edges_of("", frontmatter) == {
        ("delegates_to", "swe"),
        ("delegates_to", "task-manager"),
        ("delegates_to", "contextscout"),
    }


def test_frontmatter_name_counts_as_self():
    """An agent does not hand off to itself even when the caller passes no self_names."""
    assert extract_edges("- **api-designer** ↔ me\n", {"name": "api-designer"}) == ()


# ---------------------------------------------------------------------------
# Body patterns
# ---------------------------------------------------------------------------


def test_subagent_type_delegates_even_in_code_fences():
    """``subagent_type`` is explicit wherever it appears; CamelCase becomes a slug."""
    body = (
        '```js\ntask(subagent_type="ContextScout", prompt="...")\n```\n'
        '- subagent_type: "general-purpose"\n'
    )
    assert edges_of(body) == {("delegates_to", "context-scout"), ("delegates_to", "general-purpose")}


def test_other_names_in_code_fences_do_not_count():
    """Bold, backticked or "X agent" names inside a fence are code or examples."""
    body = "```markdown\nUse the code-reviewer agent with **security-auditor**.\n@test-engineer\n```\n"
    assert edges_of(body) == set()


def test_use_the_x_agent_delegates_and_plain_reference_mentions():
    """Invoking a named agent delegates; naming it mentions it."""
    body = "Use the code-reviewer agent after each change.\nThe `gem-critic` agent may object.\n"
    assert edges_of(body) == {("delegates_to", "code-reviewer"), ("mentions", "gem-critic")}


def test_at_mentions():
    """``@code-reviewer`` (or Claude Code's ``@agent-code-reviewer``) mentions an agent;
    package scopes, decorators, e-mail addresses and GitHub users do not."""
    body = (
        "Ask @agent-security-auditor to look. Ping @code-reviewer.\n"
        "import x from '@types/node'; @BeforeEach, @ts-ignore, cc @luis-serrano, me@example-site.com\n"
    )
    assert edges_of(body) == {("delegates_to", "security-auditor"), ("mentions", "code-reviewer")}


def test_bare_names_need_context():
    """A bare hyphenated name outside a collaboration section or verb is not an edge,
    while "hand off to" or a name ending in -agent is."""
    body = (
        "The code-reviewer finds bugs.\nHands off to test-engineer for testing.\n"
        "The verification-agent checks tags.\n"
    )
    assert edges_of(body) == {("hands_off_to", "test-engineer"), ("mentions", "verification-agent")}


def test_camelcase_code_words_are_not_agents():
    """CamelCase only counts after a verb that routes work: not ``StringBuilder``."""
    body = "Use StringBuilder and `HostBuilder`. Route to DomainAnalyzer for analysis.\n"
    assert edges_of(body) == {("hands_off_to", "domain-analyzer")}


def test_paths_and_files_are_not_names():
    """Hyphenated words in paths and file names are not agents."""
    body = (
        "## Peer Collaboration\n"
        "- See `.agency/backend-architect/plan.md` and src/user-routes.ts\n- `docs/code-reviewer`\n"
    )
    assert edges_of(body) == set()


@pytest.mark.parametrize(
    "word",
    ["real-time", "full-stack", "end-to-end", "high-level", "server-side", "e-commerce",
     "read-only", "long-term", "multi-agent", "sub-agent", "AI-powered", "context-aware",
     "fine-tuned", "user-agent", "GPT-4o", "step-by-step"],
)
def test_ordinary_hyphenated_words_never_become_edges(word):
    """Ordinary hyphenated words are prose in every position an agent name could take."""
    body = (
        f"`{word}` and **{word}** and @{word}.\nUse the {word} agent. A {word} subagent.\n"
        f"## Peer Collaboration\n- **{word}**\n- Work with {word} on it\n"
        f"## Available Agents\n- `{word}`\n"
        f"me → {word}\n"
    )
    assert edges_of(body) == set()
    assert not looks_like_agent_name(word)


# ---------------------------------------------------------------------------
# Edge bookkeeping
# ---------------------------------------------------------------------------


def test_one_edge_per_kind_and_target_keeps_first_evidence():
    """Repeated references collapse to the first one."""
    body = "## Downstream\n- **qa-engineer** first\n- **qa-engineer** second\n"
    edges = extract_edges(body, {}, self_names={"me"}, first_line=10)
    assert len(edges) == 1
    assert edges[0].line == 11 and edges[0].evidence == "- **qa-engineer** first"


def test_stronger_kind_replaces_mentions():
    """A mention disappears when the same target has a typed edge; other kinds coexist."""
    body = "The **api-designer** is great.\n\n## Upstream\n- **api-designer**\n## Peers\n- **api-designer**\n"
    assert edges_of(body) == {("receives_from", "api-designer"), ("peer", "api-designer")}


def test_self_is_never_a_target():
    """The agent's own names, in any spelling, never become edges."""
    body = (
        "## Peer Collaboration\n- **Backend-Architect**\n- `backend-architect`\n"
        "## Chain\n[backend_architect: YOU ARE HERE] → qa-engineer\n"
    )
    assert edges_of(body, self_names={"backend-architect"}) == {("hands_off_to", "qa-engineer")}


def test_evidence_is_stripped_and_truncated():
    """Evidence is the stripped source line, at most 300 characters."""
    line = "   - Work with devops-engineer on " + "x" * 400
    (edge,) = extract_edges(line, {}, self_names={"me"})
    assert edge.evidence == line.strip()[:300]


def test_kinds_are_the_documented_ones():
    """Every edge kind produced is one of EDGE_KINDS."""
    edges, _, _ = seed_edges("002")
    assert {e.kind for e in edges} <= set(EDGE_KINDS)


# ---------------------------------------------------------------------------
# Name guard and resolution
# ---------------------------------------------------------------------------


@pytest.mark.parametrize("token", ["code-reviewer", "rust-pro", "TaskManager", "react-18-specialist",
                                   "superpowers:code-reviewer", "`api-designer`"])
def test_agent_names_pass_the_guard(token):
    """Hyphenated or CamelCase names ending in a role pass."""
    assert looks_like_agent_name(token)


@pytest.mark.parametrize("token", ["reviewer", "react-dom", "StringLoader", "space_explorer", "gemini-pro",
                                   "agent-name", "my-agent"])
def test_other_tokens_fail_the_guard(token):
    """Single words, packages, snake_case, models and placeholders fail."""
    assert not looks_like_agent_name(token)


@pytest.fixture
def index():
    return NameIndex(
        [
            ("voltagent/code-reviewer", "voltagent", "code-reviewer", "code-reviewer"),
            ("davila/code-reviewer", "davila", "code-reviewer", "Code Reviewer"),
            ("openagents/contextscout", "openagents", "contextscout", "ContextScout"),
            ("openagents/task-manager", "openagents", "task-manager", "TaskManager"),
            ("davila/api-designer", "davila", "api-designer", "API Designer"),
            ("odd/real-time", "odd", "real-time", "Real Time"),
        ]
    )


def test_resolution_prefers_the_same_collection(index):
    """The same collection wins over the rest of the catalog."""
    assert index.resolve("code-reviewer", "davila") == "davila/code-reviewer"
    assert index.resolve("code-reviewer", "voltagent") == "voltagent/code-reviewer"


def test_resolution_falls_back_to_the_whole_catalog(index):
    """A name missing from the collection resolves anywhere else."""
    assert resolve_name("api-designer", collection="voltagent", index=index) == "davila/api-designer"


def test_resolution_by_display_name_ignores_case_spaces_and_hyphens(index):
    """``context-scout`` (from ``subagent_type="ContextScout"``) finds the contextscout agent;
    ``API designer`` finds api-designer; a namespace is dropped when needed."""
    assert index.resolve("context-scout", "openagents") == "openagents/contextscout"
    assert index.resolve("API designer", "x") == "davila/api-designer"
    assert index.resolve("plugin:task-manager", "x") == "openagents/task-manager"


def test_resolution_returns_none_for_unknown_and_ordinary_words(index):
    """Unknown names stay unresolved, and ordinary words never resolve."""
    assert index.resolve("ghost-writer", "davila") is None
    assert index.resolve("real-time", "odd") is None
    assert index.resolve("", "davila") is None


_PROSE_PIECES = st.sampled_from(
    ["## Upstream\n", "## Does NOT Interact With\n", "Integration with other agents:\n", "```\n",
     "- **code-reviewer** ", "`api-designer` ", "me → ", " ← ", "[x: YOU ARE HERE]", "real-time ",
     "@qa-expert ", "subagent_type=\"Explore\" ", "Work with ", "the ", "agent ", "\n", "-", "`", "**",
     ":", "é", "â€™"]
)


@settings(max_examples=200, deadline=None)
@given(st.lists(st.one_of(_PROSE_PIECES, st.text(max_size=8)), max_size=40), st.integers(1, 50))
def test_any_text_gives_well_formed_edges(pieces, first_line):
    """Arbitrary Markdown never raises, and every edge is well formed: a known kind, a
    non-empty target that is not the agent itself, a line inside the body and short
    evidence."""
    body = "".join(pieces)
    edges = extract_edges(body, {}, self_names={"me"}, first_line=first_line)
    line_count = max(1, len(repair_mojibake(body)[0].splitlines()))
    for edge in edges:
        assert edge.kind in EDGE_KINDS
        assert edge.target and edge.target != "me"
        assert first_line <= edge.line < first_line + line_count
        assert len(edge.evidence) <= 300
    assert len({(e.kind, e.target) for e in edges}) == len(edges)
