"""Full-text search over responsibilities and success metrics, in the database's own engine.

One interface, two engines chosen by the database in use:

* SQLite: the FTS5 table ``catalog_item_fts`` (migration 0002), ranked with bm25, the last
  word matched as a prefix. Its rowid is ``definition_id << 16 | n``, so a definition's
  rows form one rowid range: ``index_definitions`` replaces that range, and ranking groups
  by definition without reading stored columns.
* PostgreSQL: the generated ``catalog_item.search_vector`` column with its GIN index, ranked
  with ``ts_rank_cd``. The database keeps that column in sync with ``text`` by itself. The
  table is split into hash partitions (migration 0006), each with its own GIN index, so a
  search for a common word reads the partitions in turn and stops once it has enough items.

Search text is data. The query is cut to ``MAX_QUERY_LENGTH`` characters and
``MAX_TOKENS`` words that this module extracts itself; each reaches FTS5 double-quoted and
PostgreSQL through ``plainto_tsquery``/``phraseto_tsquery`` or as one ``'word':*`` lexeme, so
no operator the user types (quotes, ``NEAR(``, ``AND``, ``-x``, ``col:x``, ``*``) is ever
interpreted. Every search runs under a time budget and fails with ``SearchTooExpensive``
instead of holding the database.

Every word must appear in the same item. Ranking is tiered: items holding the words as an
exact phrase come before items where they are scattered; within a tier the engine's score
decides; a definition ranks by its best item. To keep every search cheap whatever the
catalog's size, an engine ranks at most ``MAX_CANDIDATES`` matching items (SQLite per tier;
PostgreSQL, where checking a phrase means reading the row, flags phrases among the items it
read). When more match, ``Results.exact`` is False and the count is a lower bound, which the
page says.
"""

import hashlib
import json
import re
import time
import unicodedata
from contextlib import contextmanager
from dataclasses import dataclass, replace
from functools import lru_cache
from itertools import batched
from typing import NamedTuple

from django.conf import settings
from django.db import OperationalError, connection, transaction

from .core.parsing import MODEL_SEPARATOR
from .models import Definition, Item
from .stamp import cached

MAX_QUERY_LENGTH = 200
MAX_TOKENS = 12
# A one-letter prefix expands to a large part of the vocabulary; it waits for a second letter.
MIN_PREFIX_LENGTH = 2
MAX_CANDIDATES = 500
# PostgreSQL: filters that keep at most this many definitions are applied as a list of their ids.
SELECTIVE_FILTER = 20_000
PAGE_SIZE = 20
MATCHES_SHOWN = 3
DEFAULT_BUDGET_MS = 1000

# SQLite rowids: definition_id << ITEM_BITS | the item's rank within its definition.
ITEM_BITS = 16
ITEM_SLOTS = 1 << ITEM_BITS

ALL = "all"
SCOPES = (
    (ALL, "Everything"),
    (Item.Field.RESPONSIBILITY, "Responsibilities"),
    (Item.Field.METRIC, "Success metrics"),
)

# What FTS5's unicode61 tokenizer calls a token: a run of letters and digits.
_WORD = re.compile(r"[^\W_]+")
_SUFFIXES = ("ations", "ation", "ings", "ing", "ions", "ion", "ies", "ers", "er", "es", "ed", "ly", "s", "e")


class SearchTooExpensive(Exception):
    """The search ran out of its time budget and was stopped."""


# ---------------------------------------------------------------------------
# What was asked
# ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Criteria:
    """A search as the URL states it: the words, the scope and the definition filters."""

    query: str = ""
    scope: str = ALL
    collection: str = ""
    kind: str = ""
    model: str = ""
    tool: str = ""
    category: str = ""  # a folder path: definitions in it or below it

    @property
    def filtered(self):
        return any((self.collection, self.kind, self.model, self.tool, self.category))

    @property
    def scope_label(self):
        return dict(SCOPES)[self.scope]


@dataclass(frozen=True)
class Terms:
    """The words of a query, cleaned and capped; ``prefix`` when the last one is still being typed."""

    text: str
    tokens: tuple
    prefix: bool

    def __bool__(self):
        return bool(self.tokens)

    @property
    def head(self):
        """The text before the prefix word (all of it when there is none)."""
        if not self.prefix:
            return self.text
        return self.text[: len(self.text) - len(self.tokens[-1])]


