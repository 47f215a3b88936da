"""Tests of ``catalog.core``: pure Python, never a database.

``./dev test`` runs this folder in the SQLite pass only, since nothing here can behave
differently on PostgreSQL; the check below keeps that true.
"""

from pathlib import Path

import pytest

CORE_TESTS = Path(__file__).parent
DATABASE_FIXTURES = {"db", "transactional_db", "django_db_setup", "live_server", "client", "admin_client"}


def pytest_collection_modifyitems(config, items):
    for item in items:
        if not item.path.is_relative_to(CORE_TESTS):
            continue
        if item.get_closest_marker("django_db") or DATABASE_FIXTURES & set(getattr(item, "fixturenames", ())):
            raise pytest.UsageError(f"{item.nodeid} uses the database: tests of catalog.core must not.")
