from django.apps import AppConfig


class RepairConfig(AppConfig):
    name = "xinjian.repair"
    label = "repair"
