from importlib import import_module

from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "yangguang.core"
    label = "core"
    verbose_name = "公共内核"

    def ready(self):
        from django.conf import settings

        from . import login  # noqa: F401 - connects the failed-login counter (user_login_failed)
        from .admin_thirdparty import lock_third_party_admins
        from .registry import every_minute

        every_minute("yangguang.core.tasks.send_outbox")
        every_minute("yangguang.core.tasks.apply_search_outbox")  # recovers a lost queue entry within a minute
        lock_third_party_admins()  # the admin autodiscovered before (first in INSTALLED_APPS)

        # The modules that react to audited actions (core/audit.py on_record): importing one registers
        # its hooks. Listed in settings, so every reaction to a business action is named in one place.
        for path in getattr(settings, "AUDIT_HOOK_MODULES", ()):
            import_module(path)
