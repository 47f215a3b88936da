"""The catalog-wide name of a definition: ``collection/kind/slug``, and ``…@<version id>`` for a kept version.

A key is what URLs, the compare page, the graph and the JSON twins use to name a definition;
``DefinitionKey`` is the one place that writes and reads it.
"""

from dataclasses import dataclass, replace

SEPARATOR = "/"
VERSION_SEPARATOR = "@"
MAX_VERSION_DIGITS = 18  # beyond a 64-bit primary key; a database would refuse to compare it


def names_a_key(text):
    """True when ``text`` (less any version) holds a ``/``: it is a key, or the start of one
    (``"seeds/agent/back"``), rather than a word to search names for."""
    return SEPARATOR in _split_version(text)[0]


def _split_version(text):
    base, separator, version = text.rpartition(VERSION_SEPARATOR)
    if separator and version.isascii() and version.isdigit() and len(version) <= MAX_VERSION_DIGITS:
        return base, int(version)
    return text, None


def key_of(collection, kind, slug):
    """``"collection/kind/slug"``: the key as text, without building a ``DefinitionKey`` (the
    graph writes one per edge end, tens of thousands a request)."""
    return f"{collection}{SEPARATOR}{kind}{SEPARATOR}{slug}"


@dataclass(frozen=True)
class DefinitionKey:
    """``collection/kind/slug``, optionally at one of the definition's kept versions."""

    collection: str
    kind: str
    slug: str
    version: int | None = None

    @classmethod
    def parse(cls, text):
        """Read ``"c/k/slug"`` or ``"c/k/slug@12"``; missing parts are empty, never an error.

        Only an ASCII number of at most ``MAX_VERSION_DIGITS`` digits after the last ``@`` is
        a version; anything else after an ``@`` stays part of the slug.
        """
        text, number = _split_version(text)
        collection, _, rest = text.partition(SEPARATOR)
        kind, _, slug = rest.partition(SEPARATOR)
        return cls(collection, kind, slug, number)

    def __str__(self):
        return self.base if self.version is None else f"{self.base}{VERSION_SEPARATOR}{self.version}"

    @property
    def base(self):
        """The key of the definition itself, without a version."""
        return key_of(self.collection, self.kind, self.slug)

    @property
    def complete(self):
        """True when collection, kind and slug are all given."""
        return bool(self.collection and self.kind and self.slug)

    def at(self, version):
        """This definition's key at the kept version ``version`` (``None``: as it is now)."""
        return replace(self, version=version)
