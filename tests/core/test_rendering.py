"""Tests for catalog.core.rendering: Markdown to sanitized HTML, heading anchors and the TOC."""

import re
import time
from html.parser import HTMLParser
from urllib.parse import urlsplit

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from catalog.core.rendering import (
    ALLOWED_ATTRIBUTES,
    ALLOWED_CLASSES,
    ALLOWED_TAGS,
    ALLOWED_URL_SCHEMES,
    ANCHOR_PREFIX,
    MAX_FENCE_LINES,
    MAX_SOURCE_LINES,
    Rendered,
    TocEntry,
    pygments_css,
    render_markdown,
    sanitize_html,
)
from tests.helpers import CORPUS, REPO, seed_path, split_simply

# ---------------------------------------------------------------------------
# An independent reader of the output: the stdlib parser, not nh3
# ---------------------------------------------------------------------------


class _Collector(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.elements = []  # (tag, {attribute: value})
        self.text = []

    def handle_starttag(self, tag, attrs):
        self.elements.append((tag, dict(attrs)))

    def handle_startendtag(self, tag, attrs):
        self.elements.append((tag, dict(attrs)))

    def handle_data(self, data):
        self.text.append(data)


def parse(html_text):
    collector = _Collector()
    collector.feed(html_text)
    collector.close()
    return collector


def _scheme(url):
    """The scheme a browser would see: it drops tabs and newlines and trims control characters."""
    cleaned = re.sub(r"[\t\n\r]", "", url).strip("\x00\x01\x02\x03\x04\x05\x06\x07\x08\x0b\x0c\x0e\x0f\x10 ")
    return urlsplit(cleaned).scheme.lower()


def assert_allowed_only(html_text):
    """Every tag, attribute, class, id and URL in the output is one the allowlist permits."""
    assert "<script" not in html_text.lower()
    for tag, attrs in parse(html_text).elements:
        assert tag in ALLOWED_TAGS, tag
        for name, value in attrs.items():
            assert name in ALLOWED_ATTRIBUTES.get(tag, ()), (tag, name)
            value = value or ""
            if name == "class":
                assert set(value.split()) <= ALLOWED_CLASSES[tag], (tag, value)
            if name == "id":
                assert re.fullmatch(re.escape(ANCHOR_PREFIX) + r"[a-z0-9_-]+", value), value
            if name == "href":
                assert _scheme(value) in ALLOWED_URL_SCHEMES | {""}, value
            if name == "src":
                assert _scheme(value) in {"http", "https"}, value
            if name == "rel":
                assert value == "nofollow noopener noreferrer"
            if name == "align":
                assert value in {"left", "center", "right"}
        if tag == "a":
            assert attrs.get("rel") == "nofollow noopener noreferrer"


def elements(html_text, tag):
    return [attrs for name, attrs in parse(html_text).elements if name == tag]


def visible_text(html_text):
    return "".join(parse(html_text).text)


# ---------------------------------------------------------------------------
# Ordinary rendering
# ---------------------------------------------------------------------------


def test_render_returns_html_and_toc():
    """render_markdown returns a frozen Rendered with HTML and a tuple of TocEntry."""
    rendered = render_markdown("# Title\n\nSome *text*.")
    assert isinstance(rendered, Rendered)
    assert "<em>text</em>" in rendered.html
    assert rendered.toc == (TocEntry(level=1, text="Title", anchor="h-title"),)


def test_headings_get_prefixed_anchors_and_toc_keeps_document_order():
    """Each heading gets an ``h-`` id from its text; the TOC lists them in document order."""
    rendered = render_markdown("# Backend Engineer\n\n## I/O Contract\n\n### Languages & Runtimes\n\n## Testing")
    assert [(e.level, e.text, e.anchor) for e in rendered.toc] == [
        (1, "Backend Engineer", "h-backend-engineer"),
        (2, "I/O Contract", "h-i-o-contract"),
        (3, "Languages & Runtimes", "h-languages-runtimes"),
        (2, "Testing", "h-testing"),
    ]
    ids = [attrs["id"] for tag, attrs in parse(rendered.html).elements if tag in {"h1", "h2", "h3"}]
    assert ids == [entry.anchor for entry in rendered.toc]


def test_repeated_headings_get_unique_anchors():
    """The same heading text twice gives two different anchors, both present in the HTML."""
    rendered = render_markdown("## Examples\n\ntext\n\n## Examples\n\n## Examples")
    anchors = [entry.anchor for entry in rendered.toc]
    assert len(set(anchors)) == 3
    assert anchors[0] == "h-examples"
    for anchor in anchors:
        assert f'id="{anchor}"' in rendered.html


def test_emoji_are_stripped_from_anchors_but_kept_in_toc_text():
    """``## 🎯 Core Mission`` links as ``h-core-mission`` and reads with its emoji."""
    (entry,) = render_markdown("## 🎯 Core Mission").toc
    assert entry.anchor == "h-core-mission"
    assert entry.text == "🎯 Core Mission"


def test_toc_text_is_plain_text_without_markup_or_entities():
    """Inline markup and entities in a heading become plain text in the TOC."""
    (entry,) = render_markdown("## **Bold** `code` & <em>raw</em> [link](https://x.test)").toc
    assert entry.text == "Bold code & raw link"


def test_heading_without_ascii_words_gets_a_fallback_anchor():
    """A heading whose text slugifies to nothing still gets a valid, unique anchor."""
    rendered = render_markdown("## 🚀\n\n## 日本語")
    anchors = [entry.anchor for entry in rendered.toc]
    assert len(set(anchors)) == 2
    assert all(a.startswith(ANCHOR_PREFIX) and len(a) > len(ANCHOR_PREFIX) for a in anchors)
    assert_allowed_only(rendered.html)


def test_toc_holds_levels_one_to_four_only():
    """Headings of levels 5 and 6 get anchors but are left out of the TOC."""
    rendered = render_markdown("# One\n## Two\n### Three\n#### Four\n##### Five\n###### Six")
    assert [entry.level for entry in rendered.toc] == [1, 2, 3, 4]
    assert 'id="h-five"' in rendered.html and 'id="h-six"' in rendered.html


def test_toc_marker_is_not_expanded():
    """``[TOC]`` in an imported file stays text."""
    assert "[TOC]" in visible_text(render_markdown("# A\n\n[TOC]").html)


def test_code_blocks_are_highlighted_with_classes_and_no_inline_style():
    """Fenced code is highlighted by Pygments into ``.highlight`` and token classes."""
    html_text = render_markdown("```python\ndef handler(event):\n    return 42\n```").html
    assert '<div class="highlight">' in html_text
    assert '<span class="k">def</span>' in html_text
    assert '<span class="nf">handler</span>' in html_text
    assert "style=" not in html_text
    assert_allowed_only(html_text)


def test_unknown_language_falls_back_to_plain_text():
    """A fence tagged with an unknown language renders as escaped plain text."""
    html_text = render_markdown("```no-such-language\n<b>not bold</b> & more\n```").html
    assert '<div class="highlight">' in html_text
    assert "&lt;b&gt;not bold&lt;/b&gt; &amp; more" in html_text
    assert "<b>" not in html_text


def test_shebang_in_indented_code_does_not_add_line_numbers():
    """An indented block starting with ``#!`` is highlighted as code, without a line-number table."""
    html_text = render_markdown("Run:\n\n    #!/usr/bin/env python\n    print(1)\n").html
    assert '<span class="ch">#!/usr/bin/env python</span>' in html_text
    assert "<table" not in html_text


def test_tables_render_with_alignment_as_attribute():
    """Pipe tables become tables; alignment uses ``align``, never ``style``."""
    html_text = render_markdown("| Tool | Use |\n|:-----|----:|\n| Read | files |\n| Bash | `ls` |").html
    assert len(elements(html_text, "tr")) == 3
    assert [attrs.get("align") for attrs in elements(html_text, "th")] == ["left", "right"]
    assert "<code>ls</code>" in html_text
    assert "style=" not in html_text


def test_sane_lists_keep_ordered_and_unordered_lists_apart():
    """An unordered list right after an ordered one starts a new list."""
    html_text = render_markdown("1. one\n2. two\n\n- a\n- b\n\n3. three")
    assert len(elements(html_text.html, "ol")) == 2
    assert len(elements(html_text.html, "ul")) == 1
    assert elements(html_text.html, "ol")[1].get("start") == "3"


def test_links_get_rel_and_keep_safe_destinations():
    """http, https, mailto, relative and fragment links keep their href and get ``rel``."""
    html_text = render_markdown(
        "[a](https://example.com/x) [b](http://example.com) [c](mailto:dev@example.com) "
        "[d](../agents/other.md) [e](#h-core-mission) <https://auto.example>"
    ).html
    hrefs = [attrs.get("href") for attrs in elements(html_text, "a")]
    assert hrefs == [
        "https://example.com/x",
        "http://example.com",
        "mailto:dev@example.com",
        "../agents/other.md",
        "#h-core-mission",
        "https://auto.example",
    ]
    assert_allowed_only(html_text)


def test_images_keep_only_web_sources():
    """Only http(s) images become links; relative and other schemes keep just their label."""
    html_text = render_markdown(
        "![ok](https://example.com/a.png) ![rel](/static/x.png) ![d](data:image/png;base64,AAAA)"
    ).html
    assert [attrs.get("href") for attrs in elements(html_text, "a")] == ["https://example.com/a.png"]
    assert "[image: rel]" in html_text and "[image: d]" in html_text
    assert "data:" not in html_text


def test_prompt_style_tags_are_dropped_but_their_text_is_kept():
    """Unknown tags such as ``<example>`` disappear; the words inside them stay."""
    html_text = render_markdown("<example>\nUser asks for a review\n</example>\n\nAfter.").html
    assert "<example" not in html_text
    assert "User asks for a review" in visible_text(html_text)


def test_details_and_comments():
    """``<details>``/``<summary>`` survive; HTML comments are removed."""
    html_text = render_markdown("<details><summary>More</summary>\n\nHidden text\n\n</details>\n\n<!-- note -->x").html
    assert "<details>" in html_text and "<summary>More</summary>" in html_text
    assert "note" not in html_text


def test_less_than_signs_read_the_same_in_text_and_code():
    """A ``<`` that is not a tag shows as ``<`` in prose, code spans and code blocks."""
    html_text = render_markdown("if a < b and `x<y` then\n\n    List<String> items;\n\n[a](<./with space.md>)").html
    text = visible_text(html_text)
    assert "if a < b" in text and "x<y" in text and "List<String> items;" in text
    assert elements(html_text, "a")[0]["href"] == "./with space.md"
    assert "\ue000" not in html_text


# ---------------------------------------------------------------------------
# Hostile input
# ---------------------------------------------------------------------------

HOSTILE = {
    "script tag": "<script>alert(1)</script>",
    "script tag, mixed case": "<ScRiPt src=https://evil.test/x.js></sCrIpT>",
    "event handler on img": "<img src=x onerror=alert(1)>",
    "event handler on allowed tag": '<a href="https://ok.test" onclick="alert(1)" onmouseover="alert(2)">x</a>',
    "event handler in markdown image title": '![x](https://ok.test/a.png "t" onerror=alert(1))',
    "javascript link": "[x](javascript:alert(1))",
    "javascript link, mixed case": "[x](JaVaScRiPt:alert(1))",
    "javascript link, entity encoded": "[x](jav&#x61;script:alert(1))",
    "javascript link, decimal entities": "[x](&#106;&#97;vascript:alert(1))",
    "javascript link, tab inside": "[x](java\tscript:alert(1))",
    "javascript link, tab entity in raw html": '<a href="java&#x09;script:alert(1)">x</a>',
    "javascript link, leading space in raw html": '<a href=" javascript:alert(1)">x</a>',
    "javascript link, encoded in raw html": '<a href="&#x6A;avascript&colon;alert(1)">x</a>',
    "javascript reference link": "[x][evil]\n\n[evil]: javascript:alert(1)",
    "javascript short reference link": "[evil]\n\n[evil]: JAVASCRIPT:alert(1)",
    "javascript autolink": "<javascript:alert(1)>",
    "data link": "[x](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)",
    "vbscript link": "[x](vbscript:msgbox(1))",
    "javascript image": "![x](javascript:alert(1))",
    "svg with script": "<svg><script>alert(1)</script></svg>",
    "svg onload": "<svg onload=alert(1)><circle r=5 /></svg>",
    "svg link": '<svg><a xlink:href="javascript:alert(1)"><text>x</text></a></svg>',
    "mathml mxss": "<math><mtext><table><mglyph><style><img src=x onerror=alert(1)>",
    "mathml link": '<math href="javascript:alert(1)"><mi>x</mi></math>',
    "iframe": '<iframe src="https://evil.test" srcdoc="<script>alert(1)</script>"></iframe>',
    "form": '<form action="https://evil.test"><input name="password"><button>Go</button></form>',
    "meta refresh": '<meta http-equiv="refresh" content="0;url=https://evil.test">',
    "base": '<base href="https://evil.test/">',
    "object and embed": '<object data="https://evil.test/x.swf"></object><embed src="https://evil.test/x.swf">',
    "style attribute": '<p style="position:fixed;top:0">overlay</p>',
    "style tag": "<style>body { display: none }</style>",
    "link stylesheet": '<link rel="stylesheet" href="https://evil.test/x.css">',
    "htmx get": '<div hx-get="/admin/delete" hx-trigger="load">x</div>',
    "htmx on": '<button hx-on:click="alert(1)">x</button><div hx-on::after-request="alert(1)">y</div>',
    "htmx data prefix": '<div data-hx-post="/x" data-hx-trigger="load">x</div>',
    "data attributes": '<span data-controller="x" data-action="click->x#y">x</span>',
    "clobbering ids and names": (
        '<img name="getElementById"><form id="forms"></form><a id="location" name="cookie">x</a>'
    ),
    "clobbering heading id": '<h2 id="csrfToken">x</h2><div id="h-fake">y</div>',
    "noscript mxss": '<noscript><p title="</noscript><img src=x onerror=alert(1)>"></noscript>',
    "comment mxss": "<!--<img src=x onerror=alert(1)>-->",
    "comment bang mxss": "<!--!><img src=x onerror=alert(1)>-->",
    "textarea mxss": "<textarea><img src=x onerror=alert(1)></textarea>",
    "template": "<template><img src=x onerror=alert(1)></template>",
    "xmp": "<xmp><img src=x onerror=alert(1)></xmp>",
    "title": "<title><img src=x onerror=alert(1)></title>",
    "cdata": "<![CDATA[<img src=x onerror=alert(1)>]]>",
    "unclosed attribute": '<img src="https://ok.test/a.png" alt="x onerror=alert(1)',
    "class spoofing": '<div class="btn btn-danger highlight">x</div><span class="k nav">y</span>',
    "target and formaction": (
        '<a href="https://ok.test" target="_top">x</a><button formaction="javascript:alert(1)">y</button>'
    ),
    "srcset": '<img srcset="javascript:alert(1) 1x" src="https://ok.test/a.png">',
    "heading with script": "# <script>alert(1)</script> Title",
    "title and lang on any tag": '<p title="x" lang="en" dir="rtl">x</p>',
    "link title breakout": '[x](https://ok.test "a\\" onmouseover=\\"alert(1)")',
}


@pytest.mark.parametrize("payload", HOSTILE.values(), ids=HOSTILE.keys())
def test_hostile_input_yields_allowed_output_only(payload):
    """Nothing outside the allowlist survives: tags, handlers, ids, classes, URL schemes."""
    html_text = render_markdown(payload).html
    assert_allowed_only(html_text)
    for _, attrs in parse(html_text).elements:
        assert not any(name.startswith(("on", "hx-", "data-")) for name in attrs)


def test_dangerous_links_lose_their_href():
    """Links with javascript:, data: or vbscript: destinations keep their text but no href."""
    for name in ("javascript link", "javascript link, entity encoded", "javascript reference link",
                 "data link", "vbscript link"):  # fmt: skip
        html_text = render_markdown(HOSTILE[name]).html
        (link,) = elements(html_text, "a")
        assert "href" not in link, name
        assert "x" in visible_text(html_text)


def test_raw_text_tags_are_shown_as_text():
    """Like GitHub's tag filter, a raw ``<script>`` or ``<textarea>`` shows as text and keeps what follows."""
    html_text = render_markdown("<script>alert(1)</script>\n\n<textarea>\n\nAfter the tags.").html
    text = visible_text(html_text)
    assert "<script>alert(1)</script>" in text
    assert "After the tags." in text


def test_only_generated_anchor_ids_survive_sanitizing():
    """sanitize_html keeps ``h-`` ids on headings and drops every other id."""
    cleaned = sanitize_html('<h2 id="h-core-mission">a</h2><h2 id="forms">b</h2><p id="h-x">c</p>')
    assert elements(cleaned, "h2") == [{"id": "h-core-mission"}, {}]
    assert elements(cleaned, "p") == [{}]


def test_sanitize_html_is_usable_on_its_own():
    """sanitize_html applies the same allowlist to any HTML."""
    cleaned = sanitize_html('<p onclick="x">Hi <a href="javascript:x">a</a> <iframe></iframe><b>b</b></p>')
    assert cleaned == '<p>Hi <a rel="nofollow noopener noreferrer">a</a> &lt;iframe&gt;&lt;/iframe&gt;<b>b</b></p>'


_FRAGMENTS = st.sampled_from(
    [*HOSTILE.values(), "\n", "\n\n", " ", "# ", "## ", "- ", "1. ", "> ", "    ", "```", "```python\n",
     "`", "*", "**", "_", "[", "]", "(", ")", "![", "](", "<", ">", "</", "/>", "&", "&#", ";", "\"", "'",
     "=", "|", "|---|", ":", "javascript:", "JaVa\tScript:", "data:", "https://ok.test/", "mailto:a@b.c",
     "<a href=", "<img src=", " onerror=", " hx-get=", " data-x=", " style=", " id=", " class=", " name=",
     "<div>", "</div>", "<svg>", "<math>", "<p title=\"", "<noscript>", "<!--", "-->", "<![CDATA[", "]]>",
     "<table>", "<td>", "<h2 id=\"h-", "<details open>", "&lt;", "&#x6A;", "\\", "\ue000", "🎯"]
)  # fmt: skip
_TEXT = st.text(alphabet=st.characters(exclude_categories=("Cs",)), max_size=12)
_DOCUMENTS = st.lists(st.one_of(_FRAGMENTS, _TEXT), max_size=40).map("".join)


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(_DOCUMENTS)
def test_generated_markdown_and_html_mixtures_yield_allowed_output_only(document):
    """Any mixture of Markdown, HTML and hostile fragments renders to allowlisted HTML."""
    rendered = render_markdown(document)
    assert_allowed_only(rendered.html)
    for entry in rendered.toc:
        assert 1 <= entry.level <= 4
        assert f'id="{entry.anchor}"' in rendered.html


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=200))
def test_sanitize_html_output_is_allowlisted_and_stable(html_text):
    """sanitize_html output is allowlisted and does not change when sanitized again."""
    cleaned = sanitize_html(html_text)
    assert_allowed_only(cleaned)
    assert sanitize_html(cleaned) == cleaned


