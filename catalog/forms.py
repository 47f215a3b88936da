"""Admin forms: a definition edited as frontmatter plus body, merges of conflicts, manual edges.

Every form here only validates and shapes text. Saving goes through
``catalog.services.editing`` (``save_edit``, ``resolve_conflict``, ``save_manual_edge``), which
re-derives everything from the file text in one transaction. A form rejects what the importer
would have to read leniently: staff write strict YAML, so an edited file is one that every
tool reads the same way.
"""

import yaml
from django import forms
from django.core.exceptions import ValidationError

from .core import parsing
from .models import Definition, Edge
from .services.exporting import dump_frontmatter, file_text, frontmatter_of

# Known frontmatter fields and the shapes their readers accept. Unknown fields are kept as written.
TEXT_FIELDS = ("name", "description", "color")
NAME_LIST_FIELDS = ("skills",)
TOOL_FIELDS = ("tools", "allowed-tools", "disallowed-tools", "disallowedTools")
BOOLEAN_FIELDS = ("user-invocable", "disable-model-invocation", "hidden")
NUMBER_FIELDS = ("temperature",)
INTEGER_FIELDS = ("maxTurns",)

_SHAPES = {
    dict: "a mapping",
    list: "a list",
    str: "text",
    bool: "true/false",
    int: "a number",
    float: "a number",
    type(None): "empty",
}


def _shape(value):
    return _SHAPES.get(type(value), type(value).__name__)


def _is_text_list(value):
    return isinstance(value, list) and all(isinstance(item, str) for item in value)


def field_type_errors(mapping):
    """One message per known field whose value has a shape its readers do not accept."""
    errors = []

    def wrong(key, expected):
        errors.append(f"“{key}” must be {expected} (it is {_shape(mapping[key])}).")

    for key in mapping:
        value = mapping[key]
        if key in TEXT_FIELDS and not isinstance(value, str):
            wrong(key, "text; quote it if YAML reads it as something else")
        elif key == "model" and not (isinstance(value, str) or _is_text_list(value)):
            # Copilot accepts a list of models to fall back through.
            wrong(key, "text or a list of model names")
        elif key in NAME_LIST_FIELDS and not (isinstance(value, str) or _is_text_list(value)):
            wrong(key, "a comma-separated text or a list of names")
        elif key in TOOL_FIELDS and not _is_tool_value(value):
            wrong(key, "a comma-separated text, a list of tool names, or a map of tool names to true/false")
        elif key in BOOLEAN_FIELDS and not isinstance(value, bool):
            wrong(key, "true or false")
        elif key in NUMBER_FIELDS and (isinstance(value, bool) or not isinstance(value, (int, float))):
            wrong(key, "a number")
        elif key in INTEGER_FIELDS and (isinstance(value, bool) or not isinstance(value, int)):
            wrong(key, "a whole number")
    return errors


def _is_tool_value(value):
    if isinstance(value, str) or _is_text_list(value):
        return True
    # OpenCode: {write: false, bash: true}.
    return isinstance(value, dict) and all(isinstance(flag, (bool, str)) for flag in value.values())


def read_strict_frontmatter(yaml_text):
    """The mapping that ``yaml_text`` holds, or ``ValidationError`` saying what is wrong with it.

    The catalog's own reader does the reading, so its guards (size, aliases, nesting) apply;
    what it would recover leniently is refused here with YAML's own explanation.
    """
    if not yaml_text.strip():
        return {}
    try:
        mapping, lenient, problems = parsing.read_frontmatter(yaml_text, first_line=1)
    except parsing.Rejected as error:
        raise ValidationError(error.problem.message, code=error.problem.code) from error
    if lenient:
        raise ValidationError(_yaml_error(yaml_text), code="invalid-yaml")
    messages = []
    for problem in problems:
        if problem.code == "frontmatter-not-mapping":
            messages.append(
                "The frontmatter must be a YAML mapping of “key: value” lines, not a list or a single value."
            )
        elif problem.code == "duplicate-key":
            # The reader's message goes on to say which value it keeps; here nothing is kept.
            messages.append(f"Line {problem.line}: {problem.message.split(';')[0]}.")
        elif problem.severity in ("error", "warning"):
            messages.append(problem.message)
    messages += field_type_errors(mapping)
    if messages:
        raise ValidationError(messages, code="invalid-frontmatter")
    return mapping


def _yaml_error(yaml_text):
    """YAML's account of why the text does not parse, with the line it stopped at."""
    try:
        # Only reached for text the guarded reader has read already and found free of aliases
        # and deep nesting, so this second reading is as bounded as the first.
        yaml.safe_load(yaml_text)
    except (yaml.YAMLError, ValueError, TypeError, OverflowError, RecursionError) as error:
        # Besides syntax errors, impossible values fail: a timestamp such as 2024-13-45.
        mark = getattr(error, "problem_mark", None)
        reason = getattr(error, "problem", None) or str(error).splitlines()[0]
        where = f"line {mark.line + 1}: " if mark is not None else ""
        return f"This is not valid YAML ({where}{reason}). Quote values that contain “: ” or start with *, & or [."
    return "This is not valid YAML."


