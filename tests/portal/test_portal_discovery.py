"""Feeds, sitemaps and robots.txt list only public documents."""

import xml.etree.ElementTree as ET

import pytest
from django.test import Client
from django.urls import NoReverseMatch, reverse

from yangguang.portal import sitemaps
from yangguang.publishing.urlsutil import public_url

pytestmark = pytest.mark.django_db

ATOM = "{http://www.w3.org/2005/Atom}"
SM = "{http://www.sitemaps.org/schemas/sitemap/0.9}"


def xml(url):
    resp = Client().get(url)
    assert resp.status_code == 200, url
    return resp, ET.fromstring(resp.content)


def rss_titles(url):
    resp, root = xml(url)
    assert root.tag == "rss" and root.get("version") == "2.0"
    assert resp["Content-Type"].startswith("application/rss+xml")
    return [i.findtext("title") for i in root.iter("item")], [i.findtext("link") for i in root.iter("item")]


def atom_titles(url):
    resp, root = xml(url)
    assert root.tag == f"{ATOM}feed"
    return [e.findtext(f"{ATOM}title") for e in root.iter(f"{ATOM}entry")]


def test_feeds_are_valid_and_only_public(site):
    public = {"关于公开发布的通知", "测试市教育惠民政策实施办法", "图解：教育惠民政策实施办法"}
    titles, links = rss_titles(reverse("discovery:org_rss", args=["jyj"]))
    assert set(titles) == public
    assert f"http://testserver{public_url(site.public)}" in links
    assert set(atom_titles(reverse("discovery:org_atom", args=["jyj"]))) == public
    titles, _ = rss_titles(reverse("discovery:column_rss", args=["jyj", "tzgg"]))
    assert titles == ["关于公开发布的通知"]
    assert atom_titles(reverse("discovery:column_atom", args=["jyj", "zcjd"])) == ["图解：教育惠民政策实施办法"]
    site_titles, _ = rss_titles(reverse("discovery:site_rss"))
    assert set(site_titles) == public | {"县教育局义务教育招生公告"}
    assert Client().get("/feeds/no-such-org/rss.xml").status_code == 404
    assert Client().get("/feeds/jyj/no-such-column/atom.xml").status_code == 404


def sitemap_urls(monkeypatch=None):
    _, index = xml(reverse("discovery:sitemap"))
    assert index.tag == f"{SM}sitemapindex"
    urls, files = [], []
    for loc in index.iter(f"{SM}loc"):
        path = loc.text.replace("http://testserver", "")
        _, root = xml(path)
        assert root.tag == f"{SM}urlset"
        locs = [u.text.replace("http://testserver", "") for u in root.iter(f"{SM}loc")]
        files.append((path, locs))
        urls += locs
    return urls, files


def test_sitemap_index_sections_hold_only_public_urls(site, monkeypatch):
    monkeypatch.setattr(sitemaps, "PER_FILE", 2)
    urls, files = sitemap_urls()
    doc_files = [(p, locs) for p, locs in files if "sitemap-docs-" in p]
    assert len(doc_files) > 1 and all(len(locs) <= 2 for _, locs in doc_files)
    for doc in (site.public, site.policy, site.interpretation, site.county_doc):
        assert public_url(doc) in urls
    for doc in (site.withdrawn, site.removed):
        assert public_url(doc) not in urls
    assert reverse("portal:org", args=["jyj"]) in urls and reverse("portal:guide", args=["jyj"]) in urls
    assert reverse("portal:column", args=["jyj", "tzgg"]) in urls
    assert Client().get(reverse("discovery:sitemap_docs", args=[999])).status_code == 404


def test_robots(site):
    resp = Client().get("/robots.txt")
    text = resp.content.decode()
    assert resp.status_code == 200 and resp["Content-Type"].startswith("text/plain")
    for path in ("/workbench/", "/admin/", "/api/"):
        assert f"Disallow: {path}" in text
    assert "Disallow: /files/" not in text
    assert "Sitemap: http://testserver/sitemap.xml" in text


def test_bench_floor_not_routed_by_default(site):
    with pytest.raises(NoReverseMatch):
        reverse("discovery:bench_floor")
    assert Client().get("/bench/floor", follow=True).status_code == 404
