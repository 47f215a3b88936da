"""catalog.core.keys: the ``collection/kind/slug[@version]`` key, written and read in one place."""

import pytest

from catalog.core.keys import MAX_VERSION_DIGITS, DefinitionKey, key_of, names_a_key


def test_a_key_reads_back_as_written():
    """Parsing a key and writing it again gives the same text, with and without a version."""
    for text in ("seeds/agent/backend-architect", "acme/command/agency:work", "acme/skill/notes@12"):
        assert str(DefinitionKey.parse(text)) == text
    assert key_of("seeds", "agent", "backend-architect") == "seeds/agent/backend-architect"


def test_parts_and_version():
    """The version is the number after the last @; the base is the definition's own key."""
    key = DefinitionKey.parse("seeds/agent/backend-architect@42")
    assert (key.collection, key.kind, key.slug, key.version) == ("seeds", "agent", "backend-architect", 42)
    assert key.base == "seeds/agent/backend-architect"
    assert key.at(None) == DefinitionKey("seeds", "agent", "backend-architect")
    assert str(key.at(7)) == "seeds/agent/backend-architect@7"


@pytest.mark.parametrize(
    "text",
    ["a/agent/x@", "a/agent/x@12a", "a/agent/x@²", "a/agent/x@-3", f"a/agent/x@{'9' * (MAX_VERSION_DIGITS + 1)}"],
)
def test_only_a_short_ascii_number_is_a_version(text):
    """Anything else after an @ stays in the slug, so it names no definition rather than a wrong one."""
    key = DefinitionKey.parse(text)
    assert key.version is None
    assert key.slug == text.split("/", 2)[2]


def test_missing_parts_are_empty_and_the_key_incomplete():
    """A partial key is read without an error and says it is incomplete."""
    assert DefinitionKey.parse("seeds/agent").slug == ""
    assert not DefinitionKey.parse("seeds/agent").complete
    assert not DefinitionKey.parse("").complete
    assert DefinitionKey.parse("seeds/agent/x").complete


def test_names_a_key_when_a_slash_is_written():
    """A word with a slash is (the start of) a key; a plain word, or one with only a version, is not."""
    assert names_a_key("seeds/")
    assert names_a_key("seeds/agent/back@3")
    assert not names_a_key("backend")
    assert not names_a_key("backend@3")
