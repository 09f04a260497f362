"""The one workflow engine (architecture rule 2). A workflow is a state machine over one
model: a transition table {action: Transition(from, to, …)} that also says who may take
the step by hand, which event the action reports and how the step shows as a button.
`Workflow.move` takes an object one step, atomically: it locks the object's row
(`select_for_update`), checks the move against the state *in the database* — so a
double-submitted "publish" finds the object already published and changes nothing —
saves it, writes the history row (a `TransitionRecord`) and the audit entry. The action
that calls it emits the event in the same transaction (tested per action, docs/events.md).

`workflow_actions` (core/templatetags/workflows.py) renders the moves a person may take
as buttons; `core.workflow_views.take` is the one view that performs them."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Collection, Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from django import forms
from django.db import models, transaction
from django.utils import timezone
from django.utils.translation import gettext

from . import audit as _audit
from .actors import Actor, as_actor
from .errors import InvalidTransition
from .events import emit
from .permissions import Perm


@dataclass(frozen=True)
class Field:
    """An input of a button's form, passed to the action as keyword `name`."""

    name: str
    label: Any
    required: bool = True
    kind: str = "text"  # text | textarea | checkbox | select | date
    max_length: int = 0  # 0: 500 for text, 5,000 for a textarea
    # A select's (value, label) pairs, in order: the value is passed, the label shown; or
    # a function of the object giving them (e.g. the reasons that end *this* listing's ground).
    choices: tuple[tuple[str, Any], ...] | Callable[[Any], Iterable[tuple[str, Any]]] = ()

    def options(self, obj: Any = None) -> tuple[tuple[str, Any], ...]:
        """A select's choices for `obj`."""
        return tuple(self.choices(obj)) if callable(self.choices) else tuple(self.choices)

    def form_field(self, obj: Any = None) -> forms.Field:
        """The Django form field the generic view validates this input with (for `obj`)."""
        if self.kind == "checkbox":
            return forms.BooleanField(label=self.label, required=False)
        if self.kind == "select":
            # Only a listed value passes; an empty one only when the input is optional.
            return forms.ChoiceField(label=self.label, required=self.required, choices=self.options(obj))
        if self.kind == "date":
            return forms.DateField(label=self.label, required=self.required, input_formats=["%Y-%m-%d"])
        limit = self.max_length or (5000 if self.kind == "textarea" else 500)
        widget = forms.Textarea if self.kind == "textarea" else forms.TextInput
        # Whether an empty value is acceptable is the action's rule (it says why in its own
        # words); the form bounds the length and type. `required` marks the HTML input.
        return forms.CharField(label=self.label, required=False, max_length=limit, widget=widget)


@dataclass(frozen=True)
class Transition:
    """One step: the states it may start from ("" = a new object), the state it leads to
    (None keeps the state: a step that only records something)."""

    sources: Collection[str]
    target: str | None
    label: Any = ""  # the button and the history say this
    # A person needs it (or, given a tuple, any one of them) to take the step by hand;
    # None: system only.
    perm: Perm | tuple[Perm, ...] | None = None
    # The event the step reports (docs/events.md): written by the engine with the
    # workflow's payload, or — `custom_event` — by the action itself (its own payload, or
    # only in some cases, e.g. a revocation reported only when the listing was public).
    event: str | None = None
    custom_event: bool = False
    # The button (when `perm` is set): the action function's name in the app's actions
    # package, its form inputs and fixed keyword arguments, and the message on success.
    handler: str = ""
    fields: tuple[Field, ...] = ()
    kwargs: Mapping[str, Any] = field(default_factory=dict)
    done: Any = ""
    # Whether this person can complete the step on this object beyond the permission
    # (e.g. "the user's department decides this application"): (obj, user) -> bool. Pages
    # show no button a person cannot complete; the action keeps its own check and says why.
    guard: Callable[[Any, Any], bool] | None = None

    def form_class(self, obj: Any = None) -> type[forms.Form]:
        """The step's inputs (for `obj`) as a Django form (the generic view's input, issue
        13 §7), plus the page to return to."""
        attrs: dict[str, Any] = {f.name: f.form_field(obj) for f in self.fields}
        attrs["next"] = forms.CharField(required=False, max_length=500)
        return type("StepForm", (forms.Form,), attrs)


# Tables written before Transition existed: {action: (sources, target)}.
Transitions = Mapping[str, "Transition | tuple[Collection[str], str | None]"]

REGISTRY: dict[str, Workflow] = {}


def may_take(user: Any, t: Transition) -> bool:
    """Does `user` hold the permission (one of the permissions) the step asks for?"""
    from xinjian.core.roles import has_perm

    if not t.perm:
        return False
    perms = t.perm if isinstance(t.perm, tuple) else (t.perm,)
    return any(has_perm(user, p) for p in perms)


def _as_transition(t: Transition | tuple[Collection[str], str | None]) -> Transition:
    return t if isinstance(t, Transition) else Transition(t[0], t[1])


