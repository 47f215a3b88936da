"""Tests for catalog.core.parsing: decoding, frontmatter, the lenient reader, limits, tools."""

import codecs
import hashlib
import json
import time

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from catalog.core.parsing import (
    MAX_FILE_BYTES,
    MAX_FRONTMATTER_BYTES,
    MAX_YAML_DEPTH,
    ParsedFile,
    Rejected,
    decode,
    parse_definition,
    parse_tools,
    read_frontmatter,
    split_frontmatter,
)
from tests.helpers import CORPUS, seed_path, seed_paths

AGENT = "---\nname: probe\ndescription: Checks things.\n---\n# Probe\n\nBody text.\n"


def parse(text, path="agents/probe.md", kind="agent", format="claude-code", namespace=""):
    raw = text.encode("utf-8") if isinstance(text, str) else text
    return parse_definition(raw, path, kind, format, namespace)


def codes(problems):
    return {p.code for p in problems}


# --- decode ----------------------------------------------------------------------------


def test_decode_strips_utf8_bom():
    """A UTF-8 BOM is removed and reported as nothing wrong."""
    text, problems = decode(codecs.BOM_UTF8 + AGENT.encode())
    assert text == AGENT
    assert problems == []


@pytest.mark.parametrize("encoding", ["utf-16", "utf-16-le", "utf-16-be"])
def test_decode_reads_utf16_with_bom(encoding):
    """UTF-16 files with a byte order mark decode to the same text as UTF-8 ones."""
    bom = {"utf-16-le": codecs.BOM_UTF16_LE, "utf-16-be": codecs.BOM_UTF16_BE}.get(encoding, b"")
    text, problems = decode(bom + AGENT.encode(encoding))
    assert text == AGENT
    assert problems == []


def test_decode_reads_bomless_utf16():
    """UTF-16 without a BOM is recognised by its NUL pattern, not reported as NUL bytes."""
    text, problems = decode(AGENT.encode("utf-16-le"))
    assert text == AGENT
    assert problems == []


def test_decode_normalizes_crlf_and_cr():
    """Windows and old-Mac line ends become \\n."""
    text, _ = decode(b"a\r\nb\rc\n")
    assert text == "a\nb\nc\n"


def test_decode_removes_nul_bytes_with_a_warning():
    """NUL bytes are dropped and reported with the line of the first one."""
    text, problems = decode(b"first\nsec\x00ond\x00\n")
    assert text == "first\nsecond\n"
    [problem] = problems
    assert (problem.code, problem.severity, problem.line) == ("nul-bytes", "warning", 2)


def test_decode_reports_invalid_utf8_and_replaces_it():
    """Bytes that are not UTF-8 become U+FFFD and the first bad line is reported."""
    text, problems = decode(b"ok\ncaf\xe9 au lait\n")
    assert text == "ok\ncaf\ufffd au lait\n"
    [problem] = problems
    assert (problem.code, problem.line) == ("invalid-utf8", 2)


def test_decode_repairs_mojibake_mixed_with_correct_text_on_one_line():
    """Emoji read as cp1252 are repaired even beside correctly encoded emoji on the line."""
    text, problems = decode("## ðŸ§  Identity and 🎯 goals — ðŸš¨ rules\n".encode())
    assert text == "## 🧠 Identity and 🎯 goals — 🚨 rules\n"
    [problem] = problems
    assert (problem.code, problem.line) == ("mojibake-repaired", 1)


def test_decode_leaves_legitimate_accented_pairs_alone():
    """Text that only resembles mojibake ("1×–2", "café–bar") is not rewritten."""
    original = "Ratio 1×–1.35×, café–bar, naïve.\n"
    text, problems = decode(original.encode())
    assert text == original
    assert problems == []


# --- split_frontmatter -----------------------------------------------------------------


def test_split_plain_frontmatter_reports_body_line():
    """The body starts on the line after the closing fence."""
    yaml_text, body, body_line, problems = split_frontmatter(AGENT)
    assert yaml_text == "name: probe\ndescription: Checks things."
    assert body.startswith("# Probe")
    assert body_line == 5
    assert problems == []


def test_split_survives_bom_and_crlf():
    """A BOM and CRLF line ends do not hide the frontmatter."""
    yaml_text, body, body_line, _ = split_frontmatter("\ufeff" + AGENT.replace("\n", "\r\n"))
    assert yaml_text == "name: probe\ndescription: Checks things."
    assert body_line == 5


