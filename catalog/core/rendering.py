"""Render imported Markdown to sanitized HTML, with heading anchors and a table of contents.

Imported agent files are untrusted. The pipeline is:

1. bound the input (size, lines, block length, nesting depth, raw tags, link scanning) so
   that no input shape makes Python-Markdown or the HTML parsers behind it take more than
   about a second (bench/bench_render.py measures the shapes that used to);
2. Python-Markdown with fenced code (highlighted by Pygments into CSS classes), tables,
   sane lists and heading ids;
3. nh3 with an allowlist in the spirit of GitHub's, after rendering, so that nothing the
   Markdown stage produced or passed through is trusted.

Only ``Rendered.html`` may be marked safe in a template, and only because of step 3.
Nothing here imports Django.
"""

import html
import re
import threading
from dataclasses import dataclass

import markdown
import nh3
from markdown.blockprocessors import BlockProcessor
from markdown.extensions import Extension, codehilite
from markdown.extensions.codehilite import CodeHiliteExtension
from markdown.extensions.fenced_code import FencedCodeExtension
from markdown.extensions.tables import TableExtension, TableProcessor
from markdown.extensions.toc import TocExtension
from markdown.inlinepatterns import (
    IMAGE_LINK_RE,
    IMAGE_REFERENCE_RE,
    LINK_RE,
    REFERENCE_RE,
    ImageInlineProcessor,
    ImageReferenceInlineProcessor,
    LinkInlineProcessor,
    ReferenceInlineProcessor,
    ShortImageReferenceInlineProcessor,
    ShortReferenceInlineProcessor,
)
from markdown.postprocessors import Postprocessor
from markdown.preprocessors import Preprocessor
from pygments.formatters import HtmlFormatter
from pygments.lexers import get_lexer_by_name
from pygments.token import STANDARD_TYPES

from .text import FENCE, slugify, strip_symbols

__all__ = [
    "ALLOWED_ATTRIBUTES",
    "ALLOWED_CLASSES",
    "ALLOWED_TAGS",
    "ALLOWED_URL_SCHEMES",
    "ANCHOR_PREFIX",
    "Rendered",
    "TocEntry",
    "pygments_css",
    "render_markdown",
    "sanitize_html",
]


@dataclass(frozen=True)
class TocEntry:
    """One heading of levels 1-4, in document order; ``text`` is plain text, not HTML."""

    level: int
    text: str
    anchor: str


@dataclass(frozen=True)
class Rendered:
    """Sanitized HTML, safe to mark safe in a template, and its table of contents."""

    html: str
    toc: tuple[TocEntry, ...]


# ---------------------------------------------------------------------------
# The allowlist
# ---------------------------------------------------------------------------

ALLOWED_URL_SCHEMES = frozenset({"http", "https", "mailto"})

# Every generated heading id starts with this, and it is the only id shape the sanitizer
# keeps: a raw ``id="location"`` or ``name="forms"`` could shadow globals and document
# properties (DOM clobbering), an ``h-`` id cannot.
ANCHOR_PREFIX = "h-"
_ANCHOR_SHAPE = re.compile(re.escape(ANCHOR_PREFIX) + r"[a-z0-9]+(?:[-_][a-z0-9]+)*")

_HEADINGS = frozenset({"h1", "h2", "h3", "h4", "h5", "h6"})

ALLOWED_TAGS = frozenset(
    {
        *_HEADINGS,
        "p", "br", "hr", "blockquote", "pre", "code", "kbd", "samp", "var",
        "em", "strong", "b", "i", "u", "s", "del", "ins", "strike", "sub", "sup", "mark",
        "abbr", "cite", "dfn", "q", "small", "wbr", "ruby", "rt", "rp",
        "a", "img",
        "ul", "ol", "li", "dl", "dt", "dd",
        "table", "caption", "thead", "tbody", "tfoot", "tr", "th", "td",
        "div", "span", "details", "summary",
    }
)  # fmt: skip

# Everything that may appear on each tag in the output. ``class``, ``rel``, ``align`` and the
# image policy attributes are not free text: classes come from ALLOWED_CLASSES, ``rel`` and
# the image attributes are set by the sanitizer, ``align`` takes left/center/right only.
ALLOWED_ATTRIBUTES = {
    **{tag: frozenset({"id"}) for tag in _HEADINGS},
    "a": frozenset({"href", "title", "rel"}),
    "img": frozenset({"src", "alt", "title", "loading", "referrerpolicy"}),
    "abbr": frozenset({"title"}),
    "ol": frozenset({"start"}),
    "th": frozenset({"align", "colspan", "rowspan"}),
    "td": frozenset({"align", "colspan", "rowspan"}),
    "details": frozenset({"open"}),
    "div": frozenset({"class"}),
    "span": frozenset({"class"}),
}

