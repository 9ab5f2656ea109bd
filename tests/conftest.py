import pytest
from helpers import Staff, new_org, new_user


@pytest.fixture
def city(db):
    return new_org("测试市", "city", "city")


@pytest.fixture
def org_a(city):
    return new_org("测试市教育局", "jyj", parent=city)


@pytest.fixture
def org_b(city):
    return new_org("测试市民政局", "mzj", parent=city)


@pytest.fixture
def staff_a(org_a):
    return Staff(org_a, "a")


@pytest.fixture
def staff_b(org_b):
    return Staff(org_b, "b")


@pytest.fixture
def supervisor(city):
    return new_user("gkb", city, "supervisor")