def test_split_accepts_blank_line_after_opening_fence():
    """A blank line after the opening fence still leaves a readable frontmatter."""
    text = "---\n\nname: probe\ndescription: d\n---\nbody\n"
    yaml_text, body, body_line, _ = split_frontmatter(text)
    assert read_frontmatter(yaml_text)[0] == {"name": "probe", "description": "d"}
    assert (body, body_line) == ("body\n", 6)


def test_split_dedents_indented_frontmatter():
    """Frontmatter indented as a block (fences too) is dedented to column 0."""
    text = "  ---\n  name: probe\n  description: d\n  ---\nbody"
    yaml_text, body, _, _ = split_frontmatter(text)
    assert yaml_text == "name: probe\ndescription: d"
    assert body == "body"


def test_split_accepts_long_closing_fence():
    """A closing fence of more than three dashes closes the frontmatter."""
    yaml_text, body, body_line, _ = split_frontmatter("---\nname: probe\n-----\nbody")
    assert (yaml_text, body, body_line) == ("name: probe", "body", 4)


def test_split_without_frontmatter_returns_whole_text():
    """No opening fence: the whole text is the body, from line 1."""
    assert split_frontmatter("# Title\n\ntext\n") == (None, "# Title\n\ntext\n", 1, [])


def test_split_unclosed_fence_is_a_warning_not_frontmatter():
    """An opening fence that is never closed leaves the text as body, with a warning."""
    yaml_text, body, body_line, problems = split_frontmatter("---\nname: x\nno end\n")
    assert yaml_text is None and body_line == 1
    assert codes(problems) == {"frontmatter-unclosed"}


# --- files without frontmatter ---------------------------------------------------------


def test_no_frontmatter_takes_name_from_file_and_description_from_first_paragraph():
    """Name from the file name, description from the first prose paragraph."""
    parsed = parse(
        "# Grader Agent\n\nEvaluate expectations\nagainst a transcript.\n\n## Role\n", "skills/x/agents/grader.md"
    )
    assert parsed.name == "grader"
    assert parsed.slug == "grader"
    assert parsed.description == "Evaluate expectations against a transcript."
    assert parsed.frontmatter == {}
    assert {"missing-name", "missing-description"} <= codes(parsed.problems)


def test_missing_name_is_info_for_commands_and_warning_for_agents():
    """Commands are named by their file by design; a Claude Code agent should have a name."""
    command = parse("---\ndescription: d\n---\nx", "commands/ship.md", kind="command")
    agent = parse("---\ndescription: d\n---\nx", "agents/ship.md")
    assert [p.severity for p in command.problems if p.code == "missing-name"] == ["info"]
    assert [p.severity for p in agent.problems if p.code == "missing-name"] == ["warning"]


# --- the lenient reader ----------------------------------------------------------------


def lenient(yaml_text):
    mapping, is_lenient, problems = read_frontmatter(yaml_text)
    assert is_lenient
    assert "yaml-lenient" in codes(problems)
    return mapping


def test_lenient_unquoted_colon_in_description():
    """An unquoted ': ' inside a description keeps the whole sentence."""
    mapping = lenient("name: x\ndescription: Use it when: things break. Triggers on: 'a'\ntools: Read")
    assert mapping == {"name": "x", "description": "Use it when: things break. Triggers on: 'a'", "tools": "Read"}


def test_lenient_argument_hint_with_pipe():
    """argument-hint: [a] | [b] is kept as written instead of starting a block scalar."""
    mapping = lenient("allowed-tools: Read, Bash(git:*)\nargument-hint: [--fast] | [--full]\ndescription: Cleans up")
    assert mapping["argument-hint"] == "[--fast] | [--full]"
    assert mapping["allowed-tools"] == "Read, Bash(git:*)"
    assert mapping["description"] == "Cleans up"


def test_lenient_tools_star():
    """tools: * (an alias to YAML) means every tool."""
    mapping = lenient("name: x\ndescription: d\ntools: *")
    assert mapping["tools"] == "*"


def test_lenient_value_starting_with_bold():
    """A description starting with ** is kept as text."""
    assert lenient("description: **Important** agent for X\nname: x")["description"] == "**Important** agent for X"


def test_lenient_multiline_continuation_belongs_to_previous_value():
    """Continuation lines, indented or not, fold into the value before them."""
    mapping = lenient("name: x\ndescription: Does: many things\n  across lines\nand more here\nmodel: opus")
    assert mapping == {"name": "x", "description": "Does: many things across lines and more here", "model": "opus"}


