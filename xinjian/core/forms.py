"""Page input goes through Django forms (issue 13 §7): the small forms many staff steps
share, and one way to tell the person what was wrong with an input."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import messages
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _


def say_invalid(request: HttpRequest, form: forms.Form) -> None:
    """One message per wrong input, named by its label; nothing was changed."""
    for name, errors in form.errors.items():
        field = form.fields.get(name)
        label = field.label if field is not None and field.label else ""
        for error in errors:
            messages.error(request, f"{label}：{error}" if label else str(error))


class ReasonForm(forms.Form):
    """A step that takes only a reason. Whether one is required is the action's rule (it
    says why in its own words); the form bounds it."""

    reason = forms.CharField(label=_("原因"), required=False, max_length=2000)


def choice_form(
    name: str, choices: list[tuple[str, Any]], *, default: str, reason: bool = True
) -> type[forms.Form]:
    """A step with a choice among named actions (`action=…` buttons) and an optional reason."""
    attrs: dict[str, Any] = {
        "action": forms.ChoiceField(choices=choices, required=False),
        "clean_action": lambda self: self.cleaned_data.get("action") or default,
    }
    if reason:
        attrs["reason"] = forms.CharField(label=_("原因"), required=False, max_length=2000)
    return type(name, (forms.Form,), attrs)
