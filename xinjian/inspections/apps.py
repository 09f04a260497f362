from django.apps import AppConfig


class InspectionsConfig(AppConfig):
    name = "xinjian.inspections"
    label = "inspections"