# ---------------------------------------------------------------------------
# Pathological input: it finishes and keeps its content (speed: bench/bench_render.py)
# ---------------------------------------------------------------------------


def test_many_open_brackets_render_as_text():
    """``"[" * 50_000`` renders as that many brackets of text."""
    assert visible_text(render_markdown("[" * 50_000).html).count("[") == 50_000


def test_unclosed_link_destinations_render_as_text():
    """``"[a](" * 20_000`` is text, not links."""
    html_text = render_markdown("[a](" * 20_000).html
    assert not elements(html_text, "a")
    assert visible_text(html_text).count("[a](") == 20_000


def test_links_still_work_after_many_unclosed_brackets():
    """Bracket matching stays exact: a real link after a run of brackets is still a link."""
    html_text = render_markdown("[" * 1000 + " [docs](https://example.com)").html
    assert [a.get("href") for a in elements(html_text, "a")] == ["https://example.com"]


def max_depth(html_text):
    """Deepest element nesting in well-formed HTML (void elements do not nest)."""
    depth = deepest = 0

    class Walker(HTMLParser):
        def handle_starttag(self, tag, attrs):
            nonlocal depth, deepest
            if tag not in {"br", "hr", "img", "wbr"}:
                depth += 1
                deepest = max(deepest, depth)

        def handle_endtag(self, tag):
            nonlocal depth
            depth -= 1

    Walker().feed(html_text)
    return deepest


