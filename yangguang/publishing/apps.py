from django.apps import AppConfig


class PublishingConfig(AppConfig):
    name = "yangguang.publishing"
    label = "publishing"
    verbose_name = "主动公开"

    def ready(self):
        from yangguang.core import registry

        from . import taxonomy
        from .models import Document

        registry.every_minute("yangguang.publishing.tasks.publish_due_task")
        registry.register_search_source(taxonomy=taxonomy, public_documents=lambda: Document.objects.public())
