"""Gap-free, never-reused serial numbers (索引号, 申请编号) from a counter row per key.

The counter row is created on first use and then locked (SELECT … FOR UPDATE on PostgreSQL,
the write lock on SQLite), so concurrent callers queue for it and each gets the next number.
"""

from django.db import IntegrityError, models, transaction


def next_serial(counter_model: type[models.Model], **key) -> int:
    """Increment and return `last_serial` of the `counter_model` row identified by `key`."""
    with transaction.atomic():
        counter = counter_model.objects.select_for_update().filter(**key).first()
        if counter is None:
            try:
                with transaction.atomic():
                    counter_model.objects.create(**key, last_serial=0)
            except IntegrityError:
                pass  # another transaction created it first; lock theirs below
            counter = counter_model.objects.select_for_update().get(**key)
        counter.last_serial += 1
        counter.save(update_fields=["last_serial"])
    return counter.last_serial
