from django.urls import path

from . import views

app_name = "accounts_staff"
urlpatterns = [
    path("lockouts/", views.lockouts, name="lockouts"),
    path("lockouts/unlock/", views.unlock, name="unlock"),
]
