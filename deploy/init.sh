#!/bin/sh
# The one-shot step `docker compose up` runs before the server starts (the "migrate" service):
# on first start, a secret key into the volume (when none is given); then the deploy checks,
# which stop here on an error; then the migrations.
set -eu
cd "$(dirname "$0")/.."

if [ -z "${DJANGO_SECRET_KEY:-}" ] && [ -n "${DJANGO_SECRET_KEY_FILE:-}" ] && [ ! -s "$DJANGO_SECRET_KEY_FILE" ]; then
    echo "init: writing a new secret key to $DJANGO_SECRET_KEY_FILE"
    (umask 077 && python -c 'import secrets; print(secrets.token_urlsafe(50))' > "$DJANGO_SECRET_KEY_FILE")
fi

python manage.py check --deploy
python manage.py migrate --noinput
