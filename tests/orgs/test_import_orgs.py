import pytest
from django.core.management import CommandError, call_command

from yangguang.core.models import AuditEvent
from yangguang.orgs.codes import is_valid_credit_code, make_credit_code
from yangguang.orgs.models import Organization
from yangguang.orgs.permissions import in_region
from yangguang.publishing.models import Column

pytestmark = pytest.mark.django_db

CITY = make_credit_code("11530100MB0000001")
COUNTY = make_credit_code("11530121MB0000002")
DEPT = make_credit_code("11530121MB0000003")


def write(tmp_path, text):
    path = tmp_path / "orgs.csv"
    path.write_text(text, encoding="utf-8")
    return str(path)


def test_credit_code_check_character():
    assert is_valid_credit_code(CITY)
    wrong = CITY[:-1] + ("0" if CITY[-1] != "0" else "1")
    assert not is_valid_credit_code(wrong)
    # A published real-world code: 国家市场监督管理总局 11100000MB0143163Y? use a known-valid shape instead.
    assert len(make_credit_code("91350100M000100Y4")) == 18


def test_import_builds_tree_and_catalog(tmp_path, capsys):
    # Children may come before their parent in the file.
    path = write(tmp_path, (
        "code,name,short_name,parent_code,kind,slug\n"
        f"{DEPT},青山县教育局,县教育局,{COUNTY},部门,qs-jyj\n"
        f"{CITY},明溪市人民政府,明溪市,,city,mingxi\n"
        f"{COUNTY},青山县人民政府,青山县,{CITY},county,qingshan\n"
    ))
    call_command("import_orgs", path)
    dept = Organization.objects.get(code=DEPT)
    city = Organization.objects.get(code=CITY)
    assert dept.parent.code == COUNTY and in_region(dept, city)
    assert set(city.subtree().values_list("code", flat=True)) == {CITY, COUNTY, DEPT}
    assert Column.objects.filter(org=dept, slug="gkzn").exists()
    assert dept.review_roles() == ["section_head", "secrecy", "deputy", "principal"]
    assert "3个机构" in capsys.readouterr().out


def test_bad_rows_all_reported_nothing_written(tmp_path):
    bad_code = CITY[:-1] + ("0" if CITY[-1] != "0" else "1")
    path = write(tmp_path, (
        "code,name,short_name,parent_code,kind,slug\n"
        f"{CITY},明溪市人民政府,明溪市,,city,mingxi\n"
        f"{bad_code},错误代码局,,{CITY},department,bad\n"
        f"{COUNTY},,青山县,{CITY},county,qingshan\n"
        f"{DEPT},某局,,99999999999999999X,部门,Bad Slug\n"
        f"{make_credit_code('11530121MB0000009')},某乡,,{CITY},village,mingxi\n"
    ))
    before = (Organization.objects.count(), AuditEvent.objects.count())
    with pytest.raises(CommandError) as exc:
        call_command("import_orgs", path)
    msg = str(exc.value)
    for expected in ("第3行", "校验位", "第4行", "名称不能为空", "第5行", "上级机构代码", "网址标识", "第6行",
                     "机构类型", "mingxi"):
        assert expected in msg, expected
    assert (Organization.objects.count(), AuditEvent.objects.count()) == before


def test_missing_header_and_missing_file(tmp_path):
    with pytest.raises(CommandError, match="表头缺少列"):
        call_command("import_orgs", write(tmp_path, "code,name\nx,y\n"))
    with pytest.raises(CommandError, match="找不到文件"):
        call_command("import_orgs", str(tmp_path / "nope.csv"))


def test_reserved_slug_refused(tmp_path):
    path = write(tmp_path, f"code,name,short_name,parent_code,kind,slug\n{CITY},明溪市人民政府,,,city,workbench\n")
    with pytest.raises(CommandError, match="系统保留"):
        call_command("import_orgs", path)