# Pygments marks tokens with short classes ("k", "s2", "nf"); nothing else may set a class,
# so imported HTML cannot borrow the page's own classes to dress up as its interface.
ALLOWED_CLASSES = {
    "div": frozenset({"highlight"}),
    "span": frozenset(name for name in STANDARD_TYPES.values() if name),
}

_ALIGN_VALUES = frozenset({"left", "center", "right"})
_SET_BY_SANITIZER = {"img": {"loading": "lazy", "referrerpolicy": "no-referrer"}}
_LINK_REL = "nofollow noopener noreferrer"

# Tags dropped together with their content. Any tag not allowed is dropped but keeps its
# text, which is right for the XML-ish prompt tags (<example>, <role>) agent files use.
_DROPPED_WITH_CONTENT = frozenset(
    {
        "script", "style", "template", "noscript", "iframe", "frame", "frameset",
        "object", "embed", "applet", "svg", "math", "textarea", "select", "title",
        "xmp", "noembed", "noframes", "plaintext",
    }
)  # fmt: skip

_NUMBER = re.compile(r"[0-9]{1,4}")
_HTTP_URL = re.compile(r"https?://", re.IGNORECASE)


def _filter_attribute(tag, attribute, value):
    """Value checks nh3 cannot express as plain sets: id shape, numbers, image sources."""
    if attribute == "id":
        return value if _ANCHOR_SHAPE.fullmatch(value) else None
    if attribute in {"start", "colspan", "rowspan"}:
        return value if _NUMBER.fullmatch(value) else None
    if tag == "img" and attribute == "src":
        # Relative image sources would resolve against our own site; only absolute web
        # images are shown.
        return value if _HTTP_URL.match(value.strip()) else None
    if attribute == "open":
        return ""
    return value


_FREE_ATTRIBUTES = {"class", "rel", "align", *_SET_BY_SANITIZER["img"]}

_CLEANER = nh3.Cleaner(
    tags=set(ALLOWED_TAGS),
    clean_content_tags=set(_DROPPED_WITH_CONTENT),
    attributes={
        # nh3 otherwise allows ``lang`` and ``title`` on every tag.
        "*": set(),
        **{
            tag: set(attributes - _FREE_ATTRIBUTES)
            for tag, attributes in ALLOWED_ATTRIBUTES.items()
            if attributes - _FREE_ATTRIBUTES
        },
    },
    attribute_filter=_filter_attribute,
    strip_comments=True,
    link_rel=_LINK_REL,
    tag_attribute_values={tag: {"align": set(_ALIGN_VALUES)} for tag in ("th", "td")},
    set_tag_attribute_values=_SET_BY_SANITIZER,
    url_schemes=set(ALLOWED_URL_SCHEMES),
    allowed_classes={tag: set(classes) for tag, classes in ALLOWED_CLASSES.items()},
)


def sanitize_html(html_text):
    """Reduce any HTML to the allowlist above. The one sanitizer; reuse it for any HTML."""
    return _CLEANER.clean(_bound_open_elements(_filter_raw_text_tags(html_text)))


# Images from imported files are shown as links, never fetched: loading them would tell
# any host in a stranger's file who reads the page, and the page's CSP (img-src 'self')
# would refuse them anyway. This runs on the sanitizer's output, whose attributes are
# always double-quoted and escaped, so the values are copied as they are.
_IMG = re.compile(r"<img\b([^>]*)>")
_ATTR = re.compile(r'\s([a-z-]+)="([^"]*)"')


def _images_to_links(html_text):
    def link(match):
        attributes = dict(_ATTR.findall(match.group(1)))
        label = attributes.get("alt") or attributes.get("title") or "image"
        src = attributes.get("src")
        if not src:
            return f"[image: {label}]"
        return f'<a href="{src}" rel="nofollow noopener noreferrer">[image: {label}]</a>'

    return _IMG.sub(link, html_text)


