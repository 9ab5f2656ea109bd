from django.apps import AppConfig


class SupervisionConfig(AppConfig):
    name = "yangguang.supervision"
    label = "supervision"
    verbose_name = "通报与监管总览"
