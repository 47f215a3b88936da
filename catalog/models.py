"""Storage for the catalog: collections, definitions and everything derived from them.

Writes happen in ``catalog.services`` (one transaction each); reads go through the
queryset methods here so views, admin and commands share them.
"""

from django.db import models
from django.db.models import Count, Exists, OuterRef
from django.urls import reverse

from .core.keys import DefinitionKey, key_of
from .core.parsing import MODEL_SEPARATOR


class Collection(models.Model):
    """Where definition files came from: a directory, a repository, a plugin or a marketplace."""

    class Kind(models.TextChoices):
        DIRECTORY = "directory", "Directory"
        REPOSITORY = "repository", "Repository"
        PLUGIN = "plugin", "Plugin"
        MARKETPLACE = "marketplace", "Marketplace"

    name = models.CharField(max_length=200, unique=True)
    slug = models.SlugField(max_length=200, unique=True)
    # The identity imports look a collection up by, never shown: ``dir:<real path of the root>``,
    # ``git:<repository key>[@ref]`` or ``name:<--collection NAME>``. Two roots never share one.
    source_key = models.CharField(max_length=1100, unique=True)
    kind = models.CharField(max_length=20, choices=Kind, default=Kind.DIRECTORY)
    origin = models.CharField(max_length=500, blank=True, help_text="Repository URL or homepage, when known.")
    source_root = models.CharField(max_length=1000, blank=True, help_text="Directory the files were imported from.")
    commit = models.CharField(max_length=64, blank=True)
    source_url = models.CharField(
        max_length=500, blank=True, help_text="The git URL it is fetched from (never with credentials)."
    )
    ref = models.CharField(max_length=255, blank=True, help_text="The ref asked for; blank for the default branch.")
    synced_at = models.DateTimeField(null=True, blank=True, help_text="Last successful fetch of its git URL.")
    description = models.TextField(blank=True)
    marketplace = models.CharField(
        max_length=200, blank=True, help_text="A marketplace's own name, as `claude plugin install x@NAME` uses it."
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["name"]

    def __str__(self):
        return self.name

    def save(self, *args, **kwargs):
        # A collection made by hand (the admin, a fixture) is its own source: its name.
        if not self.source_key:
            self.source_key = f"name:{self.name}"
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return reverse("catalog:collection_detail", args=[self.slug])


class Tool(models.Model):
    """A tool an agent may be allowed to use, under its canonical (today's) name."""

    class Kind(models.TextChoices):
        BUILTIN = "builtin", "Built-in"
        MCP = "mcp", "MCP"
        OTHER = "other", "Other"

    name = models.CharField(max_length=300, unique=True)
    kind = models.CharField(max_length=10, choices=Kind, default=Kind.OTHER)
    server = models.CharField(max_length=200, blank=True, help_text="MCP server, for mcp__server__tool names.")

    class Meta:
        ordering = ["name"]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("catalog:tool_detail", args=[self.name])


class ImportRun(models.Model):
    """One run of the importer, with the report it printed."""

    class Status(models.TextChoices):
        QUEUED = "queued", "Queued"
        RUNNING = "running", "Running"
        SUCCEEDED = "succeeded", "Succeeded"
        FAILED = "failed", "Failed"

    started_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    status = models.CharField(max_length=10, choices=Status, default=Status.RUNNING)
    paths = models.JSONField(default=list)
    # While files are read: how many of how many (a run started from the admin shows it).
    progress_done = models.PositiveIntegerField(default=0)
    progress_total = models.PositiveIntegerField(default=0)
    found = models.PositiveIntegerField(default=0)
    created = models.PositiveIntegerField(default=0)
    updated = models.PositiveIntegerField(default=0)
    unchanged = models.PositiveIntegerField(default=0)
    skipped = models.PositiveIntegerField(default=0)
    rejected = models.PositiveIntegerField(default=0)
    missing = models.PositiveIntegerField(default=0)
    report = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["-started_at"]

    def __str__(self):
        return f"Import #{self.pk} ({self.status})"


class DefinitionQuerySet(models.QuerySet):
    def agents(self):
        return self.filter(kind=Definition.Kind.AGENT)

    def present(self):
        return self.filter(missing=False)

    def with_collection(self):
        return self.select_related("collection")

    def by_key(self, key):
        """Look a definition up by its catalog-wide key ``collection/kind/slug``."""
        key = DefinitionKey.parse(str(key))
        return self.get(collection__slug=key.collection, kind=key.kind, slug=key.slug)

    def with_problem_counts(self):
        return self.annotate(open_problems=Count("problems", distinct=True))

    # -- Browsing (catalog.views.browse) ---------------------------------------------------

    # The large columns a list row never shows; loading them for 50 rows of 10k would
    # dominate a list page's time.
    HEAVY_FIELDS = ("body", "raw", "source_text", "frontmatter", "examples", "rendered_html", "rendered_toc")

    # ``?sort=`` values. Every order ends on the primary key, so pages never overlap, and
    # (but for collection) uses one column and the key only, so an index on
    # (kind, missing, column) can serve it without a sort, at any page depth.
    SORT_ORDERS = {
        "name": ("name", "pk"),
        "-name": ("-name", "-pk"),
        "collection": ("collection__name", "name", "pk"),
        "-collection": ("-collection__name", "name", "pk"),
        "size": ("size", "pk"),
        "-size": ("-size", "-pk"),
        "collaborators": ("collaborator_count", "pk"),
        "-collaborators": ("-collaborator_count", "-pk"),
    }

    def for_list(self):
        """What a list row shows: the collection joined, no big text (its tools come from
        ``selectors.browse.add_tool_chips``)."""
        return (
            self.select_related("collection")
            .defer(*self.HEAVY_FIELDS)
            # A template touching a deferred field loads it for the whole page in one query,
            # never once per row.
            .fetch_mode(models.FETCH_PEERS)
        )

    def in_collection(self, slug):
        return self.filter(collection__slug=slug)

    def with_model(self, name):
        """Definitions whose ``model`` is ``name``, or lists it among others (Copilot's lists)."""
        return self.filter(
            models.Q(model=name)
            | models.Q(model__startswith=name + MODEL_SEPARATOR)
            | models.Q(model__endswith=MODEL_SEPARATOR + name)
            | models.Q(model__contains=MODEL_SEPARATOR + name + MODEL_SEPARATOR)
        )

    def in_category(self, folder):
        """Definitions in the category ``folder`` (a folder path) or in a folder below it."""
        return self.filter(models.Q(category=folder) | models.Q(category__startswith=folder + "/"))

    def using_tool(self, name):
        """Definitions allowed the tool of this canonical name (``Bash`` also covers ``Bash(git:*)``).

        A tool listed as disabled (OpenCode's ``bash: false``) is not allowed.
        """
        return self.filter(
            Exists(DefinitionTool.objects.filter(definition=OuterRef("pk"), tool__name=name, enabled=True))
        )

    def referencing(self, kind, name):
        """Definitions that mention the skill or command ``name`` (as written)."""
        return self.filter(Exists(Reference.objects.filter(definition=OuterRef("pk"), kind=kind, name=name)))

    def with_problems(self, present=True):
        return self.filter(problem_count__gt=0) if present else self.filter(problem_count=0)

    def sorted_by(self, sort):
        """Order by one of ``SORT_ORDERS``; an unknown value sorts by name."""
        return self.order_by(*self.SORT_ORDERS.get(sort, self.SORT_ORDERS["name"]))


class Definition(models.Model):
    """An agent, command or skill, as read from one source file of a collection."""

    class Kind(models.TextChoices):
        AGENT = "agent", "Agent"
        COMMAND = "command", "Command"
        SKILL = "skill", "Skill"

    class Format(models.TextChoices):
        CLAUDE_CODE = "claude-code", "Claude Code"
        COPILOT = "copilot", "GitHub Copilot"
        OPENCODE = "opencode", "OpenCode"

    collection = models.ForeignKey(Collection, on_delete=models.CASCADE, related_name="definitions")
    kind = models.CharField(max_length=10, choices=Kind)
    format = models.CharField(max_length=20, choices=Format)
    slug = models.CharField(max_length=300, help_text="Stable identifier, unique per kind within the collection.")
    name = models.CharField(max_length=300, help_text="Display name.")
    description = models.TextField(blank=True)
    examples = models.JSONField(default=list, blank=True, help_text="<example> blocks taken out of the description.")
    model = models.CharField(max_length=100, blank=True)
    color = models.CharField(max_length=50, blank=True)
    plugin = models.CharField(max_length=200, blank=True)
    namespace = models.CharField(max_length=200, blank=True)
    frontmatter = models.JSONField(default=dict, blank=True)
    body = models.TextField(blank=True)
    body_line = models.PositiveIntegerField(default=1)
    lenient = models.BooleanField(default=False, help_text="Frontmatter needed the lenient reader.")
    # Provenance: the exact bytes are kept so an unedited definition exports byte for byte.
    source_path = models.CharField(max_length=1000)
    source_text = models.TextField(blank=True, help_text="The file as decoded and repaired, for display.")
    raw = models.BinaryField()
    sha256 = models.CharField(max_length=64)
    size = models.PositiveIntegerField(default=0)
    missing = models.BooleanField(default=False, help_text="The file was not found by the latest import.")
    category = models.CharField(max_length=300, blank=True, help_text="The folder path it sits in, in its source.")
    upstream_changed_at = models.DateTimeField(null=True, blank=True, help_text="When its file last changed upstream.")
    upstream_commit = models.CharField(max_length=64, blank=True)
    upstream_exact = models.BooleanField(default=True, help_text="False: a shallow clone, so this old or older.")
    locally_modified = models.BooleanField(
        default=False,
        help_text="Staff edited it: re-imports no longer overwrite it; a changed upstream file becomes a conflict.",
    )
    import_run = models.ForeignKey(
        ImportRun, on_delete=models.SET_NULL, null=True, blank=True, related_name="definitions"
    )
    imported_at = models.DateTimeField()
    # Derived once and cached, never recomputed per request.
    rendered_html = models.TextField(blank=True)
    rendered_toc = models.JSONField(default=list, blank=True)
    rendered_sha256 = models.CharField(max_length=64, blank=True)
    problem_count = models.PositiveIntegerField(default=0)
    collaborator_count = models.PositiveIntegerField(default=0)

    objects = DefinitionQuerySet.as_manager()

    class Meta:
        ordering = ["name", "collection__name"]
        constraints = [
            models.UniqueConstraint(
                fields=["collection", "kind", "slug"], name="%(app_label)s_%(class)s_unique_slug"
            ),
        ]
        indexes = [
            models.Index(fields=["kind", "slug"], name="catalog_def_kind_slug"),
            models.Index(fields=["kind", "name"], name="catalog_def_kind_name"),
            models.Index(fields=["sha256"], name="catalog_def_sha256"),
            # The list pages: present definitions of one kind, in each sort order.
            models.Index(fields=["kind", "missing", "name"], name="catalog_def_list_name"),
            models.Index(fields=["kind", "missing", "size"], name="catalog_def_list_size"),
            models.Index(fields=["kind", "missing", "collaborator_count"], name="catalog_def_list_collab"),
            models.Index(fields=["kind", "missing", "problem_count"], name="catalog_def_list_problems"),
            models.Index(fields=["kind", "missing", "category"], name="catalog_def_list_category"),
            models.Index(fields=["collection", "category"], name="catalog_def_category"),
            # "Has problems" in name order: when few definitions have problems, the list walks
            # only theirs instead of every name.
            models.Index(
                fields=["kind", "missing", "name"],
                condition=models.Q(problem_count__gt=0),
                name="catalog_def_list_problems_name",
            ),
        ]

    def __str__(self):
        return f"{self.name} ({self.collection})"

    def get_absolute_url(self):
        return reverse("catalog:definition_detail", args=[self.collection.slug, self.kind, self.slug])

    @property
    def key(self):
        """Stable catalog-wide identifier: ``collection/kind/slug`` (``catalog.core.keys``)."""
        return key_of(self.collection.slug, self.kind, self.slug)


class DefinitionTool(models.Model):
    """A tool as one definition lists it: raw spelling, argument pattern, legacy name."""

    # Indexed by catalog_deftool_allowed, which starts with it.
    definition = models.ForeignKey(Definition, on_delete=models.CASCADE, related_name="tool_links", db_index=False)
    tool = models.ForeignKey(Tool, on_delete=models.CASCADE, related_name="definition_links")
    raw = models.CharField(max_length=500)
    pattern = models.CharField(max_length=500, blank=True)
    legacy = models.CharField(max_length=100, blank=True, help_text="The legacy name it was written as.")
    enabled = models.BooleanField(default=True)
    position = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["definition", "position"]
        indexes = [
            # The tool filter asks, for each listed definition, "is it allowed this tool?":
            # one probe of this index.
            models.Index(fields=["definition", "tool", "enabled"], name="catalog_deftool_allowed"),
        ]

    def __str__(self):
        return self.raw


class Reference(models.Model):
    """A skill or command that a definition mentions, linked when the catalog has it."""

    class Kind(models.TextChoices):
        SKILL = "skill", "Skill"
        COMMAND = "command", "Command"

    definition = models.ForeignKey(Definition, on_delete=models.CASCADE, related_name="references")
    kind = models.CharField(max_length=10, choices=Kind)
    name = models.CharField(max_length=300)
    target = models.ForeignKey(
        Definition, on_delete=models.SET_NULL, null=True, blank=True, related_name="referenced_by"
    )

    class Meta:
        ordering = ["kind", "name"]
        constraints = [
            models.UniqueConstraint(
                fields=["definition", "kind", "name"], name="%(app_label)s_%(class)s_unique_name"
            ),
        ]

    def __str__(self):
        return f"{self.kind}:{self.name}"


class Edge(models.Model):
    """A collaboration between agents, as their own text describes it."""

    class Kind(models.TextChoices):
        RECEIVES_FROM = "receives_from", "receives from"
        HANDS_OFF_TO = "hands_off_to", "hands off to"
        PEER = "peer", "peer"
        DELEGATES_TO = "delegates_to", "delegates to"
        EXCLUDES = "excludes", "does not interact with"
        MENTIONS = "mentions", "mentions"

    source = models.ForeignKey(Definition, on_delete=models.CASCADE, related_name="edges_out")
    target = models.ForeignKey(
        Definition, on_delete=models.SET_NULL, null=True, blank=True, related_name="edges_in"
    )
    target_name = models.CharField(max_length=300, help_text="The name as written; kept when it does not resolve.")
    kind = models.CharField(max_length=20, choices=Kind)
    evidence = models.TextField(blank=True)
    line = models.PositiveIntegerField(null=True, blank=True)
    manual = models.BooleanField(default=False, help_text="Added by staff rather than extracted.")

    class Meta:
        ordering = ["source", "kind", "target_name"]
        constraints = [
            models.UniqueConstraint(
                fields=["source", "kind", "target_name"], name="%(app_label)s_%(class)s_unique_target"
            ),
        ]
        indexes = [models.Index(fields=["target_name"], name="catalog_edge_target_name")]

    def __str__(self):
        return f"{self.source.slug} {self.get_kind_display()} {self.target_name}"

    @property
    def dangling(self):
        return self.target_id is None


class Item(models.Model):
    """A responsibility or success metric extracted from a definition's body."""

    class Field(models.TextChoices):
        RESPONSIBILITY = "responsibility", "Responsibility"
        METRIC = "metric", "Success metric"

    definition = models.ForeignKey(Definition, on_delete=models.CASCADE, related_name="items")
    field = models.CharField(max_length=20, choices=Field)
    section = models.CharField(max_length=300, blank=True)
    text = models.TextField()
    line = models.PositiveIntegerField(null=True, blank=True)
    position = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["definition", "position"]

    def __str__(self):
        return self.text[:80]


class Problem(models.Model):
    """Something wrong with a file: found at import, attached to its definition when it has one."""

    class Severity(models.TextChoices):
        ERROR = "error", "Error"
        WARNING = "warning", "Warning"
        INFO = "info", "Info"

    definition = models.ForeignKey(
        Definition, on_delete=models.CASCADE, null=True, blank=True, related_name="problems"
    )
    collection = models.ForeignKey(
        Collection, on_delete=models.CASCADE, null=True, blank=True, related_name="problems"
    )
    import_run = models.ForeignKey(
        ImportRun, on_delete=models.SET_NULL, null=True, blank=True, related_name="problems"
    )
    path = models.CharField(max_length=1000)
    line = models.PositiveIntegerField(null=True, blank=True)
    severity = models.CharField(max_length=10, choices=Severity)
    code = models.CharField(max_length=100)
    message = models.TextField()

    class Meta:
        ordering = ["path", "line", "code"]
        indexes = [models.Index(fields=["code"], name="catalog_problem_code")]

    def __str__(self):
        where = f"{self.path}:{self.line}" if self.line else self.path
        return f"{where}: {self.severity}: {self.message}"


class ConflictQuerySet(models.QuerySet):
    def open(self):
        return self.filter(resolved_at=None)


class Conflict(models.Model):
    """An upstream change to a locally edited definition, waiting for staff to decide."""

    class Resolution(models.TextChoices):
        KEPT_LOCAL = "kept-local", "Kept the local version"
        TOOK_UPSTREAM = "took-upstream", "Took the upstream version"
        MERGED = "merged", "Saved a merge"

    definition = models.ForeignKey(Definition, on_delete=models.CASCADE, related_name="conflicts")
    upstream_raw = models.BinaryField()
    upstream_sha256 = models.CharField(max_length=64)
    import_run = models.ForeignKey(ImportRun, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    detected_at = models.DateTimeField(auto_now_add=True)
    resolved_at = models.DateTimeField(null=True, blank=True)
    resolution = models.CharField(max_length=20, choices=Resolution, blank=True)

    objects = ConflictQuerySet.as_manager()

    class Meta:
        ordering = ["-detected_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["definition"],
                condition=models.Q(resolved_at=None),
                name="%(app_label)s_%(class)s_one_open_per_definition",
            ),
        ]

    def __str__(self):
        state = self.get_resolution_display() if self.resolved_at else "open"
        return f"Conflict on {self.definition} ({state})"




class DefinitionVersion(models.Model):
    """A previous content of a definition, kept when a re-import or an edit replaced it."""

    definition = models.ForeignKey(Definition, on_delete=models.CASCADE, related_name="versions")
    sha256 = models.CharField(max_length=64)
    raw = models.BinaryField()
    source_text = models.TextField(blank=True)
    frontmatter = models.JSONField(default=dict, blank=True)
    body = models.TextField(blank=True)
    tools = models.JSONField(default=list, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    replaced_by = models.CharField(max_length=20, default="import", help_text="What replaced this content.")

    class Meta:
        ordering = ["-created_at", "-pk"]

    def __str__(self):
        return f"{self.definition} @ {self.sha256[:10]}"


class Resource(models.Model):
    """A file kept with a collection's definitions that is not one: a skill's other files (scripts,
    references, templates), plugin and marketplace manifests and licences, so exports are complete."""

    class Kind(models.TextChoices):
        SKILL_RESOURCE = "skill-resource", "Skill resource"
        PLUGIN_MANIFEST = "plugin-manifest", "Plugin manifest"
        MARKETPLACE_MANIFEST = "marketplace-manifest", "Marketplace manifest"
        LICENSE = "license", "Licence"

    collection = models.ForeignKey(Collection, on_delete=models.CASCADE, related_name="resources")
    path = models.CharField(max_length=1000, help_text="Relative to the collection root, as imported.")
    kind = models.CharField(max_length=30, choices=Kind)
    raw = models.BinaryField()
    sha256 = models.CharField(max_length=64)
    size = models.PositiveIntegerField(default=0)
    missing = models.BooleanField(default=False, help_text="The file was not found by the latest import.")
    imported_at = models.DateTimeField()

    class Meta:
        ordering = ["collection", "path"]
        constraints = [
            models.UniqueConstraint(fields=["collection", "path"], name="%(app_label)s_%(class)s_unique_path"),
        ]

    def __str__(self):
        return f"{self.collection.slug}/{self.path}"


# ---------------------------------------------------------------------------
# Families (catalog.core.families computes them; catalog.services.families stores them)
# ---------------------------------------------------------------------------


class FamilyQuerySet(models.QuerySet):
    def largest_first(self):
        """Largest first, then the most divergent (least similar versions), then by key."""
        return self.order_by("-size", "-versions", "similarity", "key")

    def of_kind(self, kind):
        return self.filter(kind=kind)

    def in_collection(self, slug):
        """Families with a member in this collection."""
        return self.filter(Exists(FamilyMember.objects.filter(family=OuterRef("pk"), collection=slug)))

    def search(self, text):
        """Every word of ``text`` must appear in the family's name or key (words are data, not syntax)."""
        found = self
        for word in text.split():
            found = found.filter(models.Q(name__icontains=word) | models.Q(key__icontains=word))
        return found


class Family(models.Model):
    """Every version of one agent, command or skill across collections: the same name, or a
    near-copy of its body under another name (``catalog.core.families.grouping``)."""

    key = models.CharField(max_length=320, unique=True, help_text='"<kind>/<label>", stable across imports.')
    kind = models.CharField(max_length=10, choices=Definition.Kind)
    name = models.CharField(max_length=300, help_text="The name its members most often have.")
    size = models.PositiveIntegerField(default=0, help_text="Members, copies included.")
    versions = models.PositiveIntegerField(default=0, help_text="Members that are not copies of another.")
    collections = models.PositiveIntegerField(default=0, help_text="Distinct collections of its members.")
    similarity = models.FloatField(default=1.0, help_text="Mean estimated Jaccard between its versions.")
    links = models.JSONField(
        default=list, blank=True, help_text="Content links that joined differently named members: [a, b, similarity]."
    )
    updated_at = models.DateTimeField(auto_now=True)

    objects = FamilyQuerySet.as_manager()

    class Meta:
        ordering = ["-size", "-versions", "similarity", "key"]
        indexes = [models.Index(fields=["kind", "size"], name="catalog_family_kind_size")]
        verbose_name_plural = "families"

    def __str__(self):
        return self.key

    def get_absolute_url(self):
        return reverse("catalog:family_detail", args=[self.key])


class FamilyMember(models.Model):
    """One definition's place in its family, with what grouping keeps of it between imports
    (its MinHash signature, so a re-import only signs the files that changed)."""

    # SET_NULL, not CASCADE: a definition deleted by any route leaves its row behind, and the
    # next refresh sees it and regroups its family.
    definition = models.OneToOneField(
        Definition, on_delete=models.SET_NULL, null=True, blank=True, related_name="family_member"
    )
    family = models.ForeignKey(Family, on_delete=models.CASCADE, related_name="members")
    key = models.CharField(max_length=700, unique=True, help_text="The definition's key when it was last grouped.")
    kind = models.CharField(max_length=10, choices=Definition.Kind)
    collection = models.CharField(max_length=200, help_text="The collection's slug.")
    name = models.CharField(max_length=300)
    slug = models.CharField(max_length=300)
    signature = models.BinaryField(help_text="catalog.core.families.signatures.Signature.values")
    shingles = models.PositiveIntegerField(default=0)
    scheme = models.CharField(max_length=60, help_text="The signature's recipe; another one means re-sign.")
    sha256 = models.CharField(max_length=64)
    first_imported = models.DateTimeField()
    copy_of = models.ForeignKey("self", on_delete=models.SET_NULL, null=True, blank=True, related_name="copies")
    copy_similarity = models.FloatField(null=True, blank=True)
    copied_by = models.PositiveIntegerField(default=0, help_text="Other collections holding a copy of it.")
    score = models.IntegerField(default=0)
    score_reasons = models.JSONField(default=list, blank=True, help_text='"+10 has a description", … adding up.')
    position = models.PositiveIntegerField(default=0, help_text="Rank in its family, best score first.")

    class Meta:
        ordering = ["family", "position"]
        indexes = [models.Index(fields=["collection", "family"], name="catalog_familymember_coll")]

    def __str__(self):
        return f"{self.key} in {self.family_id}"
