from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from yangguang.api.urls import api
from yangguang.core import views as core_views

handler404 = "yangguang.core.views.not_found"
handler500 = "yangguang.core.views.server_error"

urlpatterns = [
    path("admin/", admin.site.urls),
    path("login/", auth_views.LoginView.as_view(redirect_authenticated_user=True), name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("healthz", core_views.healthz, name="healthz"),
    path("api/v1/", api.urls),
    path("workbench/reports/", include("yangguang.reports.urls")),
    path("workbench/monitoring/", include("yangguang.monitoring.urls")),
    path("workbench/supervision/", include("yangguang.supervision.urls")),
    path("workbench/applications/", include("yangguang.disclosure.urls_staff")),
    path("workbench/", include("yangguang.publishing.urls")),
    path("apply/", include("yangguang.disclosure.urls_public")),
    path("search/", include("yangguang.portal.urls_search")),
    path("reports/", include("yangguang.reports.urls_public")),
    path("bulletins/", include("yangguang.supervision.urls_public")),
    path("", include("yangguang.portal.urls_discovery")),  # feeds/, sitemap.xml, robots.txt
    path("", include("yangguang.portal.urls")),
]
