from django.urls import path

from . import views, views_calendar, views_guide

app_name = "portal"

# "orgs", "guide", "tools" and "files" are reserved org slugs (orgs/services.py RESERVED_SLUGS).
urlpatterns = [
    path("", views.home, name="home"),
    path("orgs/", views.org_directory, name="orgs"),
    path("guide/<slug:org_slug>/", views_guide.guide, name="guide"),
    path("guide/<slug:org_slug>/edit/", views_guide.guide_edit, name="guide_edit"),
    path("guide/<slug:org_slug>/history/", views_guide.guide_history, name="guide_history"),
    path("guide/<slug:org_slug>/revisions/<int:number>/", views_guide.guide_revision, name="guide_revision"),
    path("tools/deadline/", views_calendar.deadline_calculator, name="deadline"),
    path("tools/display/", views_guide.display_prefs, name="display"),
    path("files/<uuid:att_id>/", views.attachment, name="attachment"),
    path("files/<uuid:att_id>/<str:filename>", views.attachment, name="attachment_named"),
    path("<slug:org_slug>/", views.org_catalog, name="org"),
    path("<slug:org_slug>/<slug:column_slug>/", views.column_list, name="column"),
    path("<slug:org_slug>/<slug:column_slug>/<str:key>/", views.document_page, name="document"),
]
