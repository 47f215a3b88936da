"""Deployment checks that ``manage.py check --deploy`` adds to Django's own.

They catch what Django cannot see: where the secret key came from, and whether the static files
that production serves were collected.
"""

from pathlib import Path

from django.conf import settings
from django.core import checks


@checks.register(checks.Tags.security, deploy=True)
def secret_key_is_configured(app_configs, **kwargs):
    """A deployment's key comes from DJANGO_SECRET_KEY or DJANGO_SECRET_KEY_FILE.

    The local fallbacks do not do: a key made up by each process breaks every session and form
    as soon as a second worker answers, and var/secret_key is a checkout's file.
    """
    source = settings.AGENTDASH_SECRET_KEY_SOURCE
    if source in {"environment", "file"}:
        return []
    where = "made up by this process" if source == "process" else "read from var/secret_key, the local key"
    return [
        checks.Error(
            f"The secret key is {where}.",
            hint="Set DJANGO_SECRET_KEY, or DJANGO_SECRET_KEY_FILE to a file that holds it, "
            "the same for every process of the deployment.",
            id="agentdash.E001",
        )
    ]


@checks.register(checks.Tags.staticfiles, deploy=True)
def static_files_are_collected(app_configs, **kwargs):
    """Production serves the collected, hashed files, and they must be there."""
    if not settings.COLLECTED_STATIC:
        return [
            checks.Warning(
                "Static files are served from the source folders, without hashed names or compression.",
                hint="Set AGENTDASH_COLLECTED_STATIC=1 and run `manage.py collectstatic` (the image does both).",
                id="agentdash.W002",
            )
        ]
    manifest = Path(settings.STATIC_ROOT) / "staticfiles.json"
    if not manifest.is_file():
        return [
            checks.Error(
                f"AGENTDASH_COLLECTED_STATIC is on but {manifest} does not exist: every page would fail.",
                hint="Run `manage.py collectstatic --noinput` with the same AGENTDASH_STATIC_ROOT.",
                id="agentdash.E003",
            )
        ]
    return []
