from django.apps import AppConfig


class SharingConfig(AppConfig):
    name = "xinjian.sharing"
    label = "sharing"
