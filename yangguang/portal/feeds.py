"""RSS 2.0 and Atom feeds of the latest public documents: site-wide, per org, per column.
Only `Document.objects.public()`: withdrawn and removed documents drop out."""

from django.contrib.syndication.views import Feed
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed, Rss201rev2Feed
from django.utils.html import strip_tags
from django.utils.text import Truncator
from django.utils.translation import gettext as _

from yangguang.core.text import xml_safe
from yangguang.orgs.models import Organization
from yangguang.publishing.models import Column, Document

from .pages import PUBLIC_MAX_AGE, doc_path

FEED_ITEMS = 20


def _safe(value):
    """Strings (also inside lists and tuples, e.g. categories) without the characters XML 1.0 cannot
    carry: Django's feed writer raises on them (issue #15 item 3: one title with \\x0b, what Word
    inserts for Shift+Enter, made every feed that listed it answer 500)."""
    if isinstance(value, str):
        return xml_safe(value)
    if isinstance(value, list | tuple):
        return type(value)(_safe(v) for v in value)
    return value


class _XmlSafe:
    """Every text of the feed and of its items passes through xml_safe, whatever field it is in."""

    def __init__(self, *args, **kwargs):
        super().__init__(*(_safe(a) for a in args), **{k: _safe(v) for k, v in kwargs.items()})

    def add_item(self, *args, **kwargs):
        super().add_item(*(_safe(a) for a in args), **{k: _safe(v) for k, v in kwargs.items()})


class SafeRssFeed(_XmlSafe, Rss201rev2Feed):
    pass


class SafeAtomFeed(_XmlSafe, Atom1Feed):
    pass


class _Base(Feed):
    feed_type = SafeRssFeed
    language = "zh-cn"

    def __call__(self, request, *args, **kwargs):
        resp = super().__call__(request, *args, **kwargs)
        resp["Cache-Control"] = f"public, max-age={PUBLIC_MAX_AGE}"
        return resp

    def scope(self, obj):
        return Document.objects.public()

    def items(self, obj):
        return (self.scope(obj).select_related("org", "column", "live_edition").defer("live_edition__body_text")
                .order_by("-first_published_at", "-id")[:FEED_ITEMS])

    def item_title(self, item):
        return item.live_edition.title

    def item_description(self, item):
        return Truncator(" ".join(strip_tags(item.live_edition.body).split())).chars(200)

    def item_link(self, item):
        return doc_path(item.org.slug, item.column.slug, item.index_year, item.index_serial)

    def item_guid(self, item):
        return item.index_number

    item_guid_is_permalink = False

    def item_pubdate(self, item):
        return item.first_published_at

    def item_updateddate(self, item):
        return item.last_published_at

    def item_author_name(self, item):
        return item.org.name

    def item_categories(self, item):
        return [item.column.name, item.live_edition.get_topic_display()]


class SiteFeed(_Base):
    def title(self, obj):
        return _("最新公开信息")

    def link(self, obj):
        return reverse("portal:home")

    def description(self, obj):
        return _("本平台各机构最新主动公开的政府信息。")


class OrgFeed(_Base):
    def get_object(self, request, org_slug):
        return get_object_or_404(Organization, slug=org_slug)

    def scope(self, obj):
        return Document.objects.public().filter(org=obj)

    def title(self, obj):
        return _("%(org)s 最新公开信息") % {"org": obj.name}

    def link(self, obj):
        return reverse("portal:org", args=[obj.slug])

    def description(self, obj):
        return _("%(org)s政府信息公开目录中最新发布的政府信息。") % {"org": obj.name}


class ColumnFeed(_Base):
    def get_object(self, request, org_slug, column_slug):
        return get_object_or_404(Column.objects.select_related("org"), org__slug=org_slug, slug=column_slug)

    def scope(self, obj):
        return Document.objects.public().filter(column=obj)

    def title(self, obj):
        return _("%(org)s · %(column)s") % {"org": obj.org.name, "column": obj.name}

    def link(self, obj):
        return reverse("portal:column", args=[obj.org.slug, obj.slug])

    def description(self, obj):
        return _("%(org)s“%(column)s”栏目最新发布的政府信息。") % {"org": obj.org.name, "column": obj.name}


class _Atom:
    feed_type = SafeAtomFeed

    def subtitle(self, obj):
        return self.description(obj)


class SiteAtom(_Atom, SiteFeed):
    pass


class OrgAtom(_Atom, OrgFeed):
    pass


class ColumnAtom(_Atom, ColumnFeed):
    pass
