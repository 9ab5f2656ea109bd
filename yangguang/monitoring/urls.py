from django.urls import path

from . import views, views_assess

app_name = "monitoring"

urlpatterns = [
    path("", views.home, name="home"),
    path("region/", views.region, name="region"),
    path("run/", views.run_now, name="run"),
    path("orgs/<int:org_id>/", views.org_detail, name="org"),
    path("rectifications/", views.rectifications, name="rectifications"),
    path("rectifications/<int:pk>/", views.rectification, name="rectification"),
    path("rectifications/<int:pk>/answer/", views.answer, name="answer"),
    path("rectifications/<int:pk>/remeasure/", views.remeasure, name="remeasure"),
    path("assessments/", views_assess.periods, name="periods"),
    path("assessments/<int:pk>/", views_assess.period, name="period"),
    path("assessments/<int:pk>/export.xlsx", views_assess.export, name="period_export"),
    path("assessments/<int:pk>/self/", views_assess.self_assess, name="self_assess"),
]
