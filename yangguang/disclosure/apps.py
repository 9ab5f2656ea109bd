from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DisclosureConfig(AppConfig):
    name = "yangguang.disclosure"
    label = "disclosure"
    verbose_name = _("依申请公开")

    def ready(self):
        from yangguang.core import registry

        registry.daily("yangguang.disclosure.tasks.send_due_alerts")
