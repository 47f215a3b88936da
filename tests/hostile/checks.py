"""Find active content in a response by parsing it, never by searching its text.

``active_content(html)`` walks the document with ``html.parser``, which decodes
entities in attribute values as a browser does, and returns one line per finding:

- a ``<script>`` that is neither one of our static files nor an inert JSON block that
  parses and holds no ``</script`` or ``<!--``;
- an ``on*`` event handler; a ``javascript:``, ``data:`` or ``vbscript:`` URL in any
  attribute that navigates or loads;
- an htmx attribute that AgentDash's own templates never write (``hx-on*``, ``hx-post``,
  ``data-hx-*``...) or one whose value carries a payload;
- an element that frames, embeds, redirects, rebases or restyles (``<iframe>``, ``<object>``,
  ``<embed>``, ``<base>``, ``<meta http-equiv=refresh>``, ``<style>``), a form that posts
  off-site;
- inside rendered Markdown (``div.markdown``): SVG, MathML, forms and their controls, any
  ``name``, any id outside the sanitizer's ``h-`` shape (DOM clobbering); and a duplicate id
  anywhere.

``script_json`` returns the parsed JSON blocks, so a test can check what they hold.
"""

import json
import re
from html.parser import HTMLParser

from catalog.core.rendering import ANCHOR_PREFIX

STATIC_PREFIX = "/static/"
# Our scripts: static files, and the admin's JavaScript translation catalog.
OWN_SCRIPT_PREFIXES = (STATIC_PREFIX, "/admin/jsi18n/")

URL_ATTRIBUTES = frozenset(
    {"href", "src", "action", "formaction", "xlink:href", "data", "poster", "background", "srcset", "ping",
     "codebase", "cite", "longdesc", "manifest", "icon", "lowsrc", "dynsrc", "srcdoc"}
)  # fmt: skip
BAD_SCHEMES = ("javascript:", "data:", "vbscript:")
# Never part of an AgentDash page, so any of these came from content.
FORBIDDEN_TAGS = frozenset(
    {"iframe", "frame", "frameset", "object", "embed", "applet", "base", "portal", "isindex", "style"}
)
# Our own pages use these (charts are inline SVG), rendered Markdown never does.
NOT_IN_CONTENT = frozenset(
    {"form", "input", "button", "textarea", "select", "option", "meta", "link", "script", "svg", "math"}
)
# SVG animation attributes that can set an href to a URL.
ANIMATION_ATTRIBUTES = frozenset({"values", "to", "from", "by"})
# The htmx attributes AgentDash's own templates use; an inline handler (hx-on*) is never one.
OWN_HTMX = frozenset({"hx-get", "hx-include", "hx-indicator", "hx-push-url", "hx-sync", "hx-target", "hx-trigger"})
PAYLOAD = re.compile(r"pwn|evil\.example|window\.|alert\(", re.IGNORECASE)
VOID_TAGS = frozenset(
    {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}
)
# What a browser strips from or ignores in a URL before it reads the scheme.
_URL_NOISE = re.compile(r"[\x00-\x20\x7f]+")


def normalized_url(value):
    """A URL as a browser reads its scheme: whitespace and control characters gone, lower-case."""
    return _URL_NOISE.sub("", value or "").lower()


def same_origin(url):
    """True for a URL that stays on this site: empty, a fragment, a query or an absolute path."""
    url = normalized_url(url).replace("\\", "/")
    return url == "" or url.startswith(("#", "?")) or (url.startswith("/") and not url.startswith("//"))


