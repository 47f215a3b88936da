"""What quick find's text means and how its hits rank (catalog.core.finding), without a database."""

from catalog.core.finding import EXACT, MAX_QUERY_LENGTH, MAX_WORDS, PREFIX, WORDS, Hit, group, normalize, words


def hit(pk, name, match, kind="agent", collection="c"):
    return Hit(pk, kind, name, name, collection, collection.upper(), "", match=match)


def test_normalize_trims_collapses_and_cuts():
    """Whitespace runs become one space, the ends are trimmed, the text is cut to its limit."""
    assert normalize("  kubernetes \t  expert\n") == "kubernetes expert"
    assert normalize(None) == ""
    assert len(normalize("y" * 1000)) == MAX_QUERY_LENGTH


def test_words_are_runs_of_letters_and_digits_only():
    """Operators typed are not words: quotes, stars, colons and ampersands fall away; one-letter words wait."""
    assert words('"NEAR(quick slow)" a:* & b') == ["near", "quick", "slow"]
    assert words("Rés-umé ré ré") == ["rés", "umé", "ré"]
    assert words("x_y") == []
    assert len(words(" ".join(f"w{n}" for n in range(20)))) == MAX_WORDS


def test_hits_rank_exact_then_prefix_then_words_within_each_kind():
    """Tiers first, then the name case-insensitively; kinds in the order given, empty ones left out."""
    hits = [
        hit(1, "Zeta", WORDS),
        hit(2, "beta", PREFIX),
        hit(3, "Alpha", PREFIX),
        hit(4, "gamma", EXACT),
        hit(5, "omega", EXACT, kind="skill"),
    ]
    groups = group(hits, ("agent", "command", "skill"), per_kind=3)
    assert [(kind, [h.pk for h in ranked]) for kind, ranked in groups] == [("agent", [4, 3, 2]), ("skill", [5])]


def test_a_key_names_collection_kind_and_slug():
    assert hit(1, "x", EXACT, kind="command", collection="acme").key == "acme/command/x"