# GitHub's "tagfilter": these tags would swallow the rest of the document as raw text, so
# their opening ``<`` is escaped and they are shown as text instead of being dropped with
# everything after them. Python-Markdown has already escaped ``<`` inside code, so every
# such tag left in its output came from raw HTML in the source.
_RAW_TEXT_TAG = re.compile(
    r"<(?=/?(?:title|textarea|style|xmp|iframe|noembed|noframes|script|plaintext)(?:[\s/>]|$))",
    re.IGNORECASE,
)


def _filter_raw_text_tags(html_text):
    return _RAW_TEXT_TAG.sub("&lt;", html_text)


# html5ever (inside nh3) checks the stack of open elements for most start tags, so N
# unclosed tags cost O(N^2): 20,000 unclosed <div> took two seconds. This keeps a rough
# copy of that stack and, once it holds this many elements, shows further start tags as
# text. An end tag closes the nearest open element of its name, but not across a table
# or cell, as in the HTML standard (so "<div><table></div></table>" leaves the div open
# here too). It bounds cost only; the sanitizer still decides what is safe.
_MAX_OPEN_ELEMENTS = 256
_TAG = re.compile(r"<(/?)([A-Za-z][A-Za-z0-9-]*)")
_VOID_TAGS = frozenset(
    {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}
)
_SCOPE_TAGS = frozenset({"applet", "caption", "html", "marquee", "object", "table", "td", "template", "th"})


def _bound_open_elements(html_text):
    if html_text.count("<") < _MAX_OPEN_ELEMENTS:
        return html_text  # too few tags to reach the bound: most bodies, and no scan
    stack = []

    def track(match):
        closing, name = match.group(1), match.group(2).lower()
        if name in _VOID_TAGS:
            return match.group(0)
        if closing:
            for depth in range(len(stack) - 1, -1, -1):
                if stack[depth] == name:
                    del stack[depth:]
                    break
                if stack[depth] in _SCOPE_TAGS:
                    break
            return match.group(0)
        if len(stack) >= _MAX_OPEN_ELEMENTS:
            return "&lt;" + match.group(0)[1:]
        stack.append(name)
        return match.group(0)

    return _TAG.sub(track, html_text)


# ---------------------------------------------------------------------------
# Bounding the cost of Python-Markdown
# ---------------------------------------------------------------------------

# Python-Markdown renders ordinary prose at a few hundred KB a second, and each line or
# block costs tens of microseconds more: "<b>\n\n" * 50,000 took several seconds. Past
# either limit only the beginning is rendered; the largest file in the corpus has 291,207
# characters, the longest 2,738 lines.
MAX_SOURCE_CHARS = 300_000
MAX_SOURCE_LINES = 5_000

# Pygments costs about a millisecond per code block before it reads a character (lexer
# lookup, formatter set-up): "```\n" * 20,000 took several seconds. The source is also cut
# before its 601st fence line; the corpus maximum is 112.
MAX_FENCE_LINES = 600
_FENCE_LINE = re.compile(FENCE.pattern, re.MULTILINE)  # text.FENCE, on every line of the source

# Inline patterns rebuild the whole text of a paragraph for every match, so one paragraph
# of N inline elements costs O(N * length): "`a " * 50,000 took over a second. Longer
# blocks are cut into separate paragraphs of at most this many characters (no corpus
# paragraph comes close); tables and code blocks are left whole.
_MAX_BLOCK_CHARS = 20_000

# Each nesting level of lists and quotes is a recursive parse of the nested block: 1,000
# nested list levels took 44 s and then hit the recursion limit. Deeper prefixes are cut
# to this many characters (ten list levels), which only flattens absurd nesting.
_MAX_CONTAINER_PREFIX = 40
_CONTAINER_PREFIX = re.compile(r"(?:[ ]*(?:>|[*+-](?=[ ])|[0-9]{1,9}[.)](?=[ ])))*[ ]*")

# The stdlib HTML tokenizer behind Python-Markdown's raw-HTML preprocessor rescans to the
# next ">" for every "<tag" it cannot close, so "<a " * 20,000 ran for over 20 s; and every
# "<", tag or not, costs it tens of microseconds, so "<" * 300,000 took seconds. Only a "<"
# that starts a tag or a comment, has its ">" within _MAX_TAG_LENGTH and is among the
# first _MAX_RAW_TAGS (no corpus file has more than 556) reaches the tokenizer. Every other
# "<" becomes a placeholder it ignores, written out as "&lt;" at the end, so the text
# reads the same inside and outside code spans.
_MAX_TAG_LENGTH = 512
_MAX_RAW_TAGS = 2_000
_TAG_LIKE = re.compile(r"<(?:[/!?]?[A-Za-z]|!-)")
_NOT_TAG_LIKE = re.compile(r"(?<!\]\()<(?![/!?]?[A-Za-z]|!-)")  # keeps [text](<dest>)
_LT_PLACEHOLDER = "\ue000"

