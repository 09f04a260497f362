from django.urls import path

from . import views

app_name = "commitments"
urlpatterns = [
    path("", views.index, name="index"),
    path("list/", views.commitment_list, name="list"),
    path("c/<int:pk>/", views.commitment_detail, name="commitment"),
    path("v/<int:pk>/", views.verification_detail, name="verification"),
    path("v/<int:pk>/action/", views.verification_action, name="verification_action"),
    path("sample/", views.sample, name="sample"),
    path("sample/<int:pk>/", views.sample_detail, name="sample_detail"),
    path("rules/", views.rules_page, name="rules"),
]