def test_lenient_reader_does_not_invent_keys_from_a_description():
    """Lines inside a description that look like keys (Context:, user:, example tags) stay in it."""
    yaml_text = (
        "name: x\n"
        "description: Use this agent for: reviews. Examples:\n"
        "Context: the user wrote code\n"
        "<example>\n"
        "reviewer: looks good\n"
        "</example>\n"
        "user: please review\n"
        "  tools: not a key either\n"
        "color: blue"
    )
    mapping = lenient(yaml_text)
    assert list(mapping) == ["name", "description", "color"]
    assert "Context: the user wrote code" in mapping["description"]
    assert "reviewer: looks good" in mapping["description"]
    assert "user: please review" in mapping["description"]


def test_lenient_warning_points_at_the_yaml_error_line():
    """The yaml-lenient warning carries the file line of the YAML error."""
    _, _, problems = read_frontmatter("name: x\nargument-hint: [a] | [b]\n", first_line=2)
    [problem] = [p for p in problems if p.code == "yaml-lenient"]
    assert problem.line == 3


def test_lenient_entries_that_are_valid_yaml_keep_their_types():
    """Entries YAML can read on their own keep lists, numbers and booleans."""
    mapping = lenient("description: a: b\ntools:\n  - Read\n  - Grep\ntemperature: 0.2\nhidden: true")
    assert mapping["tools"] == ["Read", "Grep"]
    assert mapping["temperature"] == 0.2
    assert mapping["hidden"] is True


# --- limits ----------------------------------------------------------------------------


def rejected_code(call, *args):
    with pytest.raises(Rejected) as info:
        call(*args)
    assert info.value.problem.severity == "error"
    return info.value.problem.code


def test_file_over_one_mebibyte_is_rejected():
    """Files larger than MAX_FILE_BYTES are refused before decoding."""
    raw = AGENT.encode() + b"x" * MAX_FILE_BYTES
    assert rejected_code(parse, raw) == "file-too-large"


def test_frontmatter_over_64_kib_is_rejected():
    """Frontmatter larger than MAX_FRONTMATTER_BYTES is refused."""
    text = "---\nname: x\ndescription: " + "y" * MAX_FRONTMATTER_BYTES + "\n---\nbody"
    assert rejected_code(parse, text) == "frontmatter-too-large"


def billion_laughs(levels=9):
    lines = ['a0: &a0 "lol"']
    for level in range(1, levels + 1):
        refs = ", ".join(f"*a{level - 1}" for _ in range(10))
        lines.append(f"a{level}: &a{level} [{refs}]")
    return "\n".join(lines)


def test_billion_laughs_is_rejected_quickly():
    """Aliases to anchors are refused, so a YAML bomb ends at once with "yaml-alias"."""
    start = time.perf_counter()
    code = rejected_code(parse, f"---\nname: x\n{billion_laughs()}\n---\nbody")
    print(f"billion laughs rejected in {1000 * (time.perf_counter() - start):.1f} ms")
    assert code == "yaml-alias"


def test_deep_nesting_is_rejected():
    """Nesting deeper than MAX_YAML_DEPTH is refused, even far deeper than the C stack allows."""
    for depth in (MAX_YAML_DEPTH + 1, 30_000):
        text = "---\nname: x\ndeep: " + "[" * depth + "]" * depth + "\n---\nbody"
        start = time.perf_counter()
        assert rejected_code(parse, text) == "yaml-too-deep"
        print(f"depth {depth} rejected in {1000 * (time.perf_counter() - start):.1f} ms")


def test_nesting_up_to_the_bound_is_accepted():
    """MAX_YAML_DEPTH levels (the top mapping included) still load."""
    depth = MAX_YAML_DEPTH - 1
    mapping, _, _ = read_frontmatter("deep: " + "[" * depth + "]" * depth)
    assert "deep" in mapping


def test_deep_block_nesting_is_rejected():
    """Block-style nesting counts too."""
    lines = [" " * (2 * level) + f"k{level}:" for level in range(MAX_YAML_DEPTH + 2)]
    assert rejected_code(read_frontmatter, "\n".join(lines) + " end") == "yaml-too-deep"


def test_undefined_alias_is_not_a_bomb():
    """'*word' without an anchor is just bad YAML: read leniently, not rejected."""
    mapping, is_lenient, _ = read_frontmatter("description: *Very* useful\nname: x")
    assert is_lenient and mapping["description"] == "*Very* useful"


