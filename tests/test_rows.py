"""catalog.services.rows: what an import writes for a file, cut to the columns that hold it."""

import pytest

from catalog.models import Definition, DefinitionTool, Item, Reference, Tool
from catalog.services.rows import max_length
from tests.helpers import write_tree

pytestmark = pytest.mark.django_db

LONG = "x" * 2_000


def test_text_longer_than_its_column_is_cut_to_the_columns_max_length(tmp_path, import_tree):
    """A name (and the slug made of it), model, tool name and pattern, skill and heading longer
    than their columns are kept up to each column's max_length, so one long value never fails
    the whole import (PostgreSQL refuses text longer than a column)."""
    agent = f"""---
name: {"n" * 2_000}
description: Has every field longer than its column.
model: {"m" * 2_000}
tools: Bash({LONG}), {"t" * 400}
skills: {"s" * 2_000}
---

## Responsibilities {"h" * 2_000}
- Own the deployment pipeline end to end.
"""
    write_tree(tmp_path, {"agents/long.md": agent})
    report = import_tree(tmp_path)
    assert report.created == 1, report.to_json()
    definition = Definition.objects.get()
    assert len(definition.name) == max_length(Definition, "name")
    assert len(definition.slug) == max_length(Definition, "slug")
    assert len(definition.model) == max_length(Definition, "model")
    bash, other = DefinitionTool.objects.filter(definition=definition).select_related("tool").order_by("position")
    assert len(bash.pattern) == max_length(DefinitionTool, "pattern")
    assert len(bash.raw) == max_length(DefinitionTool, "raw")
    assert len(other.tool.name) == max_length(Tool, "name")
    (skill,) = Reference.objects.filter(definition=definition, kind="skill")
    assert len(skill.name) == max_length(Reference, "name")
    assert {len(item.section) for item in Item.objects.filter(definition=definition)} == {max_length(Item, "section")}


def test_max_length_is_the_models_own():
    """The limits are read from the models, never written again by hand."""
    assert max_length(Definition, "name") == Definition._meta.get_field("name").max_length
    assert max_length(Item, "section") == 300
