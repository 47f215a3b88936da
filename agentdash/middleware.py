"""Request hygiene that every view relies on, and the health check the container asks."""

from django.db import DatabaseError, connection
from django.http import Http404, HttpResponse, QueryDict


class HealthCheckMiddleware:
    """Answer ``GET /healthz`` with 200 "ok" when the database answers, 503 when it does not.

    It comes before every other middleware because the container's health check runs inside
    it: over plain HTTP (no redirect to HTTPS) and addressed to 127.0.0.1 rather than a host
    in ALLOWED_HOSTS, so the host is never validated. The answer names nothing but the outcome.
    """

    path = "/healthz"

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.path_info != self.path or request.method not in {"GET", "HEAD"}:
            return self.get_response(request)
        try:
            with connection.cursor() as cursor:
                cursor.execute("SELECT 1")
        except DatabaseError:
            return HttpResponse("database unavailable\n", status=503, content_type="text/plain")
        return HttpResponse("ok\n", content_type="text/plain")


class NulBytesMiddleware:
    """Keep NUL characters out of the views.

    No collection, slug, key, tool or search text in the catalog holds a NUL, and PostgreSQL
    refuses one in any string parameter. So an address with a NUL in its path names nothing
    (404), and NULs in the query string are dropped before a view reads ``request.GET``; search
    text stays searchable ("uptime\\x00" looks for "uptime"). Form posts need nothing here:
    Django's form fields refuse NUL themselves.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if "\x00" in request.path_info:
            raise Http404("No page has a NUL character in its address.")
        if any("\x00" in key or any("\x00" in value for value in values) for key, values in request.GET.lists()):
            clean = QueryDict(mutable=True)
            for key, values in request.GET.lists():
                clean.setlist(key.replace("\x00", ""), [value.replace("\x00", "") for value in values])
            clean._mutable = False
            request.GET = clean
        return self.get_response(request)
