from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "xinjian.accounts"
    label = "accounts"

    def ready(self) -> None:
        from axes.signals import user_locked_out

        from .lockout import on_locked_out

        # django-axes' hook for the moment a login is locked: the audit entry.
        user_locked_out.connect(on_locked_out, dispatch_uid="xinjian.accounts.lockout")
