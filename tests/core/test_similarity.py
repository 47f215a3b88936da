"""catalog.core.similarity: vocabularies of texts and how much two of them share."""

from catalog.core import similarity
from tests.helpers import CORPUS


def test_vocabulary_similarity():
    """Jaccard similarity of word sets: rewordings stay related, unrelated texts do not."""
    a = similarity.vocabulary("Design scalable backend services and database schemas.")
    b = similarity.vocabulary("Designs database schemas and scalable backend APIs.")
    c = similarity.vocabulary("Paint watercolour landscapes at sunset.")
    assert similarity.jaccard(a, a) == 1.0
    assert 0.3 < similarity.jaccard(a, b) < 1.0
    assert similarity.jaccard(a, c) == 0.0


def test_vocabulary_reads_ascii_and_unicode_text_alike():
    """The ASCII shortcut finds the same words as the Unicode pattern, on every corpus file."""
    files = sorted(CORPUS.rglob("*.md"))
    assert len(files) > 2000
    ascii_files = 0
    for path in files:
        text = path.read_text(encoding="utf-8", errors="replace")
        expected = set(similarity._WORD.findall(text[: similarity.BODY_CHARS].casefold()))
        assert similarity.vocabulary(text) == expected, path
        ascii_files += text[: similarity.BODY_CHARS].casefold().isascii()
    assert 0 < ascii_files < len(files)  # both paths ran
    assert similarity.vocabulary("Ünïcode naïve café über") == {"ünïcode", "naïve", "café", "über"}


def test_jaccard_of_two_empty_sets_is_what_the_caller_says():
    """Variants count two empty texts as alike; the diff's section pairing counts them as nothing shared."""
    assert similarity.jaccard(set(), set()) == 1.0
    assert similarity.jaccard(set(), set(), empty=0.0) == 0.0
    assert similarity.jaccard({"a"}, set(), empty=0.0) == 0.0
