from django.urls import path

from . import views
from . import views_bulletins as b

app_name = "supervision"

urlpatterns = [
    path("", views.dashboard_view, name="dashboard"),
    path("org/<int:pk>/", views.org_view, name="org"),
    path("export/<slug:name>.xlsx", views.export_view, name="export"),
    path("quotas/", views.quotas_view, name="quotas"),
    path("quotas/<int:pk>/", views.quota_set, name="quota_set"),
    path("bulletins/", b.bulletin_list, name="bulletins"),
    path("bulletins/generate/", b.bulletin_generate, name="bulletin_generate"),
    path("bulletins/<int:pk>/", b.bulletin_detail, name="bulletin"),
    path("bulletins/<int:pk>/edit/", b.bulletin_edit, name="bulletin_edit"),
    path("bulletins/<int:pk>/issue/", b.bulletin_issue, name="bulletin_issue"),
    path("bulletins/<int:pk>.<str:fmt>", b.bulletin_file, name="bulletin_file"),
]
