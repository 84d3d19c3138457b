"""The admin login: django-axes lockout with a cool-off, the client address behind proxies, and the admin's
address moved by DJANGO_ADMIN_URL."""

from __future__ import annotations

import importlib
from collections.abc import Iterator
from datetime import timedelta

import pytest
from axes.models import AccessAttempt
from django.test import override_settings
from django.urls import clear_url_caches, reverse

import backspasm.urls
from tests.factories import make_user
from tests.test_settings import run_django

pytestmark = pytest.mark.django_db

PASSWORD = "pw-for-tests-only"  # what tests.factories.make_user sets
LOCKED = "Too many attempts to log in"


def log_in(client, username: str, password: str, **headers):
    return client.post("/admin/login/?next=/admin/", {"username": username, "password": password}, **headers)


def fail(client, username: str, times: int, **headers) -> list[int]:
    return [log_in(client, username, "wrong-password", **headers).status_code for _ in range(times)]


# Lockout and cool-off ---------------------------------------------------------------------------


def test_the_right_password_logs_in(client):
    user = make_user()
    response = log_in(client, user.username, PASSWORD)
    assert response.status_code == 302
    assert response.url == "/admin/"


def test_it_locks_the_login_after_the_failure_limit_even_for_the_right_password(client, settings):
    settings.AXES_FAILURE_LIMIT = 3
    user = make_user()
    assert fail(client, user.username, 2) == [200, 200]  # the form again, with its error
    third = log_in(client, user.username, "wrong-password")
    assert third.status_code == 429
    response = log_in(client, user.username, PASSWORD)
    assert response.status_code == 429
    assert "_auth_user_id" not in client.session


def test_the_locked_out_page_is_plain_and_says_when_to_try_again(client, settings):
    settings.AXES_FAILURE_LIMIT = 2
    user = make_user()
    fail(client, user.username, 2)
    response = log_in(client, user.username, PASSWORD)
    assert response.status_code == 429
    body = response.content.decode()
    assert f"<h1>{LOCKED}</h1>" in body
    assert "Wait 15 minutes, then try again." in body
    assert 'href="tel:' in body  # the site's own layout, emergency line included
    assert user.username not in body
    assert response["Retry-After"] == str(15 * 60)
    assert response["Cache-Control"] == "no-store"
    assert "Content-Security-Policy" in response


def test_the_default_policy_is_five_failures_and_a_fifteen_minute_cool_off():
    from django.conf import settings

    assert settings.AXES_FAILURE_LIMIT == 5
    assert settings.AXES_COOLOFF_TIME == timedelta(minutes=15)


def test_the_lock_lifts_by_itself_after_the_cool_off(client, settings):
    settings.AXES_FAILURE_LIMIT = 2
    user = make_user()
    fail(client, user.username, 2)
    assert log_in(client, user.username, PASSWORD).status_code == 429
    # Move the recorded failures just past the cool-off instead of waiting for it.
    cooled = AccessAttempt.objects.get(username=user.username)
    cooled.attempt_time -= settings.AXES_COOLOFF_TIME + timedelta(seconds=1)
    cooled.save()
    response = log_in(client, user.username, PASSWORD)
    assert response.status_code == 302
    assert str(user.pk) == client.session["_auth_user_id"]


def test_the_lock_holds_until_the_cool_off_is_over(client, settings):
    settings.AXES_FAILURE_LIMIT = 2
    user = make_user()
    fail(client, user.username, 2)
    nearly = AccessAttempt.objects.get(username=user.username)
    nearly.attempt_time -= settings.AXES_COOLOFF_TIME - timedelta(minutes=1)
    nearly.save()
    assert log_in(client, user.username, PASSWORD).status_code == 429


def test_a_right_password_clears_earlier_failures(client, settings):
    settings.AXES_FAILURE_LIMIT = 3
    user = make_user()
    fail(client, user.username, 2)
    assert log_in(client, user.username, PASSWORD).status_code == 302
    client.logout()
    assert fail(client, user.username, 2) == [200, 200]
    assert log_in(client, user.username, PASSWORD).status_code == 302


def test_one_persons_lock_does_not_lock_a_colleague_at_the_same_address(client, settings):
    settings.AXES_FAILURE_LIMIT = 2
    careless, colleague = make_user(), make_user()
    fail(client, careless.username, 2)
    assert log_in(client, careless.username, PASSWORD).status_code == 429
    assert log_in(client, colleague.username, PASSWORD).status_code == 302


# The client's address behind a proxy ------------------------------------------------------------


def test_a_spoofed_forwarded_for_header_is_ignored_by_default(client, settings):
    settings.AXES_FAILURE_LIMIT = 3
    user = make_user()
    statuses = [
        log_in(client, user.username, "wrong", HTTP_X_FORWARDED_FOR=f"198.51.100.{n}").status_code
        for n in range(5)
    ]
    assert statuses == [200, 200, 429, 429, 429]
    assert set(AccessAttempt.objects.values_list("ip_address", flat=True)) == {"127.0.0.1"}
    response = log_in(client, user.username, PASSWORD, HTTP_X_FORWARDED_FOR="198.51.100.99")
    assert response.status_code == 429