def test_frontmatter_list_is_not_a_mapping():
    """A YAML list as frontmatter is ignored with a warning; the file reads as having none."""
    parsed = parse("---\n- a\n- b\n---\nFirst paragraph.\n", "agents/listy.md")
    assert "frontmatter-not-mapping" in codes(parsed.problems)
    assert parsed.frontmatter == {}
    assert parsed.body_line == 1
    assert parsed.name == "listy"


def test_fences_around_prose_are_not_frontmatter():
    """A scalar between '---' rules is prose; the description comes from it."""
    parsed = parse("---\nJust some prose here.\n---\n", "agents/rule.md")
    assert "frontmatter-not-mapping" in codes(parsed.problems)
    assert parsed.description == "Just some prose here."


def test_duplicate_keys_last_wins_with_warning():
    """A repeated key keeps its last value and is reported."""
    mapping, _, problems = read_frontmatter("name: a\nname: b\n", first_line=2)
    assert mapping == {"name": "b"}
    [problem] = [p for p in problems if p.code == "duplicate-key"]
    assert problem.line == 3


# --- values ----------------------------------------------------------------------------


def test_non_string_values_are_json_safe_and_faithful():
    """Dates become ISO strings; numbers, booleans, nulls and maps keep their JSON types."""
    yaml_text = (
        "name: x\ndate_added: 2024-01-02\nupdated: 2024-01-02 10:30:00\nversion: 2.0\ncount: 3\n"
        "hidden: false\nlicense: null\nmetadata:\n  nested: {a: 1}\nhuge: 123456789012345678901234567890\n"
        "1: numeric key\nweird: .inf"
    )
    mapping, is_lenient, _ = read_frontmatter(yaml_text)
    assert not is_lenient
    assert mapping["date_added"] == "2024-01-02"
    assert mapping["updated"] == "2024-01-02T10:30:00"
    assert mapping["version"] == 2.0 and isinstance(mapping["version"], float)
    assert mapping["count"] == 3 and mapping["hidden"] is False and mapping["license"] is None
    assert mapping["metadata"] == {"nested": {"a": 1}}
    assert mapping["huge"] == "123456789012345678901234567890"
    assert mapping["1"] == "numeric key"
    assert mapping["weird"] == "inf"
    assert json.loads(json.dumps(mapping, allow_nan=False)) == mapping
    assert list(mapping)[:3] == ["name", "date_added", "updated"]


def test_model_and_color_are_text():
    """model and color are strings, "" when absent."""
    parsed = parse("---\nname: x\ndescription: d\nmodel: 4.5\n---\n")
    assert (parsed.model, parsed.color) == ("4.5", "")


def test_impossible_date_falls_back_to_text():
    """A date YAML cannot build (month 13) is kept as written."""
    mapping, _, _ = read_frontmatter("name: x\ndate_added: 2024-13-45")
    assert mapping["date_added"] == "2024-13-45"


# --- tools -----------------------------------------------------------------------------


def names(refs):
    return [(ref.name, ref.pattern) for ref in refs]


def test_tools_comma_string_keeps_commas_inside_patterns():
    """Commas inside parentheses belong to the pattern."""
    refs = parse_tools("Read, Bash(git add:*, git commit:*), Write")
    assert names(refs) == [("Read", ""), ("Bash", "git add:*, git commit:*"), ("Write", "")]
    assert refs[1].raw == "Bash(git add:*, git commit:*)"


def test_tools_space_separated_string():
    """Without commas, spaces separate tools (but not inside parentheses)."""
    assert names(parse_tools("Read Edit Bash(gh pr:*)")) == [("Read", ""), ("Edit", ""), ("Bash", "gh pr:*")]


def test_tools_yaml_list():
    """A YAML list is read item by item."""
    assert names(parse_tools(["Read", "Bash(ls *)"])) == [("Read", ""), ("Bash", "ls *")]


def test_tools_opencode_map():
    """An OpenCode map gives enabled flags; lowercase names become the built-ins."""
    refs = parse_tools({"write": False, "bash": True, "read": True})
    assert [(r.raw, r.name, r.kind, r.enabled) for r in refs] == [
        ("write", "Write", "builtin", False),
        ("bash", "Bash", "builtin", True),
        ("read", "Read", "builtin", True),
    ]