# Link destinations are scanned character by character in Python until the parentheses
# balance; "[a](" * 20,000 rescans the rest of the paragraph for every link. A destination
# longer than this is not a link, a tail without ")" is rejected without a scan, and the
# scans of one document share a budget (legitimate links spend only their own length).
_MAX_LINK_TAIL = 2_048
_LINK_SCAN_BUDGET = 600_000


def _limit_source(text):
    """Cut the source to the limits above, at a line end; return ``(text, was_cut)``."""
    text = text.replace(_LT_PLACEHOLDER, "\ufffd")
    end = len(text)
    if end > MAX_SOURCE_CHARS:
        end = text.rfind("\n", 0, MAX_SOURCE_CHARS)
        end = end if end > 0 else MAX_SOURCE_CHARS
    newline = -1
    for _ in range(MAX_SOURCE_LINES):
        newline = text.find("\n", newline + 1, end)
        if newline < 0:
            break
    else:
        end = newline
    for count, fence in enumerate(_FENCE_LINE.finditer(text, 0, end)):
        if count == MAX_FENCE_LINES:
            end = max(fence.start() - 1, 0)
            break
    return text[:end], bool(text[end:].strip())


def _neutralize_tags(text):
    """Replace every "<" except those of the first few plausible tags with the placeholder."""
    text = _NOT_TAG_LIKE.sub(_LT_PLACEHOLDER, text)
    neutralized = [
        match.start()
        for count, match in enumerate(_TAG_LIKE.finditer(text))
        if count >= _MAX_RAW_TAGS or text.find(">", match.start(), match.start() + _MAX_TAG_LENGTH) < 0
    ]
    if not neutralized:
        return text
    pieces, previous = [], 0
    for position in neutralized:
        pieces.append(text[previous:position])
        pieces.append(_LT_PLACEHOLDER)
        previous = position + 1
    pieces.append(text[previous:])
    return "".join(pieces)


class _BoundInput(Preprocessor):
    """Clamp container nesting and neutralize unterminated or excess tags.

    Runs after fenced code blocks have been stashed, so their contents are never touched.
    """

    def run(self, lines):
        clamped = [_clamp_container_prefix(line) for line in lines]
        return _neutralize_tags("\n".join(clamped)).split("\n")


def _clamp_container_prefix(line):
    prefix_end = _CONTAINER_PREFIX.match(line).end()
    if prefix_end > _MAX_CONTAINER_PREFIX:
        return line[:_MAX_CONTAINER_PREFIX].rstrip() + " " + line[prefix_end:]
    return line


class _RestorePlaceholders(Postprocessor):
    def run(self, text):
        return text.replace(_LT_PLACEHOLDER, "&lt;")


class _LinkScanState:
    """Per-render state shared by the link processors: bracket pairs and the scan budget."""

    def __init__(self):
        self.reset()

    def reset(self):
        self.budget = _LINK_SCAN_BUDGET
        self._data = None
        self._closing = {}

    def closing_bracket(self, data, opening):
        """Index of the "]" matching the "[" at ``opening``, or None; one pass per string."""
        if data is not self._data:
            self._data, self._closing, stack = data, {}, []
            for match in re.finditer(r"[\[\]]", data):
                if match.group() == "[":
                    stack.append(match.start())
                elif stack:
                    self._closing[stack.pop()] = match.start()
        return self._closing.get(opening)


class _BoundedLinkScanning:
    """Mixin for the link processors: linear bracket matching and a bounded paren scan.

    Python-Markdown's ``getText`` walks to the matching "]" in Python for every "[", which
    kept ``"[" * 50_000`` running for over a minute. The bracket pairs are computed once per string
    instead; the result is the same pairing.
    """

    def __init__(self, pattern, md, state):
        super().__init__(pattern, md)
        self.state = state

    def getText(self, data, index):  # noqa: N802 - Python-Markdown's method name
        if index == 0 or data[index - 1] != "[":
            return super().getText(data, index)
        closing = self.state.closing_bracket(data, index - 1)
        if closing is None:
            return data[index:], len(data), False
        return data[index:closing], closing + 1, True

    def getLink(self, data, index):  # noqa: N802 - Python-Markdown's method name
        window = min(_MAX_LINK_TAIL, len(data) - index, self.state.budget)
        if window <= 0 or data.find(")", index, index + window) < 0:
            return "", None, index, False
        href, title, end, handled = super().getLink(data[index : index + window], 0)
        self.state.budget -= end if handled else window
        return href, title, index + end, handled


