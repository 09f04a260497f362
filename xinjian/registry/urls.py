from django.urls import path

from . import views

app_name = "registry"
urlpatterns = [
    path("", views.search, name="search"),
    path("key-areas/", views.key_area_list, name="key_area_list"),
    path("key-areas/export.xlsx", views.key_area_export, name="key_area_export"),
    path("<str:uscc>/", views.enterprise_detail, name="detail"),
    path("<str:uscc>/tags/", views.change_tag, name="change_tag"),
]
