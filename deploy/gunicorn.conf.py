"""gunicorn's settings for AgentDash: ``gunicorn -c deploy/gunicorn.conf.py`` from the checkout.

The image runs exactly this. Each value comes from the environment with a default fit for one
host behind a reverse proxy; GUNICORN_CMD_ARGS still overrides any of them. Nothing here writes
to the filesystem either, so the server runs on a read-only root.
"""

import os

wsgi_app = "agentdash.wsgi:application"

# GUNICORN_BIND takes gunicorn's own forms: HOST:PORT, [::]:PORT or unix:/path (comma-separated
# for several). PORT alone is what some platforms set.
bind = [a.strip() for a in os.environ.get("GUNICORN_BIND", f"0.0.0.0:{os.environ.get('PORT', '8000')}").split(",")]


def default_workers():
    """Two per CPU this process may run on, plus one, but no more than 8: each worker holds
    its own copy of Django (about 60 MB here), and a container often sees the host's CPUs."""
    return min(2 * len(os.sched_getaffinity(0)) + 1, 8)


# WEB_CONCURRENCY is the name gunicorn and several platforms already use.
workers = int(os.environ.get("GUNICORN_WORKERS") or os.environ.get("WEB_CONCURRENCY") or default_workers())

# A request still running after `timeout` seconds gets its worker restarted; on SIGTERM (docker
# stop, a deploy) workers finish the requests they hold for up to `graceful_timeout` seconds.
timeout = int(os.environ.get("GUNICORN_TIMEOUT", "30"))
graceful_timeout = int(os.environ.get("GUNICORN_GRACEFUL_TIMEOUT", "30"))

# The proxies whose X-Forwarded-Proto/-For gunicorn believes (its own scheme and forwarded
# headers only; Django and django-axes have their own settings, see the README's Deploy
# section). gunicorn's default is the loopback addresses; in compose the proxy is another
# container, so list its address or network there.
forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1,::1")

# Access log to stdout and errors to stderr, where `docker logs` and journald read them; the
# X-Forwarded-For column names the client when a proxy is in front.
accesslog = "-"
errorlog = "-"
loglevel = os.environ.get("GUNICORN_LOG_LEVEL", "info")
access_log_format = '%(h)s %({x-forwarded-for}i)s %(t)s "%(r)s" %(s)s %(b)s %(M)sms "%(f)s" "%(a)s"'

# The heartbeat file of each worker goes to memory, never to a disk that may be slow or read-only.
worker_tmp_dir = "/dev/shm" if os.path.isdir("/dev/shm") else None  # noqa: S108  (tmpfs, not a shared /tmp)

# gunicorn 25.1+ opens a control socket under $XDG_RUNTIME_DIR or ~/.gunicorn by default, which
# a read-only filesystem refuses; nothing here uses gunicornc.
control_socket_disable = True


def on_starting(server):
    """Refuse to start workers that would each make up a different secret key.

    The settings fall back to a per-process key for local commands; under gunicorn every worker
    would sign sessions and CSRF tokens with its own, and logins would fail at random.
    """
    from agentdash import settings

    if settings.AGENTDASH_SECRET_KEY_SOURCE == "process":  # noqa: S105  (where the key came from, not a key)
        raise SystemExit(
            "gunicorn: no secret key. Set DJANGO_SECRET_KEY, or DJANGO_SECRET_KEY_FILE to a file "
            "that holds it, so that every worker signs with the same key."
        )
