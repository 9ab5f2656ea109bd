from django.apps import AppConfig


class MonitoringConfig(AppConfig):
    name = "yangguang.monitoring"
    label = "monitoring"
    verbose_name = "监测指标与整改"

    def ready(self):
        from yangguang.core import registry

        registry.daily("yangguang.monitoring.tasks.run_daily_monitoring")
