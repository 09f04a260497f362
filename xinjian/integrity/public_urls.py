"""Public pages (anonymous), mounted at /public/integrity/: the 诚信建设 section."""

from django.urls import path

from . import views

app_name = "integrity_public"
urlpatterns = [
    path("", views.public_index, name="index"),
    path("<int:pk>/", views.public_article, name="article"),
]
