from django.contrib.auth.models import AbstractUser
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from .roles import MAX_REVIEW_LEVELS, Role


class OrgKind(models.TextChoices):
    CITY = "city", _("市")
    COUNTY = "county", _("县")
    DISTRICT = "district", _("区")
    DEPARTMENT = "department", _("部门")
    TOWNSHIP = "township", _("乡镇")
    STREET = "street", _("街道")


class Organization(models.Model):
    parent = models.ForeignKey(
        "self", verbose_name=_("上级机构"), null=True, blank=True, on_delete=models.PROTECT, related_name="children"
    )
    code = models.CharField(
        _("统一社会信用代码"), max_length=18, unique=True,
        help_text=_("18位统一社会信用代码；没有的填9位组织机构代码。用于索引号前缀。"),
    )
    name = models.CharField(_("名称"), max_length=100)
    short_name = models.CharField(_("简称"), max_length=50, blank=True)
    kind = models.CharField(_("类型"), max_length=16, choices=OrgKind.choices)
    slug = models.SlugField(_("网址标识"), max_length=64, unique=True)
    # Materialised path of ids ("/1/7/42/") so that a region's subtree is one indexed prefix query.
    path = models.CharField(_("路径"), max_length=255, db_index=True, editable=False, default="")
    address = models.CharField(_("办公地址"), max_length=200, blank=True)
    phone = models.CharField(_("联系电话"), max_length=50, blank=True)
    office_hours = models.CharField(_("办公时间"), max_length=100, blank=True)

    class Meta:
        verbose_name = _("机构")
        verbose_name_plural = _("机构")
        ordering = ["path"]

    def __str__(self) -> str:
        return self.name

    def save(self, *args, **kwargs):
        super().save(*args, **kwargs)
        path = (self.parent.path if self.parent_id else "/") + f"{self.pk}/"
        if path != self.path:
            self.path = path
            type(self).objects.filter(pk=self.pk).update(path=path)

    @property
    def display_name(self) -> str:
        return self.short_name or self.name

    def subtree(self):
        return Organization.objects.filter(path__startswith=self.path)

    def review_roles(self) -> list[str]:
        return list(self.review_levels.order_by("position").values_list("role", flat=True))


class ReviewLevel(models.Model):
    """One level of an organization's review chain (信息发布审核流程)."""

    org = models.ForeignKey(Organization, verbose_name=_("机构"), on_delete=models.CASCADE, related_name="review_levels")
    position = models.PositiveSmallIntegerField(_("级次"))
    role = models.CharField(_("审核角色"), max_length=16, choices=Role.choices)

    class Meta:
        verbose_name = _("审核级次")
        verbose_name_plural = _("审核流程")
        ordering = ["org", "position"]
        constraints = [models.UniqueConstraint(fields=["org", "position"], name="review_level_unique_position")]

    def __str__(self) -> str:
        return gettext("%(org)s 第%(position)s级 %(role)s") % {
            "org": self.org, "position": self.position, "role": self.get_role_display(),
        }

    def clean(self):
        if not 1 <= self.position <= MAX_REVIEW_LEVELS:
            raise ValidationError(gettext("审核流程为1至%(max)s级") % {"max": MAX_REVIEW_LEVELS})


class User(AbstractUser):
    org = models.ForeignKey(
        Organization, verbose_name=_("所属机构"), null=True, blank=True, on_delete=models.PROTECT, related_name="users"
    )
    display_name = models.CharField(_("姓名"), max_length=50, blank=True)

    class Meta:
        verbose_name = _("用户")
        verbose_name_plural = _("用户")

    def __str__(self) -> str:
        return self.display_name or self.username

    def role_set(self) -> frozenset[str]:
        cached = getattr(self, "_role_cache", None)
        if cached is None:
            cached = frozenset(self.role_grants.values_list("role", flat=True))
            self._role_cache = cached
        return cached

    def has_role(self, role: str) -> bool:
        return role in self.role_set()


class RoleGrant(models.Model):
    user = models.ForeignKey(User, verbose_name=_("用户"), on_delete=models.CASCADE, related_name="role_grants")
    role = models.CharField(_("角色"), max_length=16, choices=Role.choices)

    class Meta:
        verbose_name = _("角色授予")
        verbose_name_plural = _("角色授予")
        constraints = [models.UniqueConstraint(fields=["user", "role"], name="role_grant_unique")]

    def __str__(self) -> str:
        return f"{self.user} · {self.get_role_display()}"
