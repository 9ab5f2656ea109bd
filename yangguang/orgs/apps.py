from django.apps import AppConfig


class OrgsConfig(AppConfig):
    name = "yangguang.orgs"
    label = "orgs"
    verbose_name = "机构与用户"

    def ready(self):
        from yangguang.core import registry

        from . import permissions

        # core asks these by name (core/registry.py): core imports no app.
        registry.register_question("change_settings", permissions.can_change_settings)
        registry.register_question("requeue_messages", permissions.can_requeue_messages)
        registry.register_question("is_supervisor", permissions.is_supervisor)
