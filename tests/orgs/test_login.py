import pytest
from django.test import Client
from helpers import PASSWORD, new_user


@pytest.mark.django_db
def test_password_hashed_with_argon2(org_a):
    user = new_user("hash_check", org_a, "clerk")
    assert user.password.startswith("argon2")


@pytest.mark.django_db
def test_lockout_after_repeated_failures(org_a, settings):
    new_user("locked", org_a, "clerk")
    c = Client()
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        r = c.post("/login/", {"username": "locked", "password": "wrong-password"})
        assert r.status_code == 200
    r = c.post("/login/", {"username": "locked", "password": "wrong-password"})
    assert r.status_code == 429  # the limit-th failure locks
    # Now even the right password is refused, with a Chinese explanation.
    r = c.post("/login/", {"username": "locked", "password": PASSWORD})
    assert r.status_code == 429
    assert "锁定" in r.content.decode()
    assert "_auth_user_id" not in c.session


@pytest.mark.django_db
def test_login_works_and_workbench_needs_login(org_a):
    new_user("okuser", org_a, "clerk")
    c = Client()
    assert c.get("/workbench/").status_code == 302
    r = c.post("/login/", {"username": "okuser", "password": PASSWORD})
    assert r.status_code == 302 and r["Location"] == "/workbench/"
    assert c.get("/workbench/").status_code == 200