@override_settings(TRUSTED_PROXY_COUNT=1)
def test_the_forwarded_address_is_used_when_one_proxy_is_trusted(client, settings):
    settings.AXES_FAILURE_LIMIT = 2
    user = make_user()
    # The proxy appends the address it saw; the client may have put anything before it.
    attacker = {"HTTP_X_FORWARDED_FOR": "10.9.9.9, 203.0.113.7"}
    fail(client, user.username, 2, **attacker)
    assert list(AccessAttempt.objects.values_list("ip_address", flat=True)) == ["203.0.113.7"]
    assert log_in(client, user.username, PASSWORD, **attacker).status_code == 429
    # A changed left-hand entry does not help the attacker: only the proxy's entry counts.
    assert (
        log_in(client, user.username, PASSWORD, HTTP_X_FORWARDED_FOR="1.2.3.4, 203.0.113.7").status_code
        == 429
    )
    # The same person at another address, through the same proxy, is not locked.
    response = log_in(client, user.username, PASSWORD, HTTP_X_FORWARDED_FOR="203.0.113.8")
    assert response.status_code == 302


@override_settings(TRUSTED_PROXY_COUNT=2)
def test_with_two_trusted_proxies_the_second_entry_from_the_right_is_the_client(client, settings):
    settings.AXES_FAILURE_LIMIT = 5
    user = make_user()
    fail(client, user.username, 1, HTTP_X_FORWARDED_FOR="6.6.6.6, 203.0.113.7, 10.0.0.2")
    assert list(AccessAttempt.objects.values_list("ip_address", flat=True)) == ["203.0.113.7"]


@override_settings(TRUSTED_PROXY_COUNT=1)
def test_without_the_proxys_header_the_socket_address_is_used(client):
    user = make_user()
    fail(client, user.username, 1)
    assert list(AccessAttempt.objects.values_list("ip_address", flat=True)) == ["127.0.0.1"]


# Where the admin lives -------------------------------------------------------------------------


def test_the_admin_answers_at_admin_by_default(client):
    assert reverse("admin:index") == "/admin/"
    response = client.get("/admin/")
    assert response.status_code == 302
    assert response.url == "/admin/login/?next=/admin/"


@pytest.fixture
def admin_moved_to() -> Iterator:
    """Rebuild the URLs with the admin at another path; put everything back afterwards."""
    overrides = []

    def move(path: str) -> None:
        override = override_settings(ADMIN_URL=path)
        override.enable()
        overrides.append(override)
        importlib.reload(backspasm.urls)
        clear_url_caches()

    yield move
    for override in reversed(overrides):
        override.disable()
    importlib.reload(backspasm.urls)
    clear_url_caches()


def test_the_admin_answers_at_a_moved_path_and_not_at_admin(client, admin_moved_to):
    admin_moved_to("staff-door-7f3a/")
    assert reverse("admin:index") == "/staff-door-7f3a/"
    assert client.get("/admin/").status_code == 404
    response = client.get("/staff-door-7f3a/")
    assert response.status_code == 302
    assert response.url == "/staff-door-7f3a/login/?next=/staff-door-7f3a/"
    user = make_user(is_superuser=True)
    response = client.post(
        "/staff-door-7f3a/login/?next=/staff-door-7f3a/", {"username": user.username, "password": PASSWORD}
    )
    assert response.status_code == 302
    assert client.get("/staff-door-7f3a/content/remedy/").status_code == 200


def test_the_admin_is_back_at_admin_after_a_move(client):
    """Runs after the move above: the fixture must have put the URLs back."""
    assert reverse("admin:index") == "/admin/"
    assert client.get("/admin/login/").status_code == 200


def test_the_admin_url_comes_from_the_environment_with_its_slashes_tidied():
    result = run_django(
        ["shell", "--no-imports", "-c", "from django.urls import reverse; print(reverse('admin:index'))"],
        DJANGO_SECRET_KEY="x" * 50,
        DJANGO_ADMIN_URL="/back/office",
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "/back/office/"


@pytest.mark.parametrize("raw", ["/", "check/"])
def test_a_bad_admin_url_stops_start_up_naming_the_variable(raw):
    result = run_django(["check"], DJANGO_SECRET_KEY="x" * 50, DJANGO_ADMIN_URL=raw)
    assert result.returncode != 0
    assert "DJANGO_ADMIN_URL" in result.stderr


def test_the_deploy_check_passes_with_a_moved_admin_behind_a_proxy():
    result = run_django(
        ["check", "--deploy", "--fail-level", "WARNING"],
        DJANGO_SECRET_KEY="a-production-secret-key-that-is-long-and-random-enough-1234567890",
        DJANGO_SECURE="1",
        DJANGO_ALLOWED_HOSTS="clinic.example",
        DJANGO_ADMIN_URL="staff-door/",
        DJANGO_TRUSTED_PROXY_COUNT="1",
        AXES_FAILURE_LIMIT="3",
        AXES_COOLOFF_MINUTES="30",
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_the_lockout_policy_comes_from_the_environment():
    result = run_django(
        [
            "shell",
            "--no-imports",
            "-c",
            "from django.conf import settings as s; print(s.AXES_FAILURE_LIMIT, s.AXES_COOLOFF_TIME)",
        ],
        DJANGO_SECRET_KEY="x" * 50,
        AXES_FAILURE_LIMIT="8",
        AXES_COOLOFF_MINUTES="30",
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip().splitlines()[-1] == "8 0:30:00"


def test_a_cool_off_of_zero_is_refused_so_a_lock_is_never_for_good():
    result = run_django(["check"], DJANGO_SECRET_KEY="x" * 50, AXES_COOLOFF_MINUTES="0")
    assert result.returncode != 0
    assert "AXES_COOLOFF_MINUTES must be at least 1" in result.stderr
