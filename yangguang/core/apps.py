from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "yangguang.core"
    label = "core"
    verbose_name = "公共内核"

    def ready(self):
        from . import login  # noqa: F401 - connects the failed-login counter (user_login_failed)