def _bounded(processor_class):
    return type(f"Bounded{processor_class.__name__}", (_BoundedLinkScanning, processor_class), {})


# Python-Markdown's link processors with their registered names, patterns and priorities.
_LINK_PROCESSORS = (
    ("reference", _bounded(ReferenceInlineProcessor), REFERENCE_RE, 170),
    ("link", _bounded(LinkInlineProcessor), LINK_RE, 160),
    ("image_link", _bounded(ImageInlineProcessor), IMAGE_LINK_RE, 150),
    ("image_reference", _bounded(ImageReferenceInlineProcessor), IMAGE_REFERENCE_RE, 140),
    ("short_reference", _bounded(ShortReferenceInlineProcessor), REFERENCE_RE, 130),
    ("short_image_ref", _bounded(ShortImageReferenceInlineProcessor), IMAGE_REFERENCE_RE, 125),
)


class _BoundedTableProcessor(TableProcessor):
    """Reject non-tables by their second line before the full test.

    The stock test splits the whole block into rows, and it runs again on what is left
    after every heading or rule peeled off the front of a block: 20,000 headings without
    blank lines did not finish in 20 s. A table's second line is always its separator row.
    """

    _SEPARATOR = re.compile(r"[ ]*[|:-][|: -]*")

    @classmethod
    def looks_like_table(cls, block):
        """True when the block's second line could be a separator row."""
        first_end = block.find("\n")
        if first_end < 0:
            return False
        second_end = block.find("\n", first_end + 1)
        second = block[first_end + 1 : second_end if second_end >= 0 else len(block)]
        return "-" in second and cls._SEPARATOR.fullmatch(second) is not None

    def test(self, parent, block):
        return self.looks_like_table(block) and super().test(parent, block)


class _SplitLongBlocks(BlockProcessor):
    """Cut a block longer than _MAX_BLOCK_CHARS at a line end (or a space) into two."""

    def test(self, parent, block):
        return (
            len(block) > _MAX_BLOCK_CHARS
            and not block.startswith((" " * self.tab_length, "\t"))
            and not _BoundedTableProcessor.looks_like_table(block)
        )

    def run(self, parent, blocks):
        block = blocks.pop(0)
        cut = block.rfind("\n", 0, _MAX_BLOCK_CHARS)
        if cut <= 0:
            cut = block.rfind(" ", 0, _MAX_BLOCK_CHARS)
        if cut <= 0:
            cut = _MAX_BLOCK_CHARS
        # The rest starts a line of its own, so its nesting is clamped as the preprocessor
        # clamps every line: "1. " * 30,000 in one heading otherwise hit the recursion limit.
        blocks[:0] = [block[:cut], _clamp_container_prefix(block[cut:].lstrip("\n"))]


class _BoundedCostExtension(Extension):
    """Registers the cost bounds above over Python-Markdown's own processors."""

    def __init__(self):
        super().__init__()
        self.links = _LinkScanState()

    def extendMarkdown(self, md):  # noqa: N802 - Python-Markdown's method name
        md.preprocessors.register(_BoundInput(md), "bound_input", 22)
        md.postprocessors.register(_RestorePlaceholders(md), "restore_placeholders", 5)
        for name, processor_class, pattern, priority in _LINK_PROCESSORS:
            md.inlinePatterns.register(processor_class(pattern, md, self.links), name, priority)
        md.parser.blockprocessors.register(_SplitLongBlocks(md.parser), "split_long_blocks", 110)
        table = md.parser.blockprocessors["table"]
        md.parser.blockprocessors.register(_BoundedTableProcessor(md.parser, table.config), "table", 75)
        md.registerExtension(self)

    def reset(self):
        self.links.reset()


# ---------------------------------------------------------------------------
# Rendering
# ---------------------------------------------------------------------------


def _anchor(value, separator="-"):
    """Heading anchor from the visible text: ``"🎯 Core Mission"`` -> ``"h-core-mission"``."""
    return ANCHOR_PREFIX + (slugify(strip_symbols(value)) or "section")


