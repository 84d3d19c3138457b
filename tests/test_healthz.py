from __future__ import annotations

import json

import pytest

from tests.test_errors import get_with_the_database_down


@pytest.mark.django_db
def test_it_answers_200_when_the_database_answers(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": "ok"}
    assert "no-cache" in response.headers["Cache-Control"]


def test_it_answers_503_when_the_database_is_unreachable():
    """A real, unreachable PostgreSQL address (nothing listens on port 1), in a fresh process."""
    status, _retry_after, body = get_with_the_database_down("/healthz")
    assert status == 503
    assert json.loads(body)["database"] == "unavailable"
