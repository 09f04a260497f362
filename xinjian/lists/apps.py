from django.apps import AppConfig


class ListsConfig(AppConfig):
    name = "xinjian.lists"
    label = "lists"