# Python-Markdown asks Pygments for a new lexer and a new formatter for every code block.
# Finding a lexer by name scans Pygments' whole registry and a formatter rebuilds its style
# table: together a third of the time Pygments took on the corpus (15,000 code blocks). Both
# are reusable, so each thread keeps one per language and options. The options come from
# fence lines of untrusted files, so the table is emptied when it grows past a bound.
_MAX_PYGMENTS_OBJECTS = 512


def _reused(table_name, key, make):
    table = getattr(_local, table_name, None)
    if table is None or len(table) >= _MAX_PYGMENTS_OBJECTS:
        table = {}
        setattr(_local, table_name, table)
    found = table.get(key)
    if found is None:
        found = table[key] = make()
    return found


def _lexer_by_name(name, **options):
    return _reused("lexers", (name, repr(sorted(options.items()))), lambda: get_lexer_by_name(name, **options))


def _html_formatter(**options):
    return _reused("formatters", repr(sorted(options.items())), lambda: HtmlFormatter(**options))


# CodeHilite has no hook for the lexer: the reused one goes in under the name it calls.
codehilite.get_lexer_by_name = _lexer_by_name


def _new_markdown():
    return markdown.Markdown(
        output_format="html",
        extensions=[
            FencedCodeExtension(),
            # linenums=False: otherwise a shebang line turns on a line-number table.
            CodeHiliteExtension(
                css_class="highlight",
                guess_lang=False,
                use_pygments=True,
                linenums=False,
                pygments_formatter=_html_formatter,
            ),
            TableExtension(use_align_attribute=True),
            "sane_lists",
            # An empty marker: "[TOC]" in an imported file stays text.
            TocExtension(marker="", slugify=_anchor, toc_depth="1-4"),
            _BoundedCostExtension(),
        ],
    )


# Building a Markdown instance costs more than rendering a small file, and an instance
# is not safe to share between threads, so each thread keeps one and resets it.
_local = threading.local()


def _markdown():
    md = getattr(_local, "markdown", None)
    if md is None:
        md = _local.markdown = _new_markdown()
    md.reset()
    return md


def _flatten_toc(tokens):
    for token in tokens:
        text = html.unescape(token["name"]).replace(_LT_PLACEHOLDER, "<")
        yield TocEntry(level=token["level"], text=" ".join(text.split()), anchor=token["id"])
        yield from _flatten_toc(token["children"])


def render_markdown(text):
    """Render imported Markdown to sanitized HTML and its table of contents (levels 1-4)."""
    source, was_cut = _limit_source(text)
    md = _markdown()
    try:
        body = md.convert(source)
    except BaseException:
        # reset() does not clear the block parser's state stack, and a conversion that
        # failed half-way leaves entries on it that slowed every later render tenfold.
        _local.markdown = None
        raise
    if was_cut:
        lines = source.count("\n") + 1
        body += f"\n<p><em>Only the first {lines:,} lines ({len(source):,} characters) are shown.</em></p>"
    return Rendered(html=_images_to_links(sanitize_html(body)), toc=tuple(_flatten_toc(md.toc_tokens)))


# ---------------------------------------------------------------------------
# Stylesheet for the highlighted code
# ---------------------------------------------------------------------------

PYGMENTS_LIGHT_STYLE = "default"
PYGMENTS_DARK_STYLE = "github-dark"


def pygments_css():
    """The stylesheet for ``.highlight`` blocks: a light style, and a dark one for dark mode.

    ``static/css/pygments.css`` is this function's output; the tests check they agree.
    """
    light = HtmlFormatter(style=PYGMENTS_LIGHT_STYLE)
    dark = HtmlFormatter(style=PYGMENTS_DARK_STYLE)
    dark_rules = "\n".join(
        "  " + line for line in (dark.get_background_style_defs(".highlight") + dark.get_token_style_defs(".highlight"))
    )
    return "\n".join(
        [
            f"/* Generated by catalog.core.rendering.pygments_css() from Pygments styles"
            f" '{PYGMENTS_LIGHT_STYLE}' and '{PYGMENTS_DARK_STYLE}'. Do not edit. */",
            *light.get_background_style_defs(".highlight"),
            *light.get_token_style_defs(".highlight"),
            "@media (prefers-color-scheme: dark) {",
            dark_rules,
            "}",
            "",
        ]
    )
