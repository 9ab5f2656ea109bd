"""A control character in a title never breaks a feed or the sitemap (issue #15 item 3): the
services clean what staff type, and the feed writer drops what XML 1.0 cannot carry from
whatever is stored (data from before the cleaning, a direct database edit)."""

import xml.etree.ElementTree as ET

import pytest
from django.test import Client
from django.urls import reverse

from yangguang.publishing.models import Document, Edition

pytestmark = pytest.mark.django_db


def feed_urls(doc: Document) -> list[str]:
    org, column = doc.org.slug, doc.column.slug
    return [reverse("discovery:site_rss"), reverse("discovery:site_atom"),
            reverse("discovery:org_rss", args=[org]), reverse("discovery:org_atom", args=[org]),
            reverse("discovery:column_rss", args=[org, column]), reverse("discovery:column_atom", args=[org, column])]


def test_workbench_title_is_cleaned_by_the_service(staff_a):
    edition = staff_a.publish(staff_a.draft(title="关于\x0b做好\u202e公开\x00工作的通知"))
    # Word's Shift+Enter (U+000B) separates words: a space; the override and NUL are gone.
    assert Edition.objects.get(pk=edition.pk).title == "关于 做好公开工作的通知"


def test_stored_control_characters_do_not_break_feeds_or_sitemap(staff_a):
    edition = staff_a.publish(staff_a.draft(title="正常标题"))
    # As if stored before the cleaning existed (PostgreSQL cannot store NUL in text at all).
    Edition.objects.filter(pk=edition.pk).update(title="第一行\x0b第二行\x1f\ufffe完", body="<p>正文\x0c。</p>")
    doc = Document.objects.select_related("org", "column").get(pk=edition.document_id)
    client = Client()
    for url in feed_urls(doc):
        resp = client.get(url)
        assert resp.status_code == 200, url
        root = ET.fromstring(resp.content)  # well-formed XML
        text = "".join(root.itertext())
        assert "第一行第二行完" in text, url
    resp = client.get(reverse("discovery:sitemap"))
    assert resp.status_code == 200
    ET.fromstring(resp.content)
