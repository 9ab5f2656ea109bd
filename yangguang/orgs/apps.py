from django.apps import AppConfig


class OrgsConfig(AppConfig):
    name = "yangguang.orgs"
    label = "orgs"
    verbose_name = "机构与用户"

    def ready(self):
        from yangguang.core import registry

        from . import permissions

        registry.register_settings_permission(permissions.can_change_settings)
