"""The enterprise's side of credit repair, under /public/my/repair/ (beside
/public/my/records/): enterprise users only, their own enterprise only."""

from django.urls import path

from . import views

app_name = "repair_public"
urlpatterns = [
    path("", views.my_index, name="my_index"),
    path("apply/<str:kind>/<int:target_id>/", views.my_apply, name="my_apply"),
    path("<int:pk>/", views.my_detail, name="my_detail"),
    path("<int:pk>/documents/<int:doc>/", views.my_document, name="my_document"),
]
