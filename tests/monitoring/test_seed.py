"""The data migration seeds exactly the measurable indicators, with the spec's thresholds."""

import pytest

from yangguang.monitoring.models import Indicator

pytestmark = pytest.mark.django_db


def test_seeded_indicators():
    rows = {i.code: i for i in Indicator.objects.all()}
    assert set(rows) == {"home_not_updated", "columns_not_updated", "columns_long_stale", "columns_empty",
                         "security_leak", "policy_column_stale", "policy_without_interpretation",
                         "late_publication", "overdue_applications"}
    assert [rows[c].threshold for c in ("home_not_updated", "columns_not_updated", "columns_long_stale",
                                        "columns_empty")] == [14, 5, 10, 5]
    assert {rows[c].level for c in ("home_not_updated", "security_leak")} == {"veto"}
    assert (float(rows["policy_column_stale"].points), float(rows["policy_without_interpretation"].points),
            float(rows["late_publication"].points)) == (5, 1, 0.5)
    assert rows["late_publication"].per_item and rows["late_publication"].cap == 10
    # Not measurable yet (no mailbox, no service items): no placeholder rows.
    assert not Indicator.objects.filter(name__contains="互动").exists()
    assert not Indicator.objects.filter(name__contains="留言").exists()
    assert all("国办秘函〔2019〕19号" in i.legal_basis or "条例" in i.legal_basis for i in rows.values())


def test_unknown_measure_is_reported_not_crashing(region):
    from yangguang.monitoring import engine
    Indicator.objects.create(code="x", name="未实现", legal_basis="—", level="deduct", measure="nope")
    run = engine.run(trigger="command", scope_org=region, only_org=True)
    assert run.stats["unknown_measures"] == ["x"]
