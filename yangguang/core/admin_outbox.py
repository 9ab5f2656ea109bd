"""Admin view of the outbox (对外消息): what was sent to whom, when, and what failed.

Read-only: messages are written by the actions they report and by the sender (core/outbox.py),
never edited by hand. The recipient is shown only masked, in the list and on the detail page,
and is not searchable. A system administrator may send given-up messages again (audited).
"""

from django.contrib import admin, messages
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from . import outbox
from .admin_audit import ReadOnlyAdminMixin
from .errors import ServiceError
from .models_outbox import OutboundMessage


@admin.register(OutboundMessage)
class OutboundMessageAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ("created_at", "channel", "masked_recipient", "subject", "state", "attempts", "sent_at")
    list_filter = ("state", "channel")
    search_fields = ("subject", "object_id")
    date_hierarchy = "created_at"
    fields = ("channel", "masked_recipient", "kind", "subject", "body", "object_type", "object_id", "event", "state",
              "attempts", "last_error", "created_at", "next_attempt_at", "last_attempt_at", "sent_at")
    readonly_fields = fields
    actions = ["requeue"]

    @admin.display(description=gettext_lazy("收件人"))
    def masked_recipient(self, obj: OutboundMessage) -> str:
        return obj.recipient_masked


    @admin.action(description=gettext_lazy("重新发送所选的已停止重试的消息"))
    def requeue(self, request, queryset):
        done = 0
        for message in queryset.filter(state=OutboundMessage.State.GIVEN_UP):
            try:
                outbox.requeue(message, request.user)
            except ServiceError as exc:
                self.message_user(request, exc.message, messages.ERROR)
                return
            done += 1
        self.message_user(request, _("已重新排队 %(n)d 条消息。") % {"n": done}, messages.SUCCESS)
