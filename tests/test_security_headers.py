"""Every public page carries the security headers: the strict CSP with a fresh nonce on each of its scripts,
no sniffing, no framing, same-origin referrers and opener; HSTS only in production behind TLS."""

from __future__ import annotations

import json
import re
from collections.abc import Callable

import pytest

from content.starter import load_starter_content
from tests.install import ROOT, manage
from tests.triage.conftest import walk

pytestmark = pytest.mark.django_db


def started(client, url: str) -> str:
    client.post("/check/")
    return url


def finished(**answers) -> Callable:
    def open_result(client) -> str:
        response = walk(client, **answers)
        assert response["Location"] == "/check/result/", response["Location"]
        return "/check/result/"

    return open_result


PAGES: dict[str, Callable] = {
    "home": lambda client: "/",
    "check start": lambda client: "/check/",
    "check step": lambda client: started(client, "/check/serious-signs/"),
    "check step with an error": lambda client: started(client, "/check/serious-signs/"),
    "check answers": lambda client: (walk(client, confirm=False), "/check/answers/")[1],
    "outcome emergency": finished(emergency=["saddle_numbness"]),
    "outcome urgent": finished(urgent=["fever"]),
    "outcome gp": finished(onset="over-6-weeks"),
    "outcome self-care": finished(),
    "outcome printed plan": lambda client: (finished()(client), "/check/result/print/")[1],
    "library": lambda client: "/library/",
    "library cause": lambda client: "/library/causes/muscle-strain/",
    "library remedy": lambda client: "/library/remedies/heat-pack/",
    "library prevention": lambda client: "/library/prevention/good-posture/",
    "library when to get help": lambda client: "/library/when-to-get-help/",
    "library search": lambda client: "/library/search/?q=heat",
    "routines": lambda client: "/routines/",
    "routine": lambda client: "/routines/cold-pack-cycles/",
    "handouts": lambda client: "/handouts/",
    "handout": lambda client: "/handouts/first-days-of-a-back-spasm/",
    "handout pdf": lambda client: "/handouts/first-days-of-a-back-spasm.pdf",
    "healthz": lambda client: "/healthz",
    "not found": lambda client: "/library/remedies/no-such-remedy/",
    "admin login": lambda client: "/admin/login/",
}
NOT_OK = {"not found": 404, "check step with an error": 400}


def csp_directives(header: str) -> dict[str, list[str]]:
    directives = {}
    for part in header.split(";"):
        name, *values = part.split()
        directives[name] = values
    return directives


@pytest.fixture
def starter(db) -> None:
    load_starter_content()


@pytest.mark.parametrize("name", list(PAGES))
def test_every_public_page_sends_the_security_headers(client, starter, name):
    url = PAGES[name](client)
    nonces = []
    for _ in range(2):  # the second time may come from the page cache: the same headers, a new nonce
        if name == "check step with an error":
            response = client.post(url, {})  # nothing ticked: the question again, with its error summary
        else:
            response = client.get(url)
        assert response.status_code == NOT_OK.get(name, 200), url
        nonces.append(assert_security_headers(response))
    assert nonces[0] is None or nonces[0] != nonces[1]


def assert_security_headers(response) -> str | None:
    """Every header, and every script of the page carrying the header's nonce; returns the nonce."""
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"
    assert response["Cross-Origin-Opener-Policy"] == "same-origin"
    assert response["X-Frame-Options"] == "DENY"
    assert "Strict-Transport-Security" not in response  # only behind TLS: see the production test below

    header = response["Content-Security-Policy"]
    assert "unsafe-inline" not in header and "unsafe-eval" not in header
    csp = csp_directives(header)
    assert csp["default-src"] == ["'self'"]
    assert csp["frame-ancestors"] == ["'none'"]
    assert csp["object-src"] == ["'none'"]
    assert csp["base-uri"] == ["'self'"] and csp["form-action"] == ["'self'"]
    assert not any("*" in value or value.startswith(("http:", "https:")) for v in csp.values() for value in v)
    # Django adds the nonce only to responses that used it (pages with scripts); nothing else is allowed.
    nonces = [value for value in csp["script-src"] if value.startswith("'nonce-")]
    assert csp["script-src"] == ["'self'", *nonces] and len(nonces) <= 1
    nonce = nonces[0][len("'nonce-") : -1] if nonces else None

    if response["Content-Type"].startswith("text/html"):
        html = response.content.decode()
        scripts = re.findall(r"<script\b[^>]*>", html)
        if scripts:
            assert nonce is not None and len(nonce) >= 16
        # Every script is a file of our own carrying this response's nonce; JSON data blocks only hold data.
        for tag in scripts:
            if 'type="application/json"' in tag:
                continue
            assert f'nonce="{nonce}"' in tag and 'src="/' in tag, tag
        assert not re.search(r"\s(on[a-z]+|style)=", html), "an inline handler or style attribute"
    return nonce


HEADERS_SCRIPT = """
import json
from django.test import Client
client = Client(HTTP_HOST="clinic.example")
plain = client.get("/healthz")
secure = client.get("/healthz", HTTP_X_FORWARDED_PROTO="https")
redirect = client.get("/library/")
print(json.dumps({
    "plain": [plain.status_code, dict(plain.headers)],
    "secure": [secure.status_code, dict(secure.headers)],
    "redirect": [redirect.status_code, dict(redirect.headers)],
}))
"""


PRODUCTION = {
    "DJANGO_SECRET_KEY": "a-production-secret-key-that-is-long-and-random-enough-1234567890",
    "DJANGO_SECURE": "1",
    "DJANGO_ALLOWED_HOSTS": "clinic.example",
    "DATABASE_URL": "sqlite://:memory:",
}


def production_headers(**env: str) -> dict:
    result = manage(ROOT, "shell", "--no-imports", "-c", HEADERS_SCRIPT, **PRODUCTION, **env)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout.strip().splitlines()[-1])


def test_production_behind_tls_sends_hsts_and_redirects_plain_http():
    seen = production_headers()
    status, headers = seen["secure"]
    assert status == 200
    # No preload unless the clinic opts in: the preload list is a commitment that is slow to undo.
    assert headers["Strict-Transport-Security"] == "max-age=31536000; includeSubDomains"
    assert headers["X-Frame-Options"] == "DENY"
    assert "unsafe-inline" not in headers["Content-Security-Policy"]
    # The load balancer's plain-HTTP health check is answered, not redirected; it gets no HSTS.
    status, headers = seen["plain"]
    assert status == 200 and "Strict-Transport-Security" not in headers
    status, headers = seen["redirect"]
    assert status == 301 and headers["Location"] == "https://clinic.example/library/"


def test_hsts_preload_is_sent_only_when_the_clinic_opts_in():
    _status, headers = production_headers(DJANGO_HSTS_PRELOAD="1")["secure"]
    assert headers["Strict-Transport-Security"] == "max-age=31536000; includeSubDomains; preload"
