"""The deployment files: Dockerfile, compose.yaml, deploy/ (gunicorn's config, the health check, init).

No container engine runs on the machines these tests run on, so the image is never built here.
What can be checked without one is: the Dockerfile copies files that exist and the build
context keeps; its dependency step reads pyproject.toml right; the build's collectstatic and
the deploy checks pass with the image's own environment; compose.yaml declares the services
and the order they start in; and gunicorn with deploy/gunicorn.conf.py serves the app, passes
the image's health check and stops gracefully.
"""

import fnmatch
import http.client
import json
import os
import re
import shlex
import signal
import socket
import sqlite3
import stat
import subprocess
import sys
import time
import tomllib
from pathlib import Path

import pytest
import yaml

from tests.helpers import REPO
from tests.production import HOST, as_unprivileged, production_env, read_only_dir, run

VENV_BIN = Path(sys.executable).parent


def dockerfile():
    """The Dockerfile's instructions as (INSTRUCTION, arguments), continuation lines joined."""
    instructions, pending = [], ""
    for line in (REPO / "Dockerfile").read_text().splitlines():
        if not pending and (not line.strip() or line.lstrip().startswith("#")):
            continue
        if line.endswith("\\"):
            pending += line[:-1] + " "
            continue
        keyword, _, arguments = (pending + line).strip().partition(" ")
        instructions.append((keyword.upper(), arguments.strip()))
        pending = ""
    return instructions


def instructions(keyword):
    return [arguments for name, arguments in dockerfile() if name == keyword]


def image_env():
    """What the Dockerfile's ENV lines set."""
    env = {}
    for arguments in instructions("ENV"):
        env.update(pair.split("=", 1) for pair in shlex.split(arguments))
    return env


def dockerignored(path):
    patterns = [
        line.strip() for line in (REPO / ".dockerignore").read_text().splitlines() if line.strip() and line[0] != "#"
    ]
    parts = Path(path).parts
    return any(
        fnmatch.fnmatch(path, pattern) or fnmatch.fnmatch(parts[0], pattern) or fnmatch.fnmatch(parts[-1], pattern)
        for pattern in patterns
    )


def compose():
    return yaml.safe_load((REPO / "compose.yaml").read_text())


def documented_variables():
    """The variable names in the README's Configuration table."""
    readme = (REPO / "README.md").read_text()
    table = readme[readme.index("## Configuration") :]
    table = table[: table.index("\n\n", table.index("| variable"))]
    return {line.split("`")[1] for line in table.splitlines() if line.startswith("| `")}


# ---------------------------------------------------------------------------
# Dockerfile
# ---------------------------------------------------------------------------


def test_the_image_is_python_slim_and_runs_gunicorn_as_an_unprivileged_user():
    (base,) = instructions("FROM")
    assert base in {"python:3.12-slim", "python:3.13-slim"}
    names = [name for name, _ in dockerfile()]
    (user,) = instructions("USER")
    assert user not in {"root", "0"}
    # collectstatic runs before USER (root owns the collected files, the server only reads them).
    collect = next(i for i, (name, args) in enumerate(dockerfile()) if name == "RUN" and "collectstatic" in args)
    assert collect < names.index("USER") < names.index("CMD")
    assert json.loads(instructions("CMD")[0]) == ["gunicorn", "-c", "deploy/gunicorn.conf.py"]
    # Git sources are fetched with the git command.
    assert any(name == "RUN" and "apt-get install" in args and " git" in args for name, args in dockerfile())


def test_every_file_the_dockerfile_names_exists_and_is_in_the_build_context():
    copied = []
    for arguments in instructions("COPY"):
        *sources, _destination = shlex.split(arguments)
        copied += sources
    assert {"manage.py", "agentdash", "catalog", "templates", "static", "deploy", "pyproject.toml"} <= set(copied)
    for source in copied:
        assert (REPO / source).exists(), source
        assert not dockerignored(source), f"{source} is excluded by .dockerignore"
    healthcheck = json.loads(instructions("HEALTHCHECK")[0].split(" CMD ", 1)[1])
    assert healthcheck == ["python", "deploy/healthcheck.py"]
    assert (REPO / healthcheck[1]).is_file()
    assert (REPO / json.loads(instructions("CMD")[0])[2]).is_file()


