"""The environment of a production deployment, for tests that run the settings in a subprocess.

Those tests start ``manage.py`` or a short script with these variables, so they test the
settings module as it reads the environment, not values overridden inside a test process.
``read_only_dir`` makes a folder that the subprocess cannot write to, even when the tests run
as root: ``as_unprivileged`` runs a command without root's capabilities, so a folder's mode
bits bind it as they bind anyone.
"""

import os
import secrets
import subprocess
import sys

from tests.helpers import REPO

HOST = "agentdash.example.com"


def production_env(tmp_path, static_root=None, **extra):
    """Debug unset, a long random key, HTTPS on, one host, collected static files, an own SQLite file.

    ``static_root`` is where ``collectstatic`` put the files (the ``collected_static`` fixture);
    without it the folder does not exist, which only a test of that case wants.
    """
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "AGENTDASH_", "DATABASE_URL"))}
    env.update(
        DJANGO_SETTINGS_MODULE="agentdash.settings",
        DJANGO_SECRET_KEY=secrets.token_urlsafe(64),
        DJANGO_ALLOWED_HOSTS=HOST,
        AGENTDASH_HTTPS="1",
        AGENTDASH_COLLECTED_STATIC="1",
        AGENTDASH_STATIC_ROOT=str(static_root or tmp_path / "no-static-root"),
        AGENTDASH_VAR_DIR=str(tmp_path / "var"),
        DATABASE_URL=f"sqlite:///{tmp_path / 'production.sqlite3'}",
        PYTHONDONTWRITEBYTECODE="1",
    )
    env.update(extra)
    return env


def run(args, env, timeout=120):
    return subprocess.run(args, cwd=REPO, env=env, capture_output=True, text=True, timeout=timeout)


def as_unprivileged(args):
    """``args`` run so that file permissions bind: as root, without any capability."""
    if os.geteuid() != 0:
        return list(args)
    return ["setpriv", "--bounding-set=-all", "--inh-caps=-all", *args]


def read_only_dir(path):
    """An empty folder nobody may write to (see ``as_unprivileged``)."""
    path.mkdir(parents=True)
    path.chmod(0o555)
    return path


def collect_static(tmp_path_factory):
    """A STATIC_ROOT filled by ``collectstatic`` with the production settings, then made read-only.

    The ``collected_static`` fixture (conftest.py) makes one per session.
    """
    root = tmp_path_factory.mktemp("collected") / "static"
    env = production_env(tmp_path_factory.mktemp("collecting"), static_root=root)
    result = run([sys.executable, "manage.py", "collectstatic", "--noinput"], env)
    assert result.returncode == 0, result.stderr[-3000:]
    for folder, _, files in os.walk(root):
        for name in files:
            os.chmod(os.path.join(folder, name), 0o444)
        os.chmod(folder, 0o555)
    return root
