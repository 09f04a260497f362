from django.apps import AppConfig


class CommitmentsConfig(AppConfig):
    name = "xinjian.commitments"
    label = "commitments"
