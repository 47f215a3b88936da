#!/usr/bin/env python
"""Django's command-line utility for administrative tasks.

A command run on a database that was never migrated (or is behind) stops with one line saying
to run ``migrate``, instead of a traceback about a missing table; ``import_agents`` migrates a
SQLite database itself (``catalog.management.commands.import_agents``).
"""

import os
import sys

_UNMIGRATED = ("no such table", "does not exist", "no such column")


def main():
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "agentdash.settings")
    from django.core.management import execute_from_command_line
    from django.db import DatabaseError

    try:
        execute_from_command_line(sys.argv)
    except DatabaseError as error:
        if not any(marker in str(error) for marker in _UNMIGRATED):
            raise
        from django.db import connection

        where = connection.settings_dict.get("NAME") or "the database"
        sys.stderr.write(f"The database {where} is not set up: run `.venv/bin/python manage.py migrate`.\n")
        sys.exit(1)


if __name__ == "__main__":
    main()