class Workflow:
    """A named workflow. `history` is its TransitionRecord model, `link` the name of that
    model's foreign key to the object; `audit_prefix` + action is the audit action."""

    def __init__(
        self,
        name: str,
        model: type[models.Model],
        transitions: Transitions,
        *,
        history: type[models.Model],
        link: str,
        audit_prefix: str,
        state_field: str = "status",
        actions_module: str = "",
        detail_url: str = "",
        payload: Callable[[Any], dict[str, Any]] | None = None,
    ) -> None:
        self.name = name
        self.model = model
        self.transitions: dict[str, Transition] = {a: _as_transition(t) for a, t in transitions.items()}
        self.history = history
        self.link = link
        self.audit_prefix = audit_prefix
        self.state_field = state_field
        self.actions_module = actions_module
        self.detail_url = detail_url
        self.payload = payload
        if name:
            REGISTRY[name] = self

    def __repr__(self) -> str:
        return f"<Workflow {self.name}>"

    # --- reading -------------------------------------------------------------------------

    def state_of(self, obj: Any) -> str:
        return getattr(obj, self.state_field) or ""

    def state_label(self, value: str) -> str:
        if not value:
            return "—"
        choices = dict(self.model._meta.get_field(self.state_field).choices or [])  # type: ignore[union-attr]
        return str(choices.get(value, value))

    def action_label(self, action: str) -> str:
        t = self.transitions.get(action)
        return str(t.label) if t is not None and t.label else action

    def allowed(self, obj: Any, user: Any) -> list[tuple[str, Transition]]:
        """The steps `user` may take by hand from the object's current state (buttons)."""
        state = self.state_of(obj)
        return [
            (a, t)
            for a, t in self.transitions.items()
            if t.perm
            and t.handler
            and state in t.sources
            and may_take(user, t)
            and (t.guard is None or t.guard(obj, user))
        ]

    def may(self, user: Any, action: str) -> bool:
        """May `user` take `action` by hand (its permission per the table)? The workbench
        lists an item for whoever may take the step it awaits."""
        return may_take(user, self.transitions[action])

    def emitting(self) -> Iterable[tuple[str, str]]:
        """(action, event type) for every step that reports an event."""
        return [(a, t.event) for a, t in self.transitions.items() if t.event]

    # --- moving --------------------------------------------------------------------------

    def check(self, obj: Any, action: str) -> None:
        """Refuse early (before an action's heavy work) a step the object's current state
        does not allow; `move` checks again against the locked row."""
        state = self.state_of(obj) if obj.pk is not None else ""
        if state not in self.transitions[action].sources:
            raise self._refusal(state)

    def _refusal(self, state: str) -> InvalidTransition:
        return InvalidTransition(
            gettext("当前状态“%(status)s”不能执行此操作")
            % {"status": self.state_label(state) if state else gettext("无")},
            code="invalid_transition",
        )

    def locked_state(self, obj: Any) -> str:
        """The object's state as committed, with its row locked until the transaction ends
        (a concurrent move of the same object waits here, then sees the moved state)."""
        if obj.pk is None:
            return ""
        value = (
            type(obj)
            ._base_manager.select_for_update()
            .filter(pk=obj.pk)
            .values_list(self.state_field, flat=True)
            .first()
        )
        return value or ""

    def lock(self, obj: Any) -> Any:
        """Reload `obj` in place from its locked row: for actions that check more than the
        state before moving (deadlines, one-time steps)."""
        if obj.pk is not None:
            obj.refresh_from_db(from_queryset=type(obj)._base_manager.select_for_update())
        return obj

    def move(
        self,
        obj: Any,
        action: str,
        *,
        actor: Any,
        on: dt.date,
        reason: str = "",
        document_no: str = "",
        audit_action: str = "",
        audit: bool = True,
        on_change: Callable[[str, str], None] | None = None,
    ) -> Actor:
        """Move `obj` (with `touch()`) by `action`. `on_change` is called with (before,
        after) when the state changes, before saving. `audit=False` for an action that
        writes its own, more telling audit entry in the same transaction."""
        t = self.transitions[action]
        with transaction.atomic():
            before = self.locked_state(obj)
            if before not in t.sources:
                raise self._refusal(before)
            who = as_actor(actor)
            snap = _audit.snapshot(obj) if obj.pk and audit else None
            if t.target is not None:
                setattr(obj, self.state_field, t.target)
            after = self.state_of(obj)
            if on_change is not None and after != before:
                on_change(before, after)
            touch = getattr(obj, "touch", None)  # AuditedModel: who changed it last
            if touch is not None:
                touch(who.label)
            obj.save()
            self.history.objects.create(  # type: ignore[attr-defined]
                **{self.link: obj},
                from_status=before,
                to_status=after,
                action=action,
                at=timezone.now(),
                on=on,
                actor_label=who.label,
                reason=reason,
                document_no=document_no,
            )
            enterprise = getattr(obj, "enterprise", None)
            if audit:
                _audit.record(
                    audit_action or f"{self.audit_prefix}.{action}",
                    obj,
                    actor=who,
                    before=snap,
                    after=_audit.snapshot(obj),
                    reason=reason,
                    uscc=enterprise.uscc if enterprise is not None else "",
                )
            if t.event and not t.custom_event:
                data = {
                    **(self.payload(obj) if self.payload else {"id": obj.pk}),
                    "action": action,
                    "from": before,
                    "to": after,
                    "on": on.isoformat(),
                }
                if document_no:
                    data["document_no"] = document_no
                emit(
                    t.event,
                    uscc=enterprise.uscc if enterprise is not None else "",
                    region_code=enterprise.region_code
                    if enterprise is not None
                    else getattr(obj, "region_code", ""),
                    data=_audit.jsonable(data),
                )
        return who
