from django.urls import path

from . import views, views_region

app_name = "reports"

urlpatterns = [
    path("", views.home, name="home"),
    path("region/<int:year>/", views_region.region, name="region"),
    path("<int:org_id>/<int:year>/", views.editor, name="edit"),
    path("<int:org_id>/<int:year>/figures/", views.figures, name="figures"),
    path("<int:org_id>/<int:year>/finalize/", views.finalize, name="finalize"),
    path("<int:org_id>/<int:year>/publish/", views.publish, name="publish"),
    path("<int:org_id>/<int:year>/correct/", views.correct, name="correct"),
    path("version/<int:pk>/", views.version, name="version"),
    path("version/<int:pk>/download.<str:fmt>", views.version_download, name="version_download"),
]
