from django.utils.translation import gettext_lazy as _

from xinjian.core.clocks import register

from .actions import expire_licences


@register("licence_expiry", _("许可有效期届满：标记过期并当日取消重点领域标注"), order=10)
def licence_expiry(on, *, actor, dry_run=False):  # type: ignore[no-untyped-def]
    return expire_licences(on, actor=actor, dry_run=dry_run)
