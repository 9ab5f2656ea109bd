from django.urls import reverse


def public_url(doc) -> str | None:
    if doc.index_year is None:
        return None
    return reverse("portal:document", args=[doc.org.slug, doc.column.slug, f"{doc.index_year}-{doc.index_serial:05d}"])
