from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "xinjian.accounts"
    label = "accounts"
    verbose_name = _("账号与角色")

    def ready(self) -> None:
        from axes.signals import user_locked_out

        from xinjian.core.api_auth import set_token_lockout

        from . import lockout

        # django-axes' hook for the moment a login is locked: the audit entry.
        user_locked_out.connect(lockout.on_locked_out, dispatch_uid="xinjian.accounts.lockout")
        # API tokens: repeated wrong tokens from one address lock it like logins do.
        set_token_lockout(
            lambda request: lockout.token_locked(lockout.client_address(request)),
            lambda request: lockout.token_failed(lockout.client_address(request)),
        )