def test_legacy_tool_names_map_to_todays_names():
    """Task, MultiEdit, LS and NotebookRead map to Agent, Edit, Glob and Read."""
    refs = parse_tools("Task, MultiEdit, LS, NotebookRead, Grep")
    assert [(r.name, r.legacy, r.kind) for r in refs] == [
        ("Agent", "Task", "builtin"),
        ("Edit", "MultiEdit", "builtin"),
        ("Glob", "LS", "builtin"),
        ("Read", "NotebookRead", "builtin"),
        ("Grep", "", "builtin"),
    ]


def test_mcp_tools_name_their_server():
    """mcp__server__tool is an MCP tool on that server."""
    [ref] = parse_tools("mcp__github__create_issue")
    assert (ref.name, ref.kind, ref.server) == ("mcp__github__create_issue", "mcp", "github")


def test_copilot_tool_names_stay_as_written():
    """Copilot tool names that are not built-ins keep their spelling, kind "other"."""
    refs = parse_tools(["codebase", "edit/editFiles", "runCommands", "edit"])
    assert [(r.name, r.kind) for r in refs] == [
        ("codebase", "other"),
        ("edit/editFiles", "other"),
        ("runCommands", "other"),
        ("Edit", "builtin"),
    ]


def test_star_means_all_tools():
    """'*' is one tool reference named '*'."""
    assert [(r.name, r.kind) for r in parse_tools("*")] == [("*", "other")]


def test_tools_and_allowed_tools_are_both_read():
    """tools and allowed-tools both contribute; disallowed tools are marked disabled."""
    parsed = parse(
        "---\nname: x\ndescription: d\ntools: Read\nallowed-tools: [Bash(git:*)]\ndisallowedTools: Write\n---\n"
    )
    assert [(r.name, r.enabled) for r in parsed.tools] == [("Read", True), ("Bash", True), ("Write", False)]


# --- description, names, references ----------------------------------------------------


def test_description_escapes_and_examples_are_normalized():
    """Literal \\n escapes become newlines and <example> blocks move to examples."""
    text = (
        '---\nname: reviewer\ndescription: "Use after code changes.\\\\n\\\\nExamples:\\\\n\\\\n'
        '<example>\\\\nuser: check this\\\\n</example>\\\\n<example>second</example>"\n---\n'
    )
    parsed = parse(text)
    assert parsed.description == "Use after code changes."
    assert parsed.examples == ("user: check this", "second")


def test_slug_name_and_namespace():
    """A slug-like name gives the slug; commands carry their namespace."""
    command = parse(
        "---\ndescription: d\n---\nRun `/agency:plan` then `/review 12`.",
        "commands/agency/work.md",
        "command",
        namespace="agency",
    )
    assert command.slug == "agency:work"
    assert command.commands == ("/agency:plan", "/review")
    display = parse("---\nname: Backend Architect!\ndescription: d\n---\n", "agents/backend.agent.md", format="copilot")
    assert (display.name, display.slug) == ("Backend Architect!", "backend")
    skill = parse("---\nname: pdf-tools\ndescription: d\n---\n", "skills/pdf/SKILL.md", "skill")
    assert skill.slug == "pdf-tools"
    nameless_skill = parse("---\ndescription: d\n---\n", "skills/pdf/SKILL.md", "skill")
    assert nameless_skill.slug == "pdf"


def test_commands_exclude_paths_urls_and_html():
    """Paths, URLs and closing tags are not slash commands."""
    body = "See https://x.io/docs, `/tmp/x`, /usr/bin, </example>, `/etc`, and run /team:sync or `/deploy`."
    assert parse(f"---\nname: x\ndescription: d\n---\n{body}").commands == ("/team:sync", "/deploy")


def test_skills_from_frontmatter_string_or_list():
    """skills: may be a comma string or a list."""
    assert parse("---\nname: x\ndescription: d\nskills: a-b, c\n---\n").skills == ("a-b", "c")
    assert parse("---\nname: x\ndescription: d\nskills: [a-b, c]\n---\n").skills == ("a-b", "c")


def test_parsed_file_basics():
    """sha256 is of the raw bytes; sections point at file lines; text is the decoded file."""
    raw = codecs.BOM_UTF8 + AGENT.replace("\n", "\r\n").encode()
    parsed = parse(raw)
    assert isinstance(parsed, ParsedFile)
    assert parsed.sha256 == hashlib.sha256(raw).hexdigest()
    assert parsed.text == AGENT
    assert [(s.heading, s.line) for s in parsed.sections] == [("Probe", 5)]
    assert parsed.body_line == 5 and not parsed.lenient


