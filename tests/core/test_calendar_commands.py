"""`yangguang workdays add|explain`, `yangguang calendar load|show|seed`, the calendar admin and the
public deadline calculator page."""

from __future__ import annotations

import io
import json
import os
import subprocess
import sys
from datetime import date
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse

from yangguang.core import workdays
from yangguang.core.models import AuditEvent
from yangguang.core.models_calendar import CalendarDay, CalendarYear

REPO = Path(__file__).resolve().parents[2]
D = date.fromisoformat

# A made-up schedule for a test year (no real 2031 notice exists): 2031-01-01 is a Wednesday.
CSV_2031 = """\
# 2031年测试安排（虚构）
date,kind,name
2031-01-01,休,元旦
2031-01-02,holiday,元旦
2031-01-03,放假,元旦
2031-01-04,班,元旦
"""


def run(*args: str) -> str:
    out = io.StringIO()
    call_command(*args, stdout=out)
    return out.getvalue()


@pytest.fixture
def csv_2031(tmp_path: Path) -> Path:
    path = tmp_path / "calendar-2031.csv"
    path.write_text(CSV_2031, encoding="utf-8")
    return path


# --- workdays ------------------------------------------------------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize(("start", "n", "expected"), [
    ("2025-09-26", "20", "2025-10-30\n"),
    ("2025-09-30", "7", "2025-10-16\n"),
    ("2026-02-13", "7", "2026-03-02\n"),
    ("2025-10-01", "0", "2025-10-01\n"),
    ("2026-12-28", "5", "2027-01-04 provisional\n"),
    ("2031-06-30", "20", "2031-07-28 provisional\n"),
])
def test_workdays_add_output(start, n, expected):
    assert run("workdays", "add", start, n) == expected


@pytest.mark.django_db
def test_workdays_explain_output():
    lines = run("workdays", "explain", "2025-09-30", "7").splitlines()
    assert lines[0] == "2025-10-01 周三 不计：法定节假日（国庆节、中秋节）"
    assert "2025-10-11 周六 第3个工作日（调休上班：国庆节、中秋节）" in lines
    assert "2025-10-12 周日 不计：周末" in lines
    assert lines[-2] == "2025-10-16 周四 第7个工作日"
    assert lines[-1].startswith("结果：2025-10-16 周四")


@pytest.mark.django_db
@pytest.mark.parametrize(("args", "message"), [
    (("2025-13-01", "20"), "日期“2025-13-01”无效"),
    (("2025/09/26", "20"), "无效"),
    (("2025-09-26", "-1"), "不能为负数"),
    (("2025-09-26", "abc"), "工作日数“abc”无效"),
])
def test_workdays_bad_input(args, message):
    with pytest.raises(CommandError, match=message):
        run("workdays", "add", *args)


