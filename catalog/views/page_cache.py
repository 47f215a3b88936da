"""Anonymous pages from the shared cache, keyed by the catalog's stamp, with ETag and 304.

The catalog only changes at import or when staff save something, and ``catalog_stamp`` says
when it did, so every catalog page, fragment and JSON twin an anonymous visitor asks for is
built once per stamp and then served from Django's cache (shared by all server processes).
An import or an admin save changes the stamp, which makes every older entry unreachable.

The middleware sits early: a hit costs the stamp query and one cache read, before sessions,
authentication or CSRF run. What is never served from or stored into the cache:

- a request that carries a session cookie (staff, anyone logged in): their pages may show
  what anonymous visitors must not, and edits must show at once;
- the admin, and anything but GET or HEAD;
- a response that is not a plain 200, sets a cookie, or says it is private.

The key holds the stamp, the variant (full page, HTMX fragment, or JSON twin: one URL
answers all three) and the full path with its query. Bodies are stored gzip-compressed and
sent so to clients that accept gzip, unpacked for the others.
"""

import gzip
import hashlib
import time

from django.conf import settings
from django.core.cache import cache
from django.http import HttpResponse, HttpResponseNotModified
from django.urls import reverse
from django.utils.cache import get_conditional_response, patch_vary_headers
from django.utils.http import http_date, parse_etags
from django_htmx.middleware import HtmxDetails

from ..stamp import CACHE_SECONDS, catalog_stamp, request_stamp
from .common import wants_fragment, wants_json

# Below this a body is stored as it is: compressing it saves nothing worth a header.
COMPRESS_FROM = 1024
_SKIPPED_HEADERS = frozenset({"content-length", "content-encoding", "set-cookie", "etag", "last-modified"})


def variant(request):
    """Which of a URL's three answers the request gets: ``page``, ``fragment`` or ``json``."""
    if wants_json(request):
        return "json"
    return "fragment" if wants_fragment(request) else "page"


def page_key(stamp, request):
    path = hashlib.blake2b(request.get_full_path().encode(), digest_size=16).hexdigest()
    return f"agentdash:page:{stamp}:{variant(request)}:{path}"


class PageCacheMiddleware:
    """Serve and store anonymous GET/HEAD responses of the catalog; answer 304 when fresh."""

    def __init__(self, get_response):
        self.get_response = get_response
        self.admin_prefix = None

    def __call__(self, request):
        if not self._cacheable(request):
            return self.get_response(request)
        request.htmx = HtmxDetails(request)  # HtmxMiddleware has not run yet on a hit
        stamp = catalog_stamp()
        key = page_key(stamp, request)
        etag = f'W/"{hashlib.blake2b(key.encode(), digest_size=12).hexdigest()}"'
        entry = cache.get(key)
        if entry is None and _matches(request, etag):  # evicted, but the client's copy is current
            return _not_modified(etag)
        if entry is None:
            pinned = request_stamp.set(stamp)
            try:
                response = self.get_response(request)
            finally:
                request_stamp.reset(pinned)
            if not _storable(response):
                return response
            entry = _store(key, response)
        return _respond(request, entry, etag)

    def _cacheable(self, request):
        if not settings.AGENTDASH_PAGE_CACHE:
            return False
        if request.method not in ("GET", "HEAD") or settings.SESSION_COOKIE_NAME in request.COOKIES:
            return False
        if self.admin_prefix is None:
            self.admin_prefix = reverse("admin:index")
        return not request.path.startswith(self.admin_prefix)


def _storable(response):
    cache_control = response.get("Cache-Control", "")
    return (
        response.status_code == 200
        and not response.streaming
        and not response.cookies
        and "private" not in cache_control
        and "no-store" not in cache_control
    )


def _store(key, response):
    body = response.content
    compressed = len(body) >= COMPRESS_FROM
    if compressed:
        body = gzip.compress(body, compresslevel=6, mtime=0)
    headers = [(name, value) for name, value in response.items() if name.lower() not in _SKIPPED_HEADERS]
    entry = (headers, body, compressed, int(time.time()))
    cache.set(key, entry, CACHE_SECONDS)
    return entry


def _respond(request, entry, etag):
    headers, body, compressed, stored_at = entry
    if compressed and "gzip" not in request.headers.get("Accept-Encoding", "").lower():
        body, compressed = gzip.decompress(body), False
    response = HttpResponse(b"" if request.method == "HEAD" else body)
    for name, value in headers:
        response[name] = value
    if compressed:
        response["Content-Encoding"] = "gzip"
    response["Content-Length"] = str(len(body))
    response["ETag"] = etag
    response["Last-Modified"] = http_date(stored_at)
    # Browsers may keep the page but must ask again; the answer is usually a 304.
    response["Cache-Control"] = "no-cache"
    patch_vary_headers(response, ["Accept-Encoding"])
    return get_conditional_response(request, etag=etag, last_modified=stored_at, response=response)


def _matches(request, etag):
    """Whether If-None-Match names ``etag``, compared weakly as RFC 9110 asks for GET."""
    header = request.headers.get("If-None-Match")
    if not header:
        return False
    tags = parse_etags(header)
    return "*" in tags or etag.removeprefix("W/") in {tag.removeprefix("W/") for tag in tags}


def _not_modified(etag):
    response = HttpResponseNotModified()
    response["ETag"] = etag
    response["Cache-Control"] = "no-cache"
    response["Vary"] = "HX-Request, Cookie, Accept-Encoding"  # the most any page varies on
    return response