@pytest.mark.parametrize("indent", [2, 4])
def test_deeply_nested_lists_render_flattened(indent):
    """A list nested 1,000 levels deep renders (up to the size limit) with bounded nesting."""
    source = "".join(" " * indent * depth + f"- item{depth}\n" for depth in range(1000))
    html_text = render_markdown(source).html
    text = visible_text(html_text)
    assert all(f"item{depth}" in text for depth in (0, 1, 100, 300))
    assert max_depth(html_text) <= 30


def test_deeply_nested_quotes_render_flattened():
    """A thousand levels of ``>`` render (up to the size limit) with bounded nesting."""
    html_text = render_markdown("".join(">" * depth + f" q{depth}\n" for depth in range(1000))).html
    assert all(f"q{depth}" in visible_text(html_text) for depth in (0, 1, 100, 500))
    assert max_depth(html_text) <= 100


def test_nested_list_markers_on_one_line_render():
    """``"- " * 1000`` and ``"> - " * 1000`` render with bounded nesting."""
    for source in ("- " * 1000 + "deep", "> - " * 1000 + "deep", "1. " * 1000 + "deep"):
        html_text = render_markdown(source).html
        assert "deep" in visible_text(html_text)
        assert max_depth(html_text) <= 100


def test_large_table_renders_every_row():
    """A 2,000-row table keeps all its rows."""
    source = "| a | b |\n|---|---|\n" + "".join(f"| r{i} | *x* |\n" for i in range(2000))
    html_text = render_markdown(source).html
    assert len(elements(html_text, "tr")) == 2001
    assert "r1999" in visible_text(html_text)


