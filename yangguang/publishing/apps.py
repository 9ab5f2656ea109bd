from django.apps import AppConfig


class PublishingConfig(AppConfig):
    name = "yangguang.publishing"
    label = "publishing"
    verbose_name = "主动公开"
