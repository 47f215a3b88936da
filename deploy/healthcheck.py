"""The image's HEALTHCHECK: exit 0 when AgentDash answers /healthz with 200, 1 otherwise.

Standard library only (the slim image has no curl). AGENTDASH_HEALTHCHECK_URL overrides the
address, for a server bound elsewhere than port 8000.
"""

import os
import sys
import urllib.error
import urllib.request

URL = os.environ.get("AGENTDASH_HEALTHCHECK_URL", f"http://127.0.0.1:{os.environ.get('PORT', '8000')}/healthz")


def main():
    try:
        with urllib.request.urlopen(URL, timeout=5) as response:  # noqa: S310  (a fixed http URL)
            healthy = response.status == 200
    except (urllib.error.URLError, OSError) as error:
        print(f"unhealthy: {URL}: {error}", file=sys.stderr)
        return 1
    return 0 if healthy else 1


if __name__ == "__main__":
    sys.exit(main())