def test_oversized_source_is_cut_with_a_notice():
    """Beyond the line limit only the beginning is rendered, and the output says so."""
    source = "".join(f"line {i}\n\n" for i in range(MAX_SOURCE_LINES))
    text = visible_text(render_markdown(source).html)
    assert "line 0" in text and f"line {MAX_SOURCE_LINES - 1}" not in text
    assert "are shown" in text
    assert "are shown" not in visible_text(render_markdown("short\n" * 10).html)


def test_source_with_too_many_code_fences_is_cut_with_a_notice():
    """Past MAX_FENCE_LINES fence lines the rest is cut; the blocks before it are highlighted."""
    source = "".join(f"```python\nx = {i}\n```\n" for i in range(MAX_FENCE_LINES))
    html_text = render_markdown(source).html
    assert html_text.count('<div class="highlight">') == MAX_FENCE_LINES // 2
    assert "are shown" in visible_text(html_text)


def test_many_less_than_signs_and_tags_render_as_text():
    """Runs of ``<`` and of unterminated tags come out as visible text."""
    assert visible_text(render_markdown("<" * 100_000).html).count("<") == 100_000
    assert visible_text(render_markdown("<a " * 20_000).html).count("<a") == 20_000


def test_deeply_nested_raw_html_is_bounded():
    """Thousands of unclosed raw tags keep their text and never nest beyond the bound."""
    html_text = render_markdown("<div><table></div></table>" * 3000 + "\n\nend").html
    assert "end" in visible_text(html_text)
    assert_allowed_only(html_text)
    assert max_depth(html_text) <= 260