@pytest.fixture(scope="module")
def migrated_var_dir(tmp_path_factory) -> dict[str, str]:
    """The console script runs against the database of YANGGUANG_VAR_DIR, not the test database:
    give it a fresh SQLite one of its own, migrated (which seeds the calendar)."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("YANGGUANG_DATABASE")}
    env["YANGGUANG_VAR_DIR"] = str(tmp_path_factory.mktemp("var"))
    subprocess.run([sys.executable, "-m", "yangguang", "migrate", "--noinput", "-v0"], env=env, cwd=REPO,
                   check=True, timeout=300)
    return env


def cli(env: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "yangguang", *args], env=env, cwd=REPO, capture_output=True,
                          text=True, timeout=120, check=False)


def test_console_script_add(migrated_var_dir):
    done = cli(migrated_var_dir, "workdays", "add", "2025-09-26", "20")
    assert (done.returncode, done.stdout) == (0, "2025-10-30\n")
    done = cli(migrated_var_dir, "workdays", "add", "2026-12-28", "5")
    assert (done.returncode, done.stdout) == (0, "2027-01-04 provisional\n")
    done = cli(migrated_var_dir, "workdays", "add", "2025-02-30", "5")
    assert done.returncode == 1 and "日期“2025-02-30”无效" in done.stderr


# --- calendar load -------------------------------------------------------------------------------


@pytest.mark.django_db
def test_loading_a_year_recomputes_provisional_deadlines(csv_2031):
    before = workdays.add_working_days(D("2030-12-31"), 1)
    assert (before.date, before.provisional) == (D("2031-01-01"), True)
    events = AuditEvent.objects.count()

    out = run("calendar", "load", str(csv_2031))

    assert "已导入2031年节假日安排：放假3天，调休上班1天" in out
    after = workdays.add_working_days(D("2030-12-31"), 1)  # nothing stored: derived again on read
    assert (after.date, after.provisional) == (D("2031-01-04"), False)  # Jan 1-3 off, Sat 4 worked
    assert run("workdays", "add", "2030-12-31", "1") == "2031-01-04\n"
    year = CalendarYear.objects.get(year=2031)
    assert year.source == "calendar-2031.csv"
    assert AuditEvent.objects.count() == events + 1
    event = AuditEvent.objects.last()
    assert (event.action, event.object_type, event.object_id) == ("calendar.load", "core.calendaryear", "2031")
    assert event.data["years"] == [2031] and event.data["holidays"] == 3 and event.data["makeup_workdays"] == 1


@pytest.mark.django_db
def test_loading_again_replaces_the_year(csv_2031, tmp_path):
    run("calendar", "load", str(csv_2031))
    again = tmp_path / "2031-v2.csv"
    again.write_text("2031-01-01,休,元旦\n", encoding="utf-8")
    run("calendar", "load", str(again), "--source", "国办发明电〔2030〕1号")
    assert list(CalendarDay.objects.filter(date__year=2031).values_list("date", flat=True)) == [D("2031-01-01")]
    assert CalendarYear.objects.get(year=2031).source == "国办发明电〔2030〕1号"
    assert run("workdays", "add", "2030-12-31", "1") == "2031-01-02\n"
    assert AuditEvent.objects.last().data["replaced"] == {"2031": {"source": "calendar-2031.csv", "days": 4}}


@pytest.mark.django_db
def test_bad_file_reports_every_error_and_writes_nothing(tmp_path):
    path = tmp_path / "bad.csv"
    path.write_text(
        "\ufeff日期,类型,名称\n"
        "2031-02-30,休,春节\n"        # line 2: no such date
        "2031-01-06,班,元旦\n"        # line 3: a Monday cannot be a 调休 working day
        "2031-01-04,休,元旦\n"        # line 4: a holiday on a Saturday is allowed
        "2031-01-04,休,元旦\n"        # line 5: duplicate of line 4
        "2031-01-07,假,元旦\n"        # line 6: unknown kind
        "2031-01-08,休,\n"            # line 7: no name
        "2031-01-09,休\n",            # line 8: two columns
        encoding="utf-8",
    )
    events = AuditEvent.objects.count()
    with pytest.raises(CommandError) as excinfo:
        run("calendar", "load", str(path))
    message = str(excinfo.value)
    assert "未写入任何数据（共6处错误）" in message
    for expected in ["第2行：日期“2031-02-30”无效", "第3行：2031-01-06是周一，本来就是工作日，不能登记为调休上班",
                     "第5行：2031-01-04与第4行重复", "第6行：类型“假”无效", "第7行：缺少节日名称", "第8行：应有3列"]:
        assert expected in message
    assert "第4行" not in message.replace("与第4行", "")
    assert not CalendarYear.objects.filter(year=2031).exists()
    assert AuditEvent.objects.count() == events


@pytest.mark.django_db
def test_file_errors(tmp_path):
    with pytest.raises(CommandError, match="找不到文件"):
        run("calendar", "load", str(tmp_path / "missing.csv"))
    empty = tmp_path / "empty.csv"
    empty.write_text("date,kind,name\n", encoding="utf-8")
    with pytest.raises(CommandError, match="文件中没有任何日期"):
        run("calendar", "load", str(empty))
    with pytest.raises(CommandError, match="请指定要导入的文件"):
        run("calendar", "load")


@pytest.mark.django_db
def test_load_json_several_years(tmp_path):
    path = tmp_path / "calendar.json"
    path.write_text(json.dumps({"days": [
        {"date": "2031-10-01", "kind": "holiday", "name": "国庆节"},
        {"date": "2032-01-01", "kind": "休", "name": "元旦"},
        {"date": "2032-01-03", "kind": "makeup_workday", "name": "元旦"},
    ]}, ensure_ascii=False), encoding="utf-8")
    out = run("calendar", "load", str(path))
    assert "已导入2031年、2032年节假日安排" in out
    cal = workdays.Calendar.from_db()
    assert cal.loaded(2031) and cal.loaded(2032)
    assert cal.info(D("2032-01-03")).reason == "调休上班：元旦"
    assert AuditEvent.objects.last().object_id == "2031-2032"
    bad = tmp_path / "bad.json"
    bad.write_text('[{"date": "2031-01-05", "kind": "makeup_workday", "name": "x"}, 3]', encoding="utf-8")
    with pytest.raises(CommandError, match=r"第2条：应为含 date、kind、name 的对象"):
        run("calendar", "load", str(bad))


# --- calendar show / seed ------------------------------------------------------------------------


@pytest.mark.django_db
def test_calendar_show():
    out = run("calendar", "show", "2025")
    assert out.startswith("2025年：已录入（来源：chinesecalendar")
    assert ("国庆节、中秋节：放假8天（10-01周三、10-02周四、10-03周五、10-04周六、10-05周日、10-06周一、"
            "10-07周二、10-08周三）；调休上班09-28周日、10-11周六") in out
    assert "春节：放假9天" in run("calendar", "show", "2026")
    assert run("calendar", "show", "2031") == "2031年：未录入（暂定：2031年节假日安排未录入，按周一至周五计算）\n"
    with pytest.raises(CommandError, match="年份“abc”无效"):
        run("calendar", "show", "abc")


@pytest.mark.django_db
def test_calendar_seed_restores_missing_years_only():
    CalendarYear.objects.filter(year=2026).delete()
    assert run("workdays", "add", "2026-02-13", "7") == "2026-02-24 provisional\n"
    assert "2026年" in run("calendar", "seed")
    assert run("workdays", "add", "2026-02-13", "7") == "2026-03-02\n"
    assert AuditEvent.objects.last().action == "calendar.seed"
    assert "没有需要录入的年份" in run("calendar", "seed")


# --- admin ---------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_admin_enters_a_year_and_is_audited(client, django_user_model):
    admin = django_user_model.objects.create_superuser("calendar_admin", "a@example.org", "x" * 12)
    client.force_login(admin)
    assert client.get(reverse("admin:core_calendaryear_changelist")).status_code == 200
    assert client.get(reverse("admin:core_calendaryear_change", args=[CalendarYear.objects.get(year=2025).pk])
                      ).status_code == 200
    assert workdays.add_working_days(D("2030-12-31"), 1).provisional
    form = {
        "year": "2031", "source": "国办发明电〔2030〕1号", "loaded_at_0": "2030-11-01", "loaded_at_1": "10:00:00",
        "note": "", "days-TOTAL_FORMS": "2", "days-INITIAL_FORMS": "0", "days-MIN_NUM_FORMS": "0",
        "days-MAX_NUM_FORMS": "1000",
        "days-0-date": "2031-01-01", "days-0-kind": "holiday", "days-0-name": "元旦",
        "days-1-date": "2031-01-04", "days-1-kind": "makeup_workday", "days-1-name": "元旦",
    }
    response = client.post(reverse("admin:core_calendaryear_add"), form)
    assert response.status_code == 302, response.content.decode()[:2000]
    assert {e.action for e in AuditEvent.objects.filter(object_type="core.calendaryear")} >= {
        "admin.add", "admin.inline_change"}
    assert run("workdays", "add", "2030-12-31", "1") == "2031-01-02\n"  # reloaded, not stale

    # A 调休上班 day on a weekday, or a date of another year, is refused with a Chinese message.
    bad = dict(form, year="2032", **{"days-0-date": "2032-01-05", "days-0-kind": "makeup_workday",
                                     "days-1-date": "2031-06-01"})
    response = client.post(reverse("admin:core_calendaryear_add"), bad)
    assert response.status_code == 200
    assert "本来就是工作日" in response.content.decode()
    assert "不属于2032年" in response.content.decode()
    assert not CalendarYear.objects.filter(year=2032).exists()


# --- the public deadline calculator ----------------------------------------------------------------


@pytest.mark.django_db
def test_deadline_page(client):
    page = client.get(reverse("portal:deadline"))
    assert page.status_code == 200
    html = page.content.decode()
    assert 'for="id_start"' in html and 'for="id_n"' in html and 'value="20"' in html

    page = client.get(reverse("portal:deadline"), {"start": "2025-09-26", "n": "20"})
    html = page.content.decode()
    assert page.status_code == 200
    assert "到期日：<time datetime=\"2025-10-30\">2025-10-30</time>（周四）" in html
    assert "法定节假日：国庆节、中秋节" in html and "调休上班：国庆节、中秋节" in html
    assert html.count("<tr") == 1 + 34  # header + every day from 09-27 to 10-30
    assert "暂定" not in html

    page = client.get(reverse("portal:deadline"), {"start": "2026-12-28", "n": "5"})
    assert "2027年，该年度的节假日安排尚未录入" in page.content.decode()

    for params, message in [({"start": "2025-02-30", "n": "20"}, "起算日期无效"),
                            ({"start": "2025-09-26", "n": "-3"}, "工作日数不能为负数"),
                            ({"start": "2025-09-26", "n": "x"}, "工作日数应为整数"),
                            ({"n": "20"}, "请填写起算日期")]:
        page = client.get(reverse("portal:deadline"), params)
        assert page.status_code == 400 and message in page.content.decode()
