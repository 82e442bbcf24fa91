"""One way to move a row along its life cycle.

Each app declares a ``Lifecycle`` per model (its allowed moves, the field that holds the
state, how its history rows are shaped) and calls ``Lifecycle.transition``, which locks
the row, checks the move, writes the new state and the history row (who, when, why) in
the caller's transaction, and returns the state it came from.

``platform`` sits below every app, so it never imports their models: the history model is
handed in by the app that owns it.
"""

from collections.abc import Container, Mapping
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.utils.translation import gettext_lazy as _

INVALID_TRANSITION = "invalid_transition"


@dataclass(frozen=True)
class Lifecycle:
    """The allowed moves of one model's state field.

    ``moves`` maps a state to the states it may go to; the targets may be any container
    (a set, or a dict such as ``{target: who may make the move}``). ``touch`` lists the
    fields saved with every move (``auto_now`` timestamps). ``history_*`` name the fields
    of the history model: the link to the moved row, the two states, who and why.
    """

    labels: type[models.TextChoices]
    moves: Mapping[str, Container[str]]
    field: str = "status"
    touch: tuple[str, ...] = ()
    history_link: str = ""
    history_from: str = "from_status"
    history_to: str = "to_status"
    history_actor: str = "actor"
    history_reason: str = "reason"

    def allows(self, current: str, target: str) -> bool:
        return target in self.moves.get(current, ())

    def label(self, value: str) -> str:
        """The translated label of a state; a value that is no state is shown as typed."""
        return str(self.labels(value).label) if value in self.labels.values else value

    def check(self, current: str, target: str) -> None:
        """Raise ValidationError(code="invalid_transition"), naming both states, unless
        ``current`` → ``target`` is an allowed move."""
        if not self.allows(current, target):
            raise ValidationError(
                _("It cannot go from “%(current)s” to “%(target)s”."),
                code=INVALID_TRANSITION,
                params={"current": self.label(current), "target": self.label(target)},
            )

    def lock(self, entry: models.Model) -> Any:
        """The row of ``entry`` read again under a row lock (SELECT … FOR UPDATE)."""
        return type(entry)._default_manager.select_for_update(of=("self",)).get(pk=entry.pk)

    def transition(
        self,
        entry: models.Model,
        to: str,
        *,
        actor: Any = None,
        reason: str = "",
        history_model: type[models.Model] | None = None,
        history_fields: Mapping[str, Any] | None = None,
        changes: Mapping[str, Any] | None = None,
        locked: bool = False,
    ) -> str:
        """Move ``entry`` to ``to`` and return the state it came from.

        Unless ``locked`` says the caller already holds the row lock, the row is locked
        and read again first, so two concurrent moves cannot both start from the same
        state; the fresh values are then copied onto ``entry``. ``changes`` are other
        fields saved with the state (a timestamp, a reason kept on the row). With
        ``history_model``, one history row records the move, who made it (an anonymous
        or missing actor is stored as nobody) and why, plus ``history_fields``.

        Must run inside a transaction. Raise ValidationError(code="invalid_transition")
        when the move is not allowed; nothing is written then.
        """
        if not transaction.get_connection().in_atomic_block:
            raise RuntimeError("Lifecycle.transition must run inside a transaction.")
        if not locked:
            _copy_fields(self.lock(entry), entry)
        current = getattr(entry, self.field)
        self.check(current, to)
        if history_model is not None:
            self._write_history(entry, current, to, history_model, actor, reason, history_fields)
        setattr(entry, self.field, to)
        for name, value in (changes or {}).items():
            setattr(entry, name, value)
        entry.save(update_fields=[self.field, *(changes or {}), *self.touch])
        return current

    def _write_history(
        self,
        entry: models.Model,
        current: str,
        to: str,
        history_model: type[models.Model],
        actor: Any,
        reason: str,
        history_fields: Mapping[str, Any] | None,
    ) -> None:
        reason_field = history_model._meta.get_field(self.history_reason)
        reason_length = getattr(reason_field, "max_length", None)
        history_model._default_manager.create(
            **{
                self.history_link: entry,
                self.history_from: current,
                self.history_to: to,
                self.history_actor: actor if getattr(actor, "is_authenticated", False) else None,
                self.history_reason: (reason or "")[:reason_length],
            },
            **(history_fields or {}),
        )


def _copy_fields(source: models.Model, target: models.Model) -> None:
    """Give ``target`` the concrete field values of ``source`` (the same row, fresh)."""
    if source is target:
        return
    for field in source._meta.concrete_fields:
        if field.attname in target.get_deferred_fields():
            continue
        setattr(target, field.attname, getattr(source, field.attname))