def test_the_build_context_leaves_out_local_state():
    for path in (".venv", ".git", "var", "tests", "agentdash/__pycache__", "db.sqlite3", ".env"):
        assert dockerignored(path), path


def test_the_dependency_step_installs_what_pyproject_lists(tmp_path):
    """The RUN line that reads pyproject.toml, run as written, prints the project's dependencies."""
    (step,) = [arguments for arguments in instructions("RUN") if "tomllib" in arguments]
    command = step.split(">", 1)[0].strip()
    (tmp_path / "pyproject.toml").write_bytes((REPO / "pyproject.toml").read_bytes())
    result = subprocess.run(
        command.replace("python ", f"{sys.executable} ", 1), shell=True, cwd=tmp_path, capture_output=True, text=True
    )
    assert result.returncode == 0, result.stderr
    wanted = tomllib.loads((REPO / "pyproject.toml").read_text())["project"]["dependencies"]
    assert result.stdout.splitlines() == wanted
    assert any(line.startswith("gunicorn") for line in wanted)
    assert any(line.startswith("dj-database-url") for line in wanted)


def test_the_build_collectstatic_needs_no_secret_and_writes_only_static_root(tmp_path):
    """The image's collectstatic runs with the image's ENV and nothing else (no key, no database):
    it fills STATIC_ROOT and leaves the var folder untouched."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "AGENTDASH_", "DATABASE_URL"))}
    env.update(image_env())
    assert env["AGENTDASH_COLLECTED_STATIC"] == "1"
    env["AGENTDASH_STATIC_ROOT"] = str(tmp_path / "staticfiles")  # /app/staticfiles in the image
    env["AGENTDASH_VAR_DIR"] = str(read_only_dir(tmp_path / "var"))  # /var/lib/agentdash
    (command,) = [arguments for arguments in instructions("RUN") if "collectstatic" in arguments]
    assert command.startswith("python manage.py collectstatic --noinput")
    result = run(as_unprivileged([sys.executable, "manage.py", "collectstatic", "--noinput"]), env)
    assert result.returncode == 0, result.stderr[-3000:]
    assert (tmp_path / "staticfiles" / "staticfiles.json").is_file()
    assert list((tmp_path / "var").iterdir()) == []


def test_the_deploy_checks_pass_with_the_images_environment(tmp_path, collected_static):
    """The image's ENV plus a deployment's values (compose's key file, hosts, HTTPS) pass
    `check --deploy --fail-level WARNING`."""
    key_file = tmp_path / "secret_key"
    key_file.write_text("a-key-the-init-step-wrote-into-the-volume-on-first-start-0123456789\n")
    env = production_env(tmp_path, collected_static, **image_env())
    env.update(
        AGENTDASH_STATIC_ROOT=str(collected_static),
        AGENTDASH_VAR_DIR=str(read_only_dir(tmp_path / "var")),
        DJANGO_SECRET_KEY_FILE=str(key_file),
    )
    del env["DJANGO_SECRET_KEY"]
    result = run(as_unprivileged([sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"]), env)
    assert result.returncode == 0, result.stdout + result.stderr


# ---------------------------------------------------------------------------
# compose.yaml
# ---------------------------------------------------------------------------


def test_compose_starts_postgres_then_migrate_then_the_app():
    services = compose()["services"]
    assert set(services) == {"db", "migrate", "app", "worker", "redis"}
    assert services["db"]["image"].startswith("postgres:")
    assert services["migrate"]["depends_on"] == {"db": {"condition": "service_healthy"}}
    assert services["app"]["depends_on"] == {"migrate": {"condition": "service_completed_successfully"}}
    assert services["migrate"]["command"] == ["sh", "deploy/init.sh"]
    assert services["migrate"]["healthcheck"] == {"disable": True}
    assert (REPO / "deploy" / "init.sh").is_file()
    assert "command" not in services["app"]  # the image's CMD: gunicorn
    assert services["app"]["ports"] == ["${AGENTDASH_PORT:-8000}:8000"]
    # The tasks worker runs what staff queue in the admin, from the same image and volume.
    assert services["worker"]["command"][-3:] == ["manage.py", "db_worker", "--no-reload"]
    assert services["worker"]["depends_on"] == services["app"]["depends_on"]
    for name in ("migrate", "app", "worker"):
        assert services[name]["build"] == "."
        assert services[name]["read_only"] is True
        assert services[name]["volumes"] == ["agentdash-var:/var/lib/agentdash"]


def test_redis_is_only_started_with_its_profile():
    services = compose()["services"]
    assert services["redis"]["profiles"] == ["redis"]
    assert [name for name, service in services.items() if "profiles" in service] == ["redis"]


def test_compose_points_the_app_at_its_own_postgres_and_a_key_in_the_volume():
    services = compose()["services"]
    env = services["app"]["environment"]
    assert env == services["migrate"]["environment"]
    db = services["db"]["environment"]
    assert env["DATABASE_URL"] == (
        f"postgres://{db['POSTGRES_USER']}:${{POSTGRES_PASSWORD:-agentdash}}@db:5432/{db['POSTGRES_DB']}"
    )
    assert db["POSTGRES_PASSWORD"] == "${POSTGRES_PASSWORD:-agentdash}"
    assert env["DJANGO_SECRET_KEY_FILE"].startswith(services["app"]["volumes"][0].split(":")[1] + "/")


def test_every_variable_compose_passes_is_documented():
    env = compose()["services"]["app"]["environment"]
    assert sorted(set(env) - documented_variables()) == []


def test_every_variable_the_settings_and_gunicorn_read_is_documented():
    """The README's Configuration table names every variable settings.py and gunicorn.conf.py read."""
    reads = re.compile(r"""(?:environ\.get|env_flag|env_list|env_int)\(\s*["']([A-Z_]+)["']""")
    read = set()
    for source in (REPO / "agentdash" / "settings.py", REPO / "deploy" / "gunicorn.conf.py"):
        read.update(reads.findall(source.read_text()))
    assert {"DJANGO_SECRET_KEY_FILE", "DJANGO_CSRF_TRUSTED_ORIGINS", "AGENTDASH_PROXY_COUNT", "GUNICORN_BIND"} <= read
    internal = {"AGENTDASH_TEST_SQLITE"}  # the test runner's, not a deployment's
    assert sorted(read - internal - documented_variables()) == []


# ---------------------------------------------------------------------------
# gunicorn with deploy/gunicorn.conf.py, and the health check
# ---------------------------------------------------------------------------


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def healthcheck(port):
    env = {**os.environ, "AGENTDASH_HEALTHCHECK_URL": f"http://127.0.0.1:{port}/healthz"}
    return subprocess.run([sys.executable, "deploy/healthcheck.py"], cwd=REPO, env=env, capture_output=True, text=True)


def migrated(env):
    result = run([sys.executable, "manage.py", "migrate", "--noinput"], env)
    assert result.returncode == 0, result.stderr[-3000:]


@pytest.fixture
def gunicorn(tmp_path, collected_static):
    """gunicorn started as the image starts it, on a free loopback port, with a read-only var/."""
    port = free_port()
    env = production_env(tmp_path, collected_static, GUNICORN_BIND=f"127.0.0.1:{port}", GUNICORN_WORKERS="2")
    env["PATH"] = f"{VENV_BIN}{os.pathsep}{env['PATH']}"
    migrated(env)
    env["AGENTDASH_VAR_DIR"] = str(read_only_dir(tmp_path / "var"))
    server = subprocess.Popen(
        as_unprivileged(["gunicorn", "-c", "deploy/gunicorn.conf.py"]),
        cwd=REPO, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
    )  # fmt: skip
    deadline = time.monotonic() + 30
    while healthcheck(port).returncode != 0:
        if server.poll() is not None or time.monotonic() > deadline:
            server.kill()
            pytest.fail(f"gunicorn did not become healthy: {server.communicate()[1][-3000:]}")
        time.sleep(0.3)
    yield server, port, tmp_path / "var"
    if server.poll() is None:
        server.kill()
        server.communicate()


def get(port, path, **headers):
    """(status, body) of one GET, redirects not followed."""
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    try:
        connection.request("GET", path, headers={"Host": HOST, **headers})
        response = connection.getresponse()
        return response.status, response.read()
    finally:
        connection.close()


def test_gunicorn_serves_the_app_passes_the_health_check_and_stops_gracefully(gunicorn):
    """Behind a proxy that says HTTPS, pages and hashed static files are served; /healthz answers
    plain HTTP (no redirect, no host check); SIGTERM stops it with status 0; the access log,
    X-Forwarded-For column included, goes to stdout; var/ stays empty."""
    server, port, var = gunicorn
    status, body = get(port, "/agents/", **{"X-Forwarded-Proto": "https", "X-Forwarded-For": "198.51.100.7"})
    assert status == 200
    stylesheet = next(part.split('"')[0] for part in body.decode().split('href="') if part.startswith("/static/css/"))
    assert get(port, stylesheet, **{"X-Forwarded-Proto": "https"})[0] == 200
    assert get(port, "/agents/")[0] == 301  # plain HTTP is sent to HTTPS
    assert get(port, "/healthz", Host="127.0.0.1") == (200, b"ok\n")
    server.send_signal(signal.SIGTERM)
    stdout, stderr = server.communicate(timeout=60)
    assert server.returncode == 0, stderr[-3000:]
    assert "GET /agents/ HTTP/1.1" in stdout and "198.51.100.7" in stdout
    assert "GET /agents/" not in stderr
    assert list(var.iterdir()) == []


def test_gunicorn_refuses_to_start_without_a_shared_secret_key(tmp_path, collected_static):
    """Each worker would make up its own key; gunicorn stops before starting any, and says why."""
    env = production_env(tmp_path, collected_static, GUNICORN_BIND=f"127.0.0.1:{free_port()}")
    del env["DJANGO_SECRET_KEY"]
    result = run([str(VENV_BIN / "gunicorn"), "-c", "deploy/gunicorn.conf.py"], env, timeout=60)
    assert result.returncode != 0
    assert "DJANGO_SECRET_KEY" in result.stderr


def test_the_worker_count_comes_from_the_environment(tmp_path):
    """GUNICORN_WORKERS, else WEB_CONCURRENCY, else 2 per CPU plus one, at most 8."""
    script = "import runpy, sys; print(runpy.run_path('deploy/gunicorn.conf.py')['workers'])"

    def workers(**env):
        clean = {k: v for k, v in os.environ.items() if k not in {"GUNICORN_WORKERS", "WEB_CONCURRENCY"}}
        return int(run([sys.executable, "-c", script], {**clean, **env}).stdout)

    assert workers(GUNICORN_WORKERS="3", WEB_CONCURRENCY="5") == 3
    assert workers(WEB_CONCURRENCY="5") == 5
    assert workers() == min(2 * len(os.sched_getaffinity(0)) + 1, 8)


def test_the_health_check_fails_when_nothing_answers():
    result = healthcheck(free_port())
    assert result.returncode == 1
    assert "unhealthy" in result.stderr


# ---------------------------------------------------------------------------
# deploy/init.sh, compose's one-shot step
# ---------------------------------------------------------------------------


def test_init_writes_a_key_once_checks_and_migrates(tmp_path, collected_static):
    """First start: a private key file appears in the volume and the database is migrated. Second
    start: the same key is kept."""
    volume = tmp_path / "volume"
    volume.mkdir()
    key_file = volume / "secret_key"
    env = production_env(tmp_path, collected_static, DJANGO_SECRET_KEY_FILE=str(key_file))
    del env["DJANGO_SECRET_KEY"]
    env["PATH"] = f"{VENV_BIN}{os.pathsep}{env['PATH']}"
    first = run(["sh", "deploy/init.sh"], env)
    assert first.returncode == 0, first.stdout + first.stderr
    key = key_file.read_text()
    assert len(key.strip()) >= 50
    assert stat.S_IMODE(key_file.stat().st_mode) == 0o600
    with sqlite3.connect(tmp_path / "production.sqlite3") as db:
        assert db.execute("SELECT count(*) FROM django_migrations WHERE app = 'catalog'").fetchone()[0] > 0
    second = run(["sh", "deploy/init.sh"], env)
    assert second.returncode == 0, second.stdout + second.stderr
    assert key_file.read_text() == key


def test_init_stops_when_the_deploy_checks_find_an_error(tmp_path):
    """Static files that were never collected (agentdash.E003) stop the start before migrating."""
    env = production_env(tmp_path)
    env["PATH"] = f"{VENV_BIN}{os.pathsep}{env['PATH']}"
    result = run(["sh", "deploy/init.sh"], env)
    assert result.returncode != 0
    assert "agentdash.E003" in result.stdout + result.stderr
    with sqlite3.connect(tmp_path / "production.sqlite3") as db:
        tables = {name for (name,) in db.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
    assert "django_migrations" not in tables
