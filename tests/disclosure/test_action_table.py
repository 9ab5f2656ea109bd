"""One action table (issue #16): every action the case page offers is an action of
disclosure/actions.py, is a documented route of the staff API, and gives the same permission
answer through the page and through the API — the table's permission question decides both."""

import json
import re
from datetime import date
from pathlib import Path

import pytest
from django.contrib.messages import get_messages
from django.db import transaction
from django.template.loader import get_template
from django.test import Client
from django.urls import reverse
from helpers import new_user

from yangguang.disclosure import actions, services

pytestmark = pytest.mark.django_db
API = "/api/v1/staff/disclosure/applications"


@pytest.fixture(autouse=True)
def _private(settings, tmp_path):
    settings.PRIVATE_STORAGE_DIR = tmp_path


class Rollback(Exception):
    pass


def undone(call):
    """The response of ``call``, with whatever it changed rolled back (each user tries each action
    on the same case)."""
    try:
        with transaction.atomic():
            raise Rollback(call())
    except Rollback as done:
        return done.args[0]


def client_for(user) -> Client:
    c = Client()
    c.force_login(user)
    return c


def desk_actions() -> set[str]:
    """The actions the case page's forms post to (applications:act and the letter form)."""
    text = Path(get_template("applications/detail.html").origin.name).read_text(encoding="utf-8")
    names = set(re.findall(r"url 'applications:act' app\.pk '(\w+)'", text))
    if "applications:issue_letter" in text:
        names.add("issue_letter")
    if "applications:reply" in text or "_reply.html" in text:
        names.add("reply")
    return names


def test_every_desk_action_is_in_the_table_and_a_documented_api_route():
    names = desk_actions()
    assert names and "accept" in names and "fee_notice" in names  # the template was read
    assert names <= set(actions.ACTIONS)
    paths = Client().get("/api/v1/openapi.json").json()["paths"]
    for name in actions.ACTIONS:
        op = paths[f"{API}/{{app_id}}/actions/{name}"]["post"]
        assert {"200", "400", "403", "409"} <= set(op["responses"])
        body = op["requestBody"]["content"]["application/json"]["schema"]["$ref"].rsplit("/", 1)[-1]
        schema = Client().get("/api/v1/openapi.json").json()["components"]["schemas"][body]
        assert set(schema.get("properties", {})) == {f.name for f in actions.ACTIONS[name].fields}
    # the older API names keep working
    assert f"{API}/{{app_id}}/actions/approve_extension_request" in paths
    assert f"{API}/{{app_id}}/reply" in paths


@pytest.fixture
def case(city, org_a):
    office = new_user("tbl_gkb", city, "supervisor")
    app = services.register(city, {
        "applicant_type": "natural", "applicant_name": "周敏", "contact_phone": "13512340009",
        "description": "本区2025年老旧小区改造项目清单", "channel": "in_person", "received_date": date.today(),
    }, by=office)
    return services.assign(services.accept(app, office), office, org_a)


@pytest.fixture
def people(city, org_a):
    return {
        "office": new_user("tbl_office", city, "supervisor"),
        "handler": new_user("tbl_handler", org_a, "handler"),
        "principal": new_user("tbl_principal", city, "principal"),
        "clerk": new_user("tbl_clerk", city, "clerk"),  # reads the case, handles none of it
        "dept_clerk": new_user("tbl_dept_clerk", org_a, "clerk"),
    }


def page_post(c: Client, app, name: str):
    if name == "reply":
        return c.post(reverse("applications:reply", args=[app.pk]), {"confirm": "1"})
    if name == "issue_letter":
        return c.post(reverse("applications:issue_letter", args=[app.pk]), {})
    return c.post(reverse("applications:act", args=[app.pk, name]), {})


def page_texts(response) -> list[str]:
    texts = [str(m) for m in get_messages(response.wsgi_request)]
    return texts + ([response.content.decode()] if response.status_code != 302 else [])


@pytest.mark.parametrize("who", ["office", "handler", "principal", "clerk", "dept_clerk"])
def test_page_and_api_give_the_same_permission_answer_for_every_action(case, people, who):
    user = people[who]
    c = client_for(user)
    may = set()
    for name, entry in actions.ACTIONS.items():
        allowed = entry.allowed(user, case)
        refused = str(entry.refused)
        if allowed:
            may.add(name)
        body = json.dumps({f.name: "?" for f in entry.fields if f.required})  # what the schema requires
        api = undone(lambda: c.post(f"{API}/{case.pk}/actions/{name}", data=body,  # noqa: B023
                                    content_type="application/json"))
        page = undone(lambda: page_post(c, case, name))  # noqa: B023
        shown = page_texts(page)
        if allowed:
            assert api.status_code in (200, 400, 409), (who, name, api.content)
            assert not any(refused in t for t in shown), (who, name)
        else:
            assert api.status_code == 403 and api.json()["detail"] == refused, (who, name, api.content)
            assert any(refused in t for t in shown), (who, name, shown)
    deciding = {"extend", "approve_extension", "refuse_extension"}
    expected = {
        "office": set(actions.ACTIONS),  # the receiving org's 政务公开办: handles, assigns, decides extensions
        "handler": set(actions.ACTIONS) - deciding - {"assign"},  # the assigned department's 承办人
        "principal": deciding,  # 主要领导: decides extensions only
        "clerk": set(), "dept_clerk": set(),  # read the case, may do nothing on it
    }
    assert may == expected[who]


def test_an_action_runs_the_same_through_the_api_as_through_the_page(case, people):
    """Actions the API lacked before the table: the fee notice and the payment."""
    handler = client_for(people["handler"])
    r = handler.post(f"{API}/{case.pk}/actions/fee_notice", data=json.dumps({"method": "per_page", "pages": 150}),
                     content_type="application/json")
    assert r.status_code == 200 and r.json()["state"] == "fee_pending", r.content
    case.refresh_from_db()
    assert case.fee_amount and case.fee_pages == 150
    bad = handler.post(f"{API}/{case.pk}/actions/fee_paid", data=json.dumps({"on": "not a date"}),
                       content_type="application/json")
    assert bad.status_code == 422  # the schema types the date
    r = handler.post(reverse("applications:act", args=[case.pk, "fee_paid"]), {"on": "not a date"})
    assert [str(m) for m in get_messages(r.wsgi_request)] == ["缴费日期格式不正确。"]
    r = handler.post(f"{API}/{case.pk}/actions/fee_paid", data=json.dumps({}), content_type="application/json")
    assert r.status_code == 200 and r.json()["state"] == "assigned"


def test_unknown_action_is_404_on_both_doors(case, people):
    c = client_for(people["office"])
    assert c.post(f"{API}/{case.pk}/actions/fly", data="{}", content_type="application/json").status_code == 404
    assert c.post(reverse("applications:act", args=[case.pk, "fly"])).status_code == 404
    # the older API name is not a page action
    assert c.post(reverse("applications:act", args=[case.pk, "approve_extension_request"])).status_code == 404