def parse_query(raw):
    """Extract the words of a raw query: no control characters, at most MAX_TOKENS words."""
    text = "".join(ch for ch in raw[:MAX_QUERY_LENGTH] if unicodedata.category(ch) not in {"Cc", "Cs"})
    words = list(_WORD.finditer(text))[:MAX_TOKENS]
    if not words:
        return Terms(text="", tokens=(), prefix=False)
    last = words[-1]
    # The word still being typed ends the text; "sub-20" is one compound to PostgreSQL's parser.
    prefix = last.end() == len(text) and len(last.group()) >= MIN_PREFIX_LENGTH and text.split()[-1] == last.group()
    text = text[: last.end()].strip()
    return Terms(text=text, tokens=tuple(w.group() for w in words), prefix=prefix)


# ---------------------------------------------------------------------------
# What was found
# ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Segment:
    """A piece of an item's text; ``marked`` when it is a query word. Escaped when rendered."""

    text: str
    marked: bool = False


@dataclass(frozen=True)
class Match:
    """One item of a definition that matched, with its text cut into segments for highlighting."""

    field: str
    section: str
    text: str
    segments: tuple

    @property
    def field_label(self):
        return Item.Field(self.field).label


@dataclass(frozen=True)
class Hit:
    """A definition with its best matching items; ``match_count`` counts all its matching items."""

    definition: Definition
    phrase: bool
    score: float
    match_count: int
    matches: tuple

    @property
    def more(self):
        return self.match_count - len(self.matches)


@dataclass(frozen=True)
class Results:
    """One page of hits, best first, and how many definitions match (a lower bound unless exact)."""

    terms: Terms
    hits: tuple
    count: int
    exact: bool
    page: int = 1
    pages: int = 1
    start: int = 0  # how many hits come before this page

    @property
    def first_shown(self):
        return self.start + 1

    @property
    def last_shown(self):
        return self.start + len(self.hits)


class _Candidate(NamedTuple):
    """A matching item as an engine reports it (a tuple: thousands are made per search)."""

    key: int  # the engine's id for the indexed item
    definition_id: int
    phrase: bool
    score: float  # higher is better


