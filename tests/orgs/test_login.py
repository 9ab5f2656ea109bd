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


@pytest.mark.django_db
def test_one_address_trying_many_accounts_is_throttled(org_a, settings):
    settings.LOGIN_IP_FAILURES = 6
    new_user("victim", org_a, "clerk")
    attacker = Client(REMOTE_ADDR="198.51.100.7")
    # One password against many accounts: no account reaches its own limit of 5 ...
    for i in range(6):
        r = attacker.post("/login/", {"username": f"user{i}", "password": "Password123"})
        assert r.status_code == 200
    # ... but the address has: every login from it is refused, even a right password.
    r = attacker.post("/login/", {"username": "victim", "password": PASSWORD})
    assert r.status_code == 429
    assert "本网络地址的登录失败次数过多" in r.content.decode()
    assert "_auth_user_id" not in attacker.session
    r = attacker.post("/admin/login/", {"username": "victim", "password": PASSWORD})
    assert r.status_code == 429 and "_auth_user_id" not in attacker.session
    # Another address is not affected.
    other = Client(REMOTE_ADDR="203.0.113.9")
    assert other.post("/login/", {"username": "victim", "password": PASSWORD}).status_code == 302
