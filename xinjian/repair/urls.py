from django.urls import path

from . import views

app_name = "repair"
urlpatterns = [
    path("", views.index, name="index"),
    path("rules/", views.rules_page, name="rules"),
    path("<int:pk>/", views.detail, name="detail"),
    path("<int:pk>/action/", views.act, name="action"),
    path("<int:pk>/documents/<int:doc>/", views.staff_document, name="document"),
]
