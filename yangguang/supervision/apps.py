from django.apps import AppConfig


class SupervisionConfig(AppConfig):
    name = "yangguang.supervision"
    label = "supervision"
    verbose_name = "通报与监管总览"

    def ready(self):
        from yangguang.core import registry

        registry.daily("yangguang.supervision.tasks.generate_monthly_bulletins")