def test_long_paragraph_of_inline_code_keeps_every_span():
    """A paragraph of 30,000 code spans is split into paragraphs but loses no span."""
    html_text = render_markdown("`a` " * 30_000).html
    assert html_text.count("<code>a</code>") == 30_000


# ---------------------------------------------------------------------------
# Real files
# ---------------------------------------------------------------------------


def test_seed_renders_with_unique_anchors_and_code():
    """Seed 002 renders with a TOC whose anchors are unique and present in the HTML."""
    rendered = render_markdown(split_simply(seed_path("002").read_text(encoding="utf-8")).body)
    assert_allowed_only(rendered.html)
    anchors = [entry.anchor for entry in rendered.toc]
    assert rendered.toc[0] == TocEntry(1, "Backend Engineer - Server-Side Implementation Specialist",
                                       "h-backend-engineer-server-side-implementation-specialist")  # fmt: skip
    assert len(anchors) == len(set(anchors)) > 10
    assert all(f'id="{anchor}"' in rendered.html for anchor in anchors)


def test_every_corpus_file_renders_to_allowed_output(capsys):
    """Every definition file in the shared corpus renders without error to allowlisted HTML."""
    paths = sorted(CORPUS.rglob("*.md"))
    assert len(paths) > 2000
    start = time.perf_counter()
    for path in paths:
        rendered = render_markdown(split_simply(path.read_text(encoding="utf-8", errors="replace")).body)
        assert_allowed_only(rendered.html)
    with capsys.disabled():
        print(f"\nrendered {len(paths)} corpus files in {time.perf_counter() - start:.1f} s")


def test_static_stylesheet_is_the_generated_one():
    """static/css/pygments.css is pygments_css() output: light rules, dark rules in a media query."""
    css = (REPO / "static" / "css" / "pygments.css").read_text(encoding="utf-8")
    assert css == pygments_css()
    light, dark = css.split("@media (prefers-color-scheme: dark) {")
    for rule in (light + dark).splitlines():
        if "{" in rule:
            assert rule.strip().startswith(".highlight"), rule
    assert ".highlight .k {" in light and ".highlight .k {" in dark


def test_images_become_links_and_are_never_fetched():
    """An image is shown as a link to its address: the page never loads a stranger's URL."""
    html = render_markdown('![diagram](https://example.com/d.png) <img src="https://example.com/x.png" alt="x">').html
    assert "<img" not in html
    assert '<a href="https://example.com/d.png" rel="nofollow noopener noreferrer">[image: diagram]</a>' in html
    assert "[image: x]" in html
