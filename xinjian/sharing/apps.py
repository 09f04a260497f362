from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SharingConfig(AppConfig):
    name = "xinjian.sharing"
    label = "sharing"
    verbose_name = _("共享与推送")

    def ready(self) -> None:
        import datetime as dt
        from typing import Any

        from xinjian.core.api_auth import set_client_lookup
        from xinjian.core.clocks import register

        from . import checks  # noqa: F401  registers the PDF font check
        from .models import ApiClient, hash_token

        # API clients authenticate in core (below every app's api.py); the clients live here.
        set_client_lookup(
            lambda token: ApiClient.objects.filter(token_hash=hash_token(token), active=True).first()
        )

        @register("sharing.fanout", _("推送：为订阅方排队新的变更事件（投递由 push_worker 执行）"), order=90)
        def fanout_clock(on: dt.date, *, actor: Any, dry_run: bool = False) -> int:
            from .push import fanout

            return 0 if dry_run else fanout()
