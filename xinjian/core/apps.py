from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "xinjian.core"
    label = "core"
