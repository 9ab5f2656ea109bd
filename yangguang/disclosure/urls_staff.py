"""Staff pages for handling applications (工作台 › 依申请公开)."""


app_name = "applications"

urlpatterns: list = []
