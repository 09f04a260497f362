"""The association role's pages, mounted at /association/."""

from django.urls import path

from . import views

app_name = "association"
urlpatterns = [
    path("", views.association_home, name="home"),
    path("members/<str:uscc>/", views.association_member, name="member"),
    path("pushes/", views.association_pushes, name="pushes"),
]