class _Walker(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.findings = []
        self.json_blocks = []
        self.ids = {}
        self.depth = 0
        self.content_depth = None  # depth of the open div.markdown, while inside one
        self.in_head = False
        self.script = None  # attributes of the <script> being read

    def flag(self, message):
        self.findings.append(f"line {self.getpos()[0]}: {message}")

    @property
    def in_content(self):
        return self.content_depth is not None

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        self.in_head = (self.in_head or tag == "head") and tag != "body"
        self._check_element(tag, attributes)
        for name, value in attrs:
            self._check_attribute(tag, name, value or "")
        if "id" in attributes:
            self.ids[attributes["id"]] = self.ids.get(attributes["id"], 0) + 1
        if tag == "script":
            self.script = attributes
        if tag not in VOID_TAGS:
            self.depth += 1
            if tag == "div" and "markdown" in (attributes.get("class") or "").split() and not self.in_content:
                self.content_depth = self.depth

    def handle_startendtag(self, tag, attrs):
        self._check_element(tag, dict(attrs))
        for name, value in attrs:
            self._check_attribute(tag, name, value or "")

    def handle_endtag(self, tag):
        if tag == "head":
            self.in_head = False
        if tag == "script":
            self.script = None
        if tag not in VOID_TAGS:
            if self.depth == self.content_depth:
                self.content_depth = None
            self.depth -= 1

    def handle_data(self, data):
        if self.script is None:
            return
        if (self.script.get("type") or "").lower() != "application/json":
            if data.strip():
                self.flag(f"inline script {data.strip()[:60]!r}")
            return
        if "<!--" in data or "</script" in data.lower():
            self.flag(f"JSON <script id={self.script.get('id')!r}> holds '<!--' or '</script'")
        try:
            self.json_blocks.append((self.script.get("id"), json.loads(data)))
        except ValueError as error:
            self.flag(f"JSON <script id={self.script.get('id')!r}> does not parse: {error}")

    def _check_element(self, tag, attributes):
        if tag in FORBIDDEN_TAGS:
            self.flag(f"<{tag}> element")
        if tag == "meta" and (attributes.get("http-equiv") or "").lower() == "refresh":
            self.flag("<meta http-equiv=refresh>")
        if tag == "meta" and not self.in_head:
            self.flag("<meta> outside <head>")
        if tag == "link" and not (attributes.get("href") or "").startswith(STATIC_PREFIX):
            self.flag(f"<link href={attributes.get('href')!r}> is not one of our static files")
        if tag == "form" and not same_origin(attributes.get("action") or ""):
            self.flag(f"<form action={attributes['action']!r}> posts elsewhere")
        if tag == "script":
            self._check_script(attributes)
        if self.in_content:
            if tag in NOT_IN_CONTENT:
                self.flag(f"<{tag}> inside rendered Markdown")
            if "name" in attributes:
                self.flag(f"<{tag} name={attributes['name']!r}> inside rendered Markdown")
            if "id" in attributes and not (attributes["id"] or "").startswith(ANCHOR_PREFIX):
                self.flag(f"<{tag} id={attributes['id']!r}> inside rendered Markdown")

    def _check_script(self, attributes):
        if (attributes.get("type") or "").lower() == "application/json":
            if "src" in attributes:
                self.flag("JSON <script> with a src")
            return
        src = attributes.get("src") or ""
        if not src.startswith(OWN_SCRIPT_PREFIXES) or "//" in src or PAYLOAD.search(src):
            self.flag(f"<script src={src!r}> is not one of our own scripts")

    def _check_attribute(self, tag, name, value):
        if name.startswith("on"):
            self.flag(f"<{tag} {name}> event handler")
        if (name in URL_ATTRIBUTES or name in ANIMATION_ATTRIBUTES) and normalized_url(value).startswith(BAD_SCHEMES):
            self.flag(f"<{tag} {name}={value[:60]!r}> active URL")
        if tag == "meta" and name == "content" and "url=" in normalized_url(value):
            self.flag(f"<meta content={value[:60]!r}> redirect")
        if name == "style" and (PAYLOAD.search(value) or "url(" in normalized_url(value)):
            self.flag(f"<{tag} style={value[:60]!r}>")
        htmx = name.removeprefix("data-")
        if htmx.startswith("hx-"):
            if htmx not in OWN_HTMX or name.startswith("data-"):
                self.flag(f"<{tag} {name}> is an htmx attribute AgentDash never writes")
            elif htmx in ("hx-get", "hx-push-url") and value not in ("true", "false") and not same_origin(value):
                self.flag(f"<{tag} {name}={value[:60]!r}> leaves the site")
            elif htmx not in ("hx-get", "hx-push-url") and PAYLOAD.search(value):
                self.flag(f"<{tag} {name}={value[:60]!r}> htmx attribute with a payload")


def _walk(html):
    walker = _Walker()
    walker.feed(html)
    walker.close()
    return walker


def active_content(html):
    """Every active construct in ``html``."""
    walker = _walk(html)
    duplicates = [f"id {key!r} appears {count} times" for key, count in walker.ids.items() if count > 1]
    return walker.findings + duplicates


def script_json(html):
    """``{id: parsed JSON}`` for every ``<script type="application/json">`` in ``html``."""
    return dict(_walk(html).json_blocks)
