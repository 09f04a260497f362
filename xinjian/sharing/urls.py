from django.urls import path

from . import report_views, views

app_name = "sharing"
urlpatterns = [
    path("", views.index, name="index"),
    path("subscriptions/new/", views.create_subscription, name="create_subscription"),
    path("subscriptions/<int:pk>/toggle/", views.toggle_subscription, name="toggle_subscription"),
    path("deliveries/", views.deliveries, name="deliveries"),
    path("deliveries/<int:pk>/replay/", views.replay, name="replay"),
    path("reports/", report_views.report_counts, name="reports"),
]
