"""Public pages (anonymous), mounted at /public/inspections/: plans, tasks, draws and
published results of double random inspections (双随机、一公开)."""

from django.urls import path

from . import views

app_name = "inspections_public"
urlpatterns = [
    path("", views.public_index, name="index"),
    path("tasks/<str:code>/", views.public_task, name="task"),
    path("draws/<str:draw_id>/", views.public_draw_page, name="draw"),
]
