from django.urls import path

from . import views_public

app_name = "reports_public"

urlpatterns = [
    path("<slug:org_slug>/", views_public.org_reports, name="org"),
    path("<slug:org_slug>/<int:year>/", views_public.detail, name="detail"),
    path("<slug:org_slug>/<int:year>/download.<str:fmt>", views_public.download, name="download"),
]
