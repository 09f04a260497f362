from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import path
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from .actions import load_calendar
from .errors import DomainError
from .models import AuditEntry, CalendarDay, CalendarYear, ConsumerCursor, Event


class ReadOnlyAdmin(admin.ModelAdmin):
    """Trails are written by actions only: readable here, never editable."""

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(AuditEntry)
class AuditEntryAdmin(ReadOnlyAdmin):
    list_display = ["at", "actor_label", "action", "object_type", "object_id", "uscc"]
    list_filter = ["action", "object_type"]
    search_fields = ["uscc", "actor_label", "object_id"]
    date_hierarchy = "at"


@admin.register(Event)
class EventAdmin(ReadOnlyAdmin):
    list_display = ["id", "type", "uscc", "region_code", "occurred_at"]
    list_filter = ["type"]
    search_fields = ["uscc"]


@admin.register(ConsumerCursor)
class ConsumerCursorAdmin(ReadOnlyAdmin):
    list_display = ["name", "position", "updated_at"]


class CalendarImportForm(forms.Form):
    file = forms.FileField(label=_("节假日安排文件（CSV：date,kind）"))


@admin.register(CalendarYear)
class CalendarYearAdmin(ReadOnlyAdmin):
    """Years are entered only by importing the official arrangement (`core.actions.
    load_calendar`, as `manage.py load_calendar` does), so that every deadline that ran
    into the year is recomputed and each move audited; never edited row by row."""

    list_display = ["year", "source", "entered_at"]
    change_list_template = "admin/core/calendaryear/change_list.html"

    def get_urls(self):  # type: ignore[no-untyped-def]
        return [
            path(
                "import/",
                self.admin_site.admin_view(self.import_view),
                name="core_calendaryear_import",
            )
        ] + super().get_urls()

    def import_view(self, request: HttpRequest) -> HttpResponse:
        if not request.user.is_superuser:
            raise PermissionDenied
        form = CalendarImportForm(request.POST or None, request.FILES or None)
        errors: list[dict[str, str]] = []
        if request.method == "POST" and form.is_valid():
            upload = form.cleaned_data["file"]
            try:
                text = upload.read(2_000_000).decode("utf-8")
            except UnicodeDecodeError:
                form.add_error("file", gettext("文件须为UTF-8编码的CSV"))
            else:
                try:
                    result = load_calendar(text, actor=request.user, source=f"admin {upload.name}"[:200])
                except DomainError as exc:
                    form.add_error("file", exc.message)
                    errors = exc.details
                else:
                    messages.success(
                        request,
                        gettext("已录入%(years)s年节假日安排（%(days)s天），重新计算期限%(moved)s项")
                        % {
                            "years": gettext("、").join(map(str, result.years)),
                            "days": result.days,
                            "moved": len(result.moved),
                        },
                    )
                    return redirect("admin:core_calendaryear_changelist")
        context = {
            **self.admin_site.each_context(request),
            "title": gettext("导入节假日安排"),
            "form": form,
            "errors": errors,
            "opts": self.model._meta,
        }
        return render(request, "admin/core/calendaryear/import.html", context)


@admin.register(CalendarDay)
class CalendarDayAdmin(ReadOnlyAdmin):
    list_display = ["day", "is_working", "name"]
    list_filter = ["is_working"]
    date_hierarchy = "day"
