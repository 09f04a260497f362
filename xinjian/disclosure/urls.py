from django.urls import path

from . import views

app_name = "disclosure"
urlpatterns = [
    path("", views.search_page, name="search"),
    path("enterprises/<str:uscc>/", views.enterprise_page, name="enterprise"),
    path("recent/", views.recent_page, name="recent"),
    path("open-data/", views.open_data_page, name="open_data"),
    path("open-data/<str:day>/<str:filename>", views.open_data_file, name="open_data_file"),
    path("rules/", views.rules_page, name="rules"),
    path("rules/add/", views.rule_add, name="rule_add"),
    path("my/records/", views.my_records, name="my_records"),
    path("staff/backlog/", views.backlog_page, name="backlog"),
    path("staff/publish/<str:kind>/<int:pk>/", views.publish_record, name="publish"),
    path("staff/withdraw/<int:pk>/", views.withdraw_record, name="withdraw"),
    path("staff/replies/", views.replies_page, name="replies"),
]
