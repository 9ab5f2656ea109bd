from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from yangguang.disclosure.checks import clock_anomalies
from yangguang.orgs import permissions
from yangguang.orgs.models import Organization


class Command(BaseCommand):
    help = (
        "检查依申请公开的期限事件：列出答复期限届满后才批准的延期（条例第33条第二款）、期限届满后才发出的征求意见、"
        "收费通知或补正告知，以及未按发生先后登记、早于收到申请或晚于办结的期限事件。"
        "列出申请编号、受理机关、答复期限、事件及其日期；发现问题时退出码为1。"
    )

    def add_arguments(self, parser):
        parser.add_argument("--org", help="只检查该机构（slug）及其下属机构受理的申请")

    def handle(self, *args, org=None, **opts):
        from yangguang.disclosure.models import Application

        qs = Application.objects.all()
        if org:
            region = Organization.objects.filter(slug=org).first()
            if region is None:
                raise CommandError(_("找不到机构：%(org)s") % {"org": org})
            qs = qs.filter(permissions.region_q(region))
        found = clock_anomalies(qs)
        if not found:
            self.stdout.write(_("未发现问题：所有期限事件都在答复期限内、按发生先后登记。"))
            return
        self.stdout.write("\t".join((_("申请编号"), _("受理机关"), _("答复期限"), _("事件"), _("事件日期"), _("问题"))))
        for a in found:
            due = f"{a.due:%Y-%m-%d}" if a.due else "—"
            self.stdout.write(f"{a.number}\t{a.org}\t{due}\t{a.kind_label}\t{a.event_date:%Y-%m-%d}\t{a.problem}")
        apps = len({a.application_id for a in found})
        note = _("期限届满后登记的事件不计入答复期限，相关申请按超期计算（条例第33条第二款）。") \
            if any(a.late for a in found) else ""
        raise CommandError(_("发现%(found)d处问题，涉及%(apps)d件申请。") % {"found": len(found), "apps": apps} + note,
                           returncode=1)