def check_file(definition, text):
    """Refuse text that the importer could not read as this definition's file."""
    try:
        parsing.parse_definition(
            text.encode("utf-8"), definition.source_path, definition.kind, definition.format, definition.namespace
        )
    except parsing.Rejected as error:
        raise ValidationError(error.problem.message, code=error.problem.code) from error


class TextField(forms.CharField):
    """Text kept exactly as typed, except for the CRLF line ends browsers send from a textarea."""

    def __init__(self, **kwargs):
        super().__init__(strip=False, required=False, **kwargs)

    def to_python(self, value):
        return super().to_python(value).replace("\r\n", "\n").replace("\r", "\n")


class DefinitionForm(forms.ModelForm):
    """A definition's frontmatter (YAML) and body (Markdown); ``edited_text`` is the file they make."""

    frontmatter_yaml = TextField(
        label="Frontmatter",
        widget=forms.Textarea(attrs={"rows": 14, "class": "vLargeTextField", "spellcheck": "false"}),
        help_text="YAML between the --- fences. Field order and unknown fields are kept; saving writes it "
        "back with strict quoting.",
    )
    body = TextField(
        label="Body (Markdown)",
        widget=forms.Textarea(attrs={"rows": 30, "class": "vLargeTextField"}),
        help_text="Saving re-derives the rendered page, tools, responsibilities, metrics, edges and search.",
    )

    class Meta:
        model = Definition
        fields = ("body",)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Validation copies the new body onto the instance, so what it held is kept here.
        self.original = (frontmatter_of(self.instance), self.instance.body) if self.instance.pk else ({}, "")
        self.initial.setdefault("frontmatter_yaml", dump_frontmatter(self.original[0]))
        self.initial.setdefault("body", self.original[1])

    def clean_frontmatter_yaml(self):
        """The cleaned value is the mapping the YAML holds."""
        return read_strict_frontmatter(self.cleaned_data["frontmatter_yaml"])

    def clean(self):
        cleaned = super().clean()
        if "frontmatter_yaml" in cleaned and "body" in cleaned:
            check_file(self.instance, self.edited_text)
        return cleaned

    @property
    def edited_text(self):
        return file_text(self.cleaned_data["frontmatter_yaml"], self.cleaned_data["body"])

    @property
    def content_changed(self):
        """True when the file would differ from what the definition holds (key order counts)."""
        frontmatter, body = self.original
        after = self.cleaned_data["frontmatter_yaml"]
        return list(after.items()) != list(frontmatter.items()) or self.cleaned_data["body"] != body


class MergeForm(forms.Form):
    """The whole file as staff merged it from the local and the upstream versions."""

    text = TextField(
        label="Merged file",
        widget=forms.Textarea(attrs={"rows": 30, "class": "vLargeTextField", "spellcheck": "false"}),
    )

    def __init__(self, *args, definition, **kwargs):
        super().__init__(*args, **kwargs)
        self.definition = definition

    def clean_text(self):
        text = self.cleaned_data["text"]
        yaml_text, body, _, _ = parsing.split_frontmatter(text)
        mapping = read_strict_frontmatter(yaml_text or "")
        check_file(self.definition, text)
        # Written back the way an admin edit is, so the stored text is strict YAML too.
        return file_text(mapping, body) if yaml_text is not None else text


class ManualEdgeForm(forms.ModelForm):
    """A collaboration staff add by hand; it survives re-imports and edits of its source."""

    class Meta:
        model = Edge
        fields = ("source", "kind", "target", "target_name", "evidence")
        help_texts = {"target_name": "Left empty, the target's slug is used."}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if "target_name" in self.fields:  # absent when an extracted edge is only viewed
            self.fields["target_name"].required = False

    def clean(self):
        cleaned = super().clean()
        target = cleaned.get("target")
        if not cleaned.get("target_name"):
            if target is None:
                raise ValidationError("Choose a target agent or write the name the edge points to.")
            cleaned["target_name"] = target.slug
        self.instance.manual = True
        return cleaned


class SourceForm(forms.Form):
    """A git repository to import, as staff add it in the admin; the URL is checked when queued."""

    url = forms.CharField(
        label="Git URL",
        max_length=2000,
        help_text="https://github.com/owner/repo, git@host:owner/repo or file:///path, optionally with @REF.",
        widget=forms.TextInput(attrs={"size": 80, "autofocus": True}),
    )
    ref = forms.CharField(
        label="Ref", required=False, max_length=200, help_text="A branch, tag or commit; empty for the default branch."
    )
