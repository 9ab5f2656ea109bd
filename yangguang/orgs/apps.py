from django.apps import AppConfig


class OrgsConfig(AppConfig):
    name = "yangguang.orgs"
    label = "orgs"
    verbose_name = "机构与用户"

    def ready(self):
        from . import scoping  # noqa: F401  (registers the object permissions)
