"""The default cache: Django's file cache, which a read-only folder turns into no cache, not an error.

Django creates the cache's folder as soon as a process first looks at the cache (system
checks do, so ``migrate`` and ``check`` would write into var/). This backend makes it on the
first write instead, and where it cannot (a read-only var directory, a locked-down
container) it misses on every read and drops every write, so pages are built for each
request instead of failing with a 500.
"""

from django.core.cache.backends.filebased import FileBasedCache


class TolerantFileBasedCache(FileBasedCache):
    """``FileBasedCache`` that treats an unwritable folder as an empty cache."""

    def __init__(self, dir, params):
        self._writing = False
        super().__init__(dir, params)
        self._writing = True  # from now on only writes call _createdir

    def _createdir(self):
        if not self._writing:
            return
        try:
            super()._createdir()
        except OSError:
            pass  # read-only: reads find nothing, writes below are dropped

    def get(self, key, default=None, version=None):
        try:
            return super().get(key, default, version)
        except OSError:
            return default

    def has_key(self, key, version=None):
        try:
            return super().has_key(key, version)
        except OSError:
            return False

    def add(self, key, value, timeout=None, version=None):
        try:
            return super().add(key, value, timeout, version)
        except OSError:
            return False

    def set(self, key, value, timeout=None, version=None):
        try:
            super().set(key, value, timeout, version)
        except OSError:
            pass

    def touch(self, key, timeout=None, version=None):
        try:
            return super().touch(key, timeout, version)
        except OSError:
            return False
