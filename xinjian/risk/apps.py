from django.apps import AppConfig


class RiskConfig(AppConfig):
    name = "xinjian.risk"
    label = "risk"
