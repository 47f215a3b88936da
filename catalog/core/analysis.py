"""Everything the importer derives from one file, in pure Python: parse, extract, check, render.

Kept free of Django so that worker processes can import it cheaply: the importer analyses
many files in parallel (the body is rendered to sanitized HTML there too, so no request
ever renders Markdown), then writes the results in one transaction. ``lint_agents``
(``catalog.core.linting``) runs the same ``analyse``, so the two report the same findings.
"""

import html
from dataclasses import dataclass, replace
from pathlib import PurePosixPath

from . import collaboration, extraction, parsing, rendering, rules


@dataclass(frozen=True)
class Analysis:
    """A parsed file with its items and collaboration mentions, or the reason it was rejected."""

    parsed: parsing.ParsedFile | None
    items: tuple = ()
    edges: tuple = ()
    findings: tuple = ()  # per-file rule findings, the parser's own problems included
    rejection: parsing.Problem | None = None
    rendered: rendering.Rendered | None = None  # the body as sanitized HTML, with its toc


def analyse(raw, relpath, kind, fmt, namespace="", plugin="", *, render=True):
    """Parse one file, extract what the catalog stores and run the per-file rules; never raises.

    ``plugin`` names the Claude Code plugin the file belongs to (plugin agents ignore some
    fields). An extractor that trips costs the file its items and edges, never its findings.
    ``render=False`` skips rendering the body (``lint_agents`` shows no HTML).
    """
    try:
        parsed = parsing.parse_definition(raw, relpath, kind, fmt, namespace)
    except parsing.Rejected as rejected:
        return Analysis(parsed=None, rejection=rejected.problem)
    except Exception as error:  # noqa: BLE001 - one bad file must never abort the others
        problem = parsing.Problem("error", "parser-crash", f"The parser failed: {type(error).__name__}: {error}")
        return Analysis(parsed=None, rejection=problem)
    try:
        items = extraction.extract_items(parsed.body, first_line=parsed.body_line)
        edges = ()
        if parsed.kind in ("agent", "command"):
            self_names = {parsed.slug, parsed.name, PurePosixPath(relpath).stem}
            edges = collaboration.extract_edges(
                parsed.body, parsed.frontmatter, self_names=self_names, first_line=parsed.body_line
            )
    except Exception as error:  # noqa: BLE001 - keep the definition even if an extractor trips
        problem = parsing.Problem("warning", "extractor-crash", f"Extraction failed: {type(error).__name__}: {error}")
        parsed = _with_problem(parsed, problem)
        items, edges = (), ()
    # The rules read the parsed file, not what extraction made of it: they run, once, either way.
    findings = rules.check_definition(parsed, plugin=bool(plugin))
    rendered = render_body(parsed.body) if render else None
    return Analysis(parsed=parsed, items=items, edges=edges, findings=findings, rendered=rendered)


def render_body(body):
    """The body as sanitized HTML; never raises, so a renderer bug cannot lose the definition.

    The fallback is the text itself, escaped in a ``<pre>``: still safe, still readable.
    """
    try:
        return rendering.render_markdown(body)
    except Exception:  # noqa: BLE001 - the definition matters more than its formatting
        return rendering.Rendered(html=rendering.sanitize_html(f"<pre>{html.escape(body)}</pre>"), toc=())


def toc_rows(toc):
    """A ``Rendered.toc`` as the JSON that ``Definition.rendered_toc`` stores."""
    return [{"level": entry.level, "text": entry.text, "anchor": entry.anchor} for entry in toc]


def analyse_batch(jobs):
    """``analyse`` over a list of argument tuples: one task per batch keeps pickling cheap."""
    return [analyse(*job) for job in jobs]


def _with_problem(parsed, problem):
    return replace(parsed, problems=parsed.problems + (problem,))
