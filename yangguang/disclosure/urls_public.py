"""Public 依申请公开 pages (apply, receipt, tracking)."""


app_name = "apply"

urlpatterns: list = []
