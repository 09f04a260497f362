"""The enterprise's own commitments page, under /public/my/commitments/ beside
disclosure's /public/my/records/."""

from django.urls import path

from . import views

app_name = "my_commitments"
urlpatterns = [path("", views.my_commitments, name="index")]
