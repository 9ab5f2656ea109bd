"""Instantiate the catalog template for an organization."""

from .catalog_template import template_for
from .models import Column


def instantiate_catalog(org) -> list[Column]:
    created: list[Column] = []
    position = 0

    def add(entries, parent):
        nonlocal position
        for slug, name, update_class, children in entries:
            position += 1
            col = Column.objects.create(org=org, parent=parent, slug=slug, name=name,
                                        update_class=update_class, position=position)
            created.append(col)
            add(children, col)

    add(template_for(org.kind), None)
    return created
