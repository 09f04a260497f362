"""django-axes under a Chinese name in the admin (issue 14: no "Axes" beside 账号与角色)."""

from axes import apps as axes_apps
from django.utils.translation import gettext_lazy as _


class AxesConfig(axes_apps.AppConfig):
    verbose_name = _("登录锁定")