# --- the real files --------------------------------------------------------------------


def test_seed_000_headings_are_repaired():
    """The mojibake seed parses with its emoji headings repaired."""
    seed = seed_path("000")
    parsed = parse_definition(seed.read_bytes(), seed.name, "agent", "claude-code")
    headings = [s.heading for s in parsed.sections]
    assert "🧠 Your Identity & Memory" in headings
    assert not any("ðŸ" in h for h in headings)
    assert "mojibake-repaired" in codes(parsed.problems)
    assert parsed.name == "backend-architect"
    assert "agency-workflow-patterns" in parsed.skills
    assert "/agency:work" in parsed.commands


def test_seeds_parse_with_names_and_descriptions():
    """Every seed has a name and description; 003's escaped newlines and examples are resolved."""
    for seed in seed_paths():
        parsed = parse_definition(seed.read_bytes(), seed.name, "agent", "claude-code")
        assert parsed.name and parsed.description, seed.name
        assert "\\n" not in parsed.description
        assert "<example>" not in parsed.description
    seed3 = seed_path("003")
    assert parse_definition(seed3.read_bytes(), seed3.name, "agent", "claude-code").examples


@pytest.mark.skipif(not CORPUS.is_dir(), reason="the shared corpus is not present")
def test_whole_corpus_parses():
    """Every discovered definition parses (or is Rejected); >= 99% have a name and description."""
    from catalog.core.discovery import discover, find_collections

    candidates = [c for col in find_collections(CORPUS) for c in discover(col.root) if c.kind]
    start = time.perf_counter()
    parsed, rejected = [], []
    for candidate in candidates:
        try:
            parsed.append(
                parse_definition(
                    candidate.path.read_bytes(),
                    candidate.relpath,
                    candidate.kind,
                    candidate.format,
                    candidate.namespace,
                )
            )
        except Rejected as exc:
            rejected.append((candidate.relpath, exc.problem.code))
    elapsed = time.perf_counter() - start
    complete = sum(bool(p.name and p.description) for p in parsed)
    lenient_count = sum(p.lenient for p in parsed)
    print(
        f"\ncorpus: {len(candidates)} definitions parsed in {elapsed:.2f} s; "
        f"{complete} with name and description; {lenient_count} lenient; rejected {rejected}"
    )
    assert len(candidates) > 2500
    assert complete >= 0.99 * len(candidates)
    # The README promises about 240 files that only the lenient reader can read.
    assert 200 <= lenient_count <= 300


# --- robustness ------------------------------------------------------------------------

YAMLISH = st.text(alphabet="-:*&!|>[]{}#'\"\\ \t\n\r\x00abcn1.,ðŸ§Ã©", max_size=300)


@settings(max_examples=300, deadline=None)
@given(frontmatter=YAMLISH, body=YAMLISH)
def test_any_text_parses_or_is_rejected(frontmatter, body):
    """Whatever the frontmatter holds, parsing returns a ParsedFile or raises Rejected."""
    raw = f"---\n{frontmatter}\n---\n{body}".encode()
    try:
        parsed = parse(raw)
    except Rejected as exc:
        assert exc.problem.severity == "error"
        return
    assert parsed.name
    json.dumps(parsed.frontmatter, allow_nan=False)


@settings(max_examples=200, deadline=None)
@given(raw=st.binary(max_size=400))
def test_any_bytes_decode(raw):
    """decode accepts any bytes and returns text without NULs or carriage returns."""
    text, problems = decode(raw)
    assert "\x00" not in text and "\r" not in text
    assert all(p.severity == "warning" for p in problems)


def test_command_does_not_reference_itself():
    """A command's usage line naming itself is not a reference to another command."""
    parsed = parse("---\ndescription: d\n---\nUsage: `/ship 12`, then `/verify`.", "commands/ship.md", "command")
    assert parsed.commands == ("/verify",)


def test_a_list_of_models_reads_as_a_list():
    """Copilot's ``model:`` may be a list: the models joined, never the text of a Python list."""
    from catalog.core.parsing import parse_definition

    raw = b"---\ndescription: Plans.\nmodel:\n  - gpt-4.1\n  - claude-sonnet-4\n---\nBody.\n"
    parsed = parse_definition(raw, "agents/planner.agent.md", "agent", "copilot")
    assert parsed.model == "gpt-4.1, claude-sonnet-4"