def search(criteria, *, page=1, per_page=PAGE_SIZE):
    """Find the definitions whose items match ``criteria``, best first, one page of them.

    A page past the last gives the last. Raises ``SearchTooExpensive`` when the engine
    exceeds the time budget.
    """
    terms = parse_query(criteria.query)
    if not terms:
        return Results(terms=terms, hits=(), count=0, exact=True)
    engine = get_engine()
    with time_budget(budget_ms()):
        candidates, exact = _candidates(engine, terms, criteria)
        ranked = _by_definition(candidates)
        pages = max(1, -(-len(ranked) // per_page))
        page = min(max(1, page), pages)
        start = (page - 1) * per_page
        top = ranked[start : start + per_page]
        shown = [c.key for _, items in top for c in items[:MATCHES_SHOWN]]
        texts = engine.fetch_items(shown)
    definitions = (
        Definition.objects.select_related("collection")
        .only("pk", "name", "slug", "kind", "model", "collection__slug", "collection__name")
        .in_bulk([definition_id for definition_id, _ in top])
    )
    hits = []
    for definition_id, items in top:
        if definition_id not in definitions:
            continue  # deleted since the candidates were read
        matches = tuple(
            Match(field=field, section=section, text=text, segments=highlight(text, terms))
            for field, section, text in (texts[c.key] for c in items[:MATCHES_SHOWN] if c.key in texts)
        )
        best = items[0]
        hits.append(
            Hit(
                definition=definitions[definition_id],
                phrase=best.phrase,
                score=best.score,
                match_count=len(items),
                matches=matches,
            )
        )
    return Results(terms=terms, hits=tuple(hits), count=len(ranked), exact=exact, page=page, pages=pages, start=start)


def _candidates(engine, terms, criteria):
    """Matching items, at most MAX_CANDIDATES, and whether that is all of them.

    A prefix costs both engines a merge of every word it expands to, before any limit applies.
    The whole last word is tried first: when it alone fills the window (a common word, typed
    in full), those items are a fair window on the prefix's matches, and the prefix is skipped.
    """
    if terms.prefix:
        candidates, exact = engine.candidates(replace(terms, prefix=False), criteria, limit=MAX_CANDIDATES)
        if not exact:
            return candidates, False
    return engine.candidates(terms, criteria, limit=MAX_CANDIDATES)


def _by_definition(candidates):
    """``[(definition_id, its candidates best first)]``, the definition with the best item first.

    Ties go to the definition with more matching items, then to the older one.
    """
    groups = {}
    for candidate in candidates:
        groups.setdefault(candidate.definition_id, []).append(candidate)
    for items in groups.values():
        items.sort(key=_rank)
    return sorted(groups.items(), key=lambda group: (_rank(group[1][0]), -len(group[1]), group[0]))


def _rank(candidate):
    return (not candidate.phrase, -candidate.score, candidate.key)


def highlight(text, terms):
    """Cut ``text`` into segments, marking the words a query word matches.

    The engines decide which items match (stemming, prefixes); this only has to show why, so
    it compares folded words and crude stems, and a prefix for the last query word.
    """
    wanted = [(_fold(token), _stem(_fold(token))) for token in terms.tokens]
    prefix = _fold(terms.tokens[-1]) if terms.prefix else None
    segments, start = [], 0
    for word in _WORD.finditer(text):
        folded = _fold(word.group())
        stem = _stem(folded)
        if any(folded == w or stem == s for w, s in wanted) or (prefix and folded.startswith(prefix)):
            if word.start() > start:
                segments.append(Segment(text[start : word.start()]))
            segments.append(Segment(word.group(), marked=True))
            start = word.end()
    if start < len(text):
        segments.append(Segment(text[start:]))
    return tuple(segments)


@lru_cache(maxsize=65536)
def _fold(word):
    """Lowercase without diacritics, as unicode61 with remove_diacritics compares words."""
    decomposed = unicodedata.normalize("NFKD", word.casefold())
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


@lru_cache(maxsize=65536)
def _stem(word):
    for suffix in _SUFFIXES:
        if len(word) - len(suffix) >= 3 and word.endswith(suffix):
            return word[: -len(suffix)]
    return word


# ---------------------------------------------------------------------------
# Keeping the index in sync
# ---------------------------------------------------------------------------


def index_definitions(ids):
    """Bring the search index up to date for these definitions (their items were rewritten).

    Called inside the import transaction and after an admin edit; definitions that no longer
    exist are simply removed from the index.
    """
    ids = sorted({int(pk) for pk in ids})
    if ids:
        with transaction.atomic():
            get_engine().index(ids)


def rebuild_index():
    """Index every item again, for bulk loads that bypassed ``index_definitions``."""
    with transaction.atomic():
        get_engine().rebuild()


# ---------------------------------------------------------------------------
# Time budget
# ---------------------------------------------------------------------------


def budget_ms():
    return int(getattr(settings, "AGENTDASH_SEARCH_BUDGET_MS", DEFAULT_BUDGET_MS))


@contextmanager
def time_budget(ms):
    """Stop any query run inside the block after ``ms`` milliseconds: ``SearchTooExpensive``."""
    try:
        with get_engine().budget(max(1, int(ms))):
            yield
    except OperationalError as error:
        if get_engine().is_timeout(error):
            raise SearchTooExpensive(f"The search took longer than {ms} ms and was stopped.") from error
        raise


# ---------------------------------------------------------------------------
# Engines
# ---------------------------------------------------------------------------

# The definition filters, the same SQL on both engines; ``d`` is catalog_definition.
_FILTERS = {
    "collection": "d.collection_id IN (SELECT c.id FROM catalog_collection c WHERE c.slug = %s)",
    "kind": "d.kind = %s",
    "tool": (
        "EXISTS (SELECT 1 FROM catalog_definitiontool dt JOIN catalog_tool t ON t.id = dt.tool_id"
        " WHERE dt.definition_id = d.id AND dt.enabled AND t.name = %s)"
    ),
}
# The category filter takes its folder and every folder below it: two parameters.
_CATEGORY_FILTER = "(d.category = %s OR d.category LIKE %s ESCAPE '\\')"


# A model alone, or one of a Copilot list ("a, b"): as DefinitionQuerySet.with_model.
_MODEL_FILTER = (
    "(d.model = %s OR d.model LIKE %s ESCAPE '\\' OR d.model LIKE %s ESCAPE '\\' OR d.model LIKE %s ESCAPE '\\')"
)


def _listed(model):
    sep, name = MODEL_SEPARATOR, _like_escape(model)
    return f"{name}{sep}%", f"%{sep}{name}", f"%{sep}{name}{sep}%"


def _like_escape(text):
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def _like_prefix(text):
    return _like_escape(text) + "/%"


def _filter_sql(criteria):
    """``AND ...`` clauses for the criteria's filters, with their parameters."""
    clauses, params = ["d.missing = %s"], [False]
    for name, clause in _FILTERS.items():
        value = getattr(criteria, name)
        if value:
            clauses.append(clause)
            params.append(value)
    if criteria.model:
        clauses.append(_MODEL_FILTER)
        params += [criteria.model, *_listed(criteria.model)]
    if criteria.category:
        clauses.append(_CATEGORY_FILTER)
        params += [criteria.category, _like_prefix(criteria.category)]
    return " AND ".join(clauses), params


# Each engine answers the same calls:
#   candidates(terms, criteria, limit) -> ([_Candidate], exact)   matching items, at most ``limit``
#   fetch_items(keys) -> {key: (field, section, text)}
#   index(definition_ids), rebuild(), budget(ms) (a context manager), is_timeout(error)


class SqliteEngine:
    """FTS5 with bm25; a scope is a column filter inside the index."""

    def candidates(self, terms, criteria, *, limit):
        """Exact phrases first, then all matches, each tier cut at ``limit`` items.

        Phrase matching reads only the index's position lists, so the phrase tier is a query of
        its own here and covers the whole catalog.
        """
        found = {}
        if len(terms.tokens) > 1:
            phrases = self._tier(terms, criteria, phrase=True, limit=limit + 1)
            if len(phrases) > limit:
                # The shown hits all come from this tier; the rest could only add to a lower bound.
                return phrases[:limit], False
            found = {candidate.key: candidate for candidate in phrases}
        every = self._tier(terms, criteria, phrase=False, limit=limit + 1)
        for candidate in every[:limit]:
            found.setdefault(candidate.key, candidate)
        return list(found.values()), len(every) <= limit

    def _tier(self, terms, criteria, *, phrase, limit):
        words = [_fts5_string(token) for token in terms.tokens]
        if terms.prefix:
            words[-1] += "*"
        expression = " + ".join(words) if phrase else " AND ".join(words)
        if criteria.scope != ALL:
            expression = f"{{{criteria.scope}}} : ({expression})"
        where, params = _filter_sql(criteria)
        # Without ORDER BY, FTS5 stops after `limit` rows and scores only those.
        sql = (
            # bandit B608: fixed SQL, values are parameters
            "SELECT catalog_item_fts.rowid, bm25(catalog_item_fts) FROM catalog_item_fts"  # noqa: S608  # nosec B608
            f" JOIN catalog_definition d ON d.id = (catalog_item_fts.rowid >> {ITEM_BITS})"
            f" WHERE catalog_item_fts MATCH %s AND {where} LIMIT %s"
        )
        with connection.cursor() as cursor:
            cursor.execute(sql, [expression, *params, limit])
            rows = cursor.fetchall()
        # bm25 is lower for better matches; candidates are higher-is-better.
        return [_Candidate(key, key >> ITEM_BITS, phrase, -score) for key, score in rows]

    def fetch_items(self, keys):
        if not keys:
            return {}
        placeholders = ", ".join(["%s"] * len(keys))
        sql = (
            # bandit B608: placeholders only
            "SELECT rowid, responsibility, metric, section FROM catalog_item_fts"  # noqa: S608  # nosec B608
            f" WHERE rowid IN ({placeholders})"
        )
        with connection.cursor() as cursor:
            cursor.execute(sql, list(keys))
            return {
                key: (Item.Field.METRIC, section, metric) if metric else (Item.Field.RESPONSIBILITY, section, resp)
                for key, resp, metric, section in cursor.fetchall()
            }

    def index(self, ids):
        with connection.cursor() as cursor:
            cursor.executemany(
                "DELETE FROM catalog_item_fts WHERE rowid >= %s AND rowid < %s",
                [(pk << ITEM_BITS, (pk + 1) << ITEM_BITS) for pk in ids],
            )
            for chunk in batched(ids, 500):
                items = (
                    Item.objects.filter(definition_id__in=chunk)
                    .order_by("definition_id", "position", "pk")
                    .values_list("pk", "definition_id", "field", "section", "text")
                )
                rows, seen = [], {}
                for pk, definition_id, field, section, text in items.iterator():
                    n = seen[definition_id] = seen.get(definition_id, -1) + 1
                    if n < ITEM_SLOTS:
                        rows.append(_fts5_row(pk, definition_id, n, field, section, text))
                cursor.executemany(
                    "INSERT INTO catalog_item_fts (rowid, responsibility, metric, section, item_id)"
                    " VALUES (%s, %s, %s, %s, %s)",
                    rows,
                )

    def rebuild(self):
        with connection.cursor() as cursor:
            cursor.execute("DELETE FROM catalog_item_fts")
            cursor.execute(
                # bandit B608: constants
                "INSERT INTO catalog_item_fts (rowid, responsibility, metric, section, item_id)"  # noqa: S608  # nosec B608
                f" SELECT (definition_id << {ITEM_BITS}) + n,"
                "  CASE WHEN field = 'responsibility' THEN text ELSE '' END,"
                "  CASE WHEN field = 'metric' THEN text ELSE '' END, section, id"
                " FROM (SELECT id, definition_id, field, section, text, ROW_NUMBER() OVER"
                "  (PARTITION BY definition_id ORDER BY position, id) - 1 AS n FROM catalog_item)"
                f" WHERE n < {ITEM_SLOTS}"
            )
            cursor.execute("INSERT INTO catalog_item_fts (catalog_item_fts) VALUES ('optimize')")

    @contextmanager
    def budget(self, ms):
        """A progress handler on the raw sqlite3 connection interrupts the running statement."""
        connection.ensure_connection()
        raw = connection.connection
        deadline = time.monotonic() + ms / 1000
        raw.set_progress_handler(lambda: time.monotonic() > deadline, 1000)
        try:
            yield
        finally:
            raw.set_progress_handler(None, 0)

    @staticmethod
    def is_timeout(error):
        return "interrupted" in str(error)


class PostgresEngine:
    """tsvector + GIN with ts_rank_cd; the column is generated, so indexing has nothing to do."""

    def candidates(self, terms, criteria, *, limit):
        """The first ``limit`` matching items, each flagged when it holds the exact phrase.

        A phrase is checked against the stored vector of each row, so a phrase tier of its own
        would recheck every item holding all the words; flagging the rows already read keeps
        the work bounded by ``limit``, and the phrase still ranks first among them.
        """
        query, params = self._tsquery(terms, phrase=False)
        phrase, phrase_params = self._tsquery(terms, phrase=True) if len(terms.tokens) > 1 else ("NULL::tsquery", [])
        scope, scope_params = ("", [])
        if criteria.scope != ALL:
            scope, scope_params = " AND i.field = %s", [criteria.scope]
        kept = _kept_definitions(criteria) if criteria.filtered else None
        if kept is not None:
            # A selective filter is a list of ids, joined as a hash table that each matching
            # item probes. As ``= ANY(list)`` the planner would estimate the list element by
            # element for every partition, which cost more than the search. The list travels
            # as one array literal: psycopg's list adapter takes milliseconds for 5,000 ids.
            join = " JOIN unnest(%s::bigint[]) kept (id) ON kept.id = i.definition_id"
            join_params = ["{" + ",".join(map(str, kept)) + "}"]
            definitions, filter_params = "", []
        else:
            # Otherwise a scalar subquery, which PostgreSQL never turns into a join: a hash join
            # would read every definition before the LIMIT could stop the scan.
            join, join_params = "", []
            where, filter_params = _filter_sql(criteria)
            # bandit B608: fixed SQL, values are parameters
            definitions = f" AND (SELECT {where} FROM catalog_definition d WHERE d.id = i.definition_id)"  # noqa: S608  # nosec B608
        sql = (
            # bandit B608: fixed SQL, values are parameters
            "SELECT i.id, i.definition_id, coalesce(i.search_vector @@ q.phrase, false),"  # noqa: S608  # nosec B608
            " ts_rank_cd(i.search_vector, q.query)"
            f" FROM (SELECT {query} AS query, {phrase} AS phrase) q, catalog_item i{join}"
            f" WHERE i.search_vector @@ q.query{scope}{definitions}"
            " LIMIT %s"
        )
        with connection.cursor() as cursor:
            cursor.execute(sql, [*params, *phrase_params, *join_params, *scope_params, *filter_params, limit + 1])
            rows = cursor.fetchall()
        candidates = [_Candidate(*row) for row in rows[:limit]]
        return candidates, len(rows) <= limit

    @staticmethod
    def _tsquery(terms, *, phrase):
        """Only PostgreSQL's own parsers read the text, so operators in it mean nothing."""
        whole = "phraseto_tsquery('english', %s)" if phrase else "plainto_tsquery('english', %s)"
        if not terms.prefix:
            return whole, [terms.text]
        lexeme = "to_tsquery('english', %s)"
        combined = f"tsquery_phrase({whole}, {lexeme})" if phrase else f"({whole} && {lexeme})"
        # The token is letters and digits only; quoting keeps it one lexeme regardless.
        return combined, [terms.head, "'" + terms.tokens[-1].replace("'", "''") + "':*"]

    def fetch_items(self, keys):
        return {
            pk: (field, section, text)
            for pk, field, section, text in Item.objects.filter(pk__in=keys).values_list(
                "pk", "field", "section", "text"
            )
        }

    def index(self, ids):
        """Nothing to do: ``search_vector`` is a generated column."""

    def rebuild(self):
        """Nothing to do: ``search_vector`` is a generated column."""

    @contextmanager
    def budget(self, ms):
        """``statement_timeout`` for this transaction only; a rollback undoes it with the rest.

        Parallel workers are turned off alongside: a search stops after a few hundred rows,
        well before starting workers pays for itself.
        """
        nested = connection.in_atomic_block
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(
                "SELECT current_setting('statement_timeout'), current_setting('max_parallel_workers_per_gather'),"
                " set_config('statement_timeout', %s, true), set_config('max_parallel_workers_per_gather', '0', true)",
                [f"{ms}ms"],
            )
            previous = cursor.fetchone()[:2]
            yield
            if nested:  # an outer transaction goes on after this block: give it its own settings back
                cursor.execute(
                    "SELECT set_config('statement_timeout', %s, true),"
                    " set_config('max_parallel_workers_per_gather', %s, true)",
                    previous,
                )

    @staticmethod
    def is_timeout(error):
        return getattr(error.__cause__, "sqlstate", None) == "57014"  # query_canceled


def _kept_definitions(criteria):
    """The ids of the definitions the filters keep, or ``None`` when they keep more than
    ``SELECTIVE_FILTER`` (then the filter stops few matching items, and checking it per item
    costs less than a list).

    A selective filter (commands allowed Bash) otherwise makes the engine check the filter for
    each of the thousands of items matching a common word before ``limit`` of them pass. The
    list depends on the filters alone, so it is cached until the catalog changes: while a user
    types, every keystroke reuses it.
    """
    values = json.dumps([criteria.collection, criteria.kind, criteria.model, criteria.tool, criteria.category])
    key = f"search-filter:{hashlib.sha256(values.encode()).hexdigest()}"
    kept = cached(key, lambda: _read_kept_definitions(criteria))
    return None if kept == _TOO_MANY else kept


_TOO_MANY = "too many"  # cached as a value: the cache cannot tell a stored None from a miss


def _read_kept_definitions(criteria):
    where, params = _filter_sql(criteria)
    with connection.cursor() as cursor:
        # bandit B608: fixed SQL, values are parameters
        sql = f"SELECT d.id FROM catalog_definition d WHERE {where} LIMIT %s"  # noqa: S608  # nosec B608
        cursor.execute(sql, [*params, SELECTIVE_FILTER + 1])
        ids = tuple(row[0] for row in cursor.fetchall())
    return ids if len(ids) <= SELECTIVE_FILTER else _TOO_MANY


_ENGINES = {"sqlite": SqliteEngine(), "postgresql": PostgresEngine()}


def get_engine():
    """The engine for the database in use."""
    try:
        return _ENGINES[connection.vendor]
    except KeyError:
        raise NotImplementedError(f"Search supports SQLite and PostgreSQL, not {connection.vendor}.") from None


def _fts5_string(token):
    """An FTS5 string literal: whatever it holds is text, never query syntax."""
    return '"' + token.replace('"', '""') + '"'


def _fts5_row(pk, definition_id, n, field, section, text):
    is_metric = field == Item.Field.METRIC
    return ((definition_id << ITEM_BITS) + n, "" if is_metric else text, text if is_metric else "", section, pk)
