from django.utils.translation import gettext_lazy as _

from xinjian.core.clocks import register

from .actions import expire_licences, mark_interrupted


@register("licence_expiry", _("许可有效期届满：标记过期并当日取消重点领域标注"), order=10)
def licence_expiry(on, *, actor, dry_run=False):  # type: ignore[no-untyped-def]
    return expire_licences(on, actor=actor, dry_run=dry_run)


@register("interrupted_batches", _("标记进程已终止的归集批次为中断，并说明如何继续"), order=11)
def interrupted_batches(on, *, actor, dry_run=False):  # type: ignore[no-untyped-def]
    if dry_run:
        return 0
    return len(mark_interrupted(actor=actor))
