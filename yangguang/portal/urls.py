from django.urls import path

from . import views, views_calendar

app_name = "portal"

urlpatterns = [
    path("", views.home, name="home"),
    path("tools/deadline/", views_calendar.deadline_calculator, name="deadline"),
    path("files/<uuid:att_id>/", views.attachment, name="attachment"),
    path("files/<uuid:att_id>/<str:filename>", views.attachment, name="attachment_named"),
    path("<slug:org_slug>/", views.org_catalog, name="org"),
    path("<slug:org_slug>/<slug:column_slug>/", views.column_list, name="column"),
    path("<slug:org_slug>/<slug:column_slug>/<str:key>/", views.document_page, name="document"),
]
