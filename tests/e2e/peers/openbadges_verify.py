"""Runs the Open Badges 2.0 verifier of IMS Global / 1EdTech (PyPI `openbadges`) on one badge
and prints its report as JSON. It runs in .venv-badges (see scripts/lib/deps.sh), so the
tests call it as a program:

    .venv-badges/bin/python tests/e2e/peers/openbadges_verify.py INPUT [RECIPIENT_EMAIL]

INPUT is an assertion's URL or a signed assertion (a JWS). The verifier fetches everything
else from Gotong itself. Only the Open Badges JSON-LD context is served from the copy the
verifier ships (openbadges.verifier.openbadges_context), since the tests run without the
internet; every other fetch goes to the server under test.
"""

import json
import sys

import requests
from requests.adapters import HTTPAdapter

from openbadges.verifier import openbadges_context, verify

_send = HTTPAdapter.send


def _send_offline_context(self, request, **kwargs):
    if request.url.startswith(openbadges_context.OPENBADGES_CONTEXT_V2_URI):
        response = requests.Response()
        response.status_code = 200
        response.url = request.url
        response.request = request
        response.headers["Content-Type"] = "application/ld+json"
        response._content = json.dumps(openbadges_context.OPENBADGES_CONTEXT_V2_DICT).encode()
        return response
    return _send(self, request, **kwargs)


def main() -> None:
    HTTPAdapter.send = _send_offline_context
    badge = sys.argv[1]
    recipient = {"email": sys.argv[2]} if len(sys.argv) > 2 else None
    report = verify(badge, recipient_profile=recipient, use_cache=False)
    print(json.dumps(report["report"]))


if __name__ == "__main__":
    main()
