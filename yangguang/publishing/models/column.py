from django.db import models
from django.utils.translation import gettext_lazy as _

from ..taxonomy import STALE_AFTER_DAYS, UpdateClass


class Column(models.Model):
    """栏目: one node of an organization's 公开目录."""

    org = models.ForeignKey("orgs.Organization", verbose_name=_("机构"), on_delete=models.CASCADE, related_name="columns")
    parent = models.ForeignKey(
        "self", verbose_name=_("上级栏目"), null=True, blank=True, on_delete=models.CASCADE, related_name="children"
    )
    name = models.CharField(_("栏目名称"), max_length=60)
    slug = models.SlugField(_("网址标识"), max_length=40)
    update_class = models.CharField(_("更新类别"), max_length=10, choices=UpdateClass.choices, default=UpdateClass.NOTICE)
    stale_after_days = models.PositiveIntegerField(
        _("更新期限（天）"), null=True, blank=True, help_text=_("留空则按更新类别的默认期限（长期类默认1年）。")
    )
    position = models.PositiveIntegerField(_("排序"), default=0)
    # Bumped in the transaction of every change the public list shows (publication, new edition,
    # withdrawal, removal, import, 解读 link), so the cached column page is checked by one key
    # lookup instead of counting the column's documents on each request (see publishing.listing).
    listing_version = models.PositiveBigIntegerField(_("列表版本"), default=0, editable=False)

    class Meta:
        verbose_name = _("栏目")
        verbose_name_plural = _("栏目")
        ordering = ["org", "position", "id"]
        constraints = [models.UniqueConstraint(fields=["org", "slug"], name="column_unique_slug_per_org")]

    def __str__(self) -> str:
        return self.name

    @property
    def effective_stale_after_days(self) -> int | None:
        if self.stale_after_days:
            return self.stale_after_days
        return STALE_AFTER_DAYS[UpdateClass(self.update_class)]
