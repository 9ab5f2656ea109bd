"""索引号 allocation under concurrent publication: distinct serials, no gaps, no reuse."""

import threading

import pytest
from django.db import close_old_connections, connection, transaction

from yangguang.publishing.models import IndexCounter
from yangguang.publishing.services.publication import allocate_index_number, format_index_number


def test_format():
    assert format_index_number("11530100MB0X12345X", 2026, 12) == "11530100MB0X12345X/2026-00012"


@pytest.mark.django_db(transaction=True)
def test_concurrent_allocation_gives_distinct_serials(org_a):
    results: list[int] = []
    errors: list[BaseException] = []
    barrier = threading.Barrier(8)

    def worker():
        try:
            barrier.wait()
            for _ in range(5):
                with transaction.atomic():
                    _, serial = allocate_index_number(org_a, 2031)
                results.append(serial)
        except BaseException as exc:  # noqa: BLE001 - reported below
            errors.append(exc)
        finally:
            close_old_connections()
            connection.close()

    threads = [threading.Thread(target=worker) for _ in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors, errors
    assert sorted(results) == list(range(1, 41))
    assert IndexCounter.objects.get(org=org_a, year=2031).last_serial == 40
