"""Feeds, sitemaps and robots.txt (namespace `discovery`, mounted at the site root)."""

import os

from django.urls import path

from . import feeds, sitemaps, views_discovery

app_name = "discovery"

urlpatterns = [
    path("robots.txt", views_discovery.robots, name="robots"),
    path("sitemap.xml", sitemaps.index, name="sitemap"),
    path("sitemap-orgs.xml", sitemaps.orgs, name="sitemap_orgs"),
    path("sitemap-columns-<int:k>.xml", sitemaps.columns, name="sitemap_columns"),
    path("sitemap-docs-<int:k>.xml", sitemaps.docs, name="sitemap_docs"),
    path("feeds/rss.xml", feeds.SiteFeed(), name="site_rss"),
    path("feeds/atom.xml", feeds.SiteAtom(), name="site_atom"),
    path("feeds/<slug:org_slug>/rss.xml", feeds.OrgFeed(), name="org_rss"),
    path("feeds/<slug:org_slug>/atom.xml", feeds.OrgAtom(), name="org_atom"),
    path("feeds/<slug:org_slug>/<slug:column_slug>/rss.xml", feeds.ColumnFeed(), name="column_rss"),
    path("feeds/<slug:org_slug>/<slug:column_slug>/atom.xml", feeds.ColumnAtom(), name="column_atom"),
]

# bench/page_bench.py measures pages against this floor; it is never routed in normal operation.
if os.environ.get("YANGGUANG_BENCH_FLOOR") == "1":
    urlpatterns.append(path("bench/floor", views_discovery.floor, name="bench_floor"))
