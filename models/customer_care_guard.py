# Copyright 2026 customer_care contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""The field guard: decisions and workflow steps are written by their
model's own transitions only.

A model that inherits ``customer.care.guard.mixin`` declares, in
``_care_guarded_fields()``, the fields that carry a decision or a step of its
workflow (states, deciders and dates, approved amounts, deadlines, locks,
codes…) and, for each, the action a person uses instead. ``create`` and
``write`` refuse such a field, and write nothing, unless

- the call runs inside one of the model's transitions: a method decorated
  with :func:`transition` (the ``action_*`` buttons, which check who may make
  the step, and the add-on's private ``_care_*`` steps they call), or
- the environment is in superuser mode: the add-on's own server-side paths
  (``sudo()`` in crons, the portal controller, data files).

A transition is marked by a context variable of the running thread, which
no client can set: a context key would be, since clients send the context.
"""

import contextlib
import contextvars
import functools

from odoo import api, models
from odoo.exceptions import UserError

_IN_TRANSITION = contextvars.ContextVar("customer_care_transition", default=False)


def transition(method):
    """Mark ``method`` as a transition of its model: the guarded fields may
    be written while it runs (and whatever it calls runs)."""

    @functools.wraps(method)
    def wrapper(self, *args, **kwargs):
        with transition_scope():
            return method(self, *args, **kwargs)

    return wrapper


@contextlib.contextmanager
def transition_scope():
    """The body of a transition, for code that cannot be a decorated method
    (e.g. the rest of a ``write`` whose caller's values were checked)."""
    token = _IN_TRANSITION.set(True)
    try:
        yield
    finally:
        _IN_TRANSITION.reset(token)


def in_transition():
    return _IN_TRANSITION.get()


class CustomerCareGuardMixin(models.AbstractModel):
    _name = "customer.care.guard.mixin"
    _description = "Customer Care Guarded Fields"

    @api.model
    def _care_guarded_fields(self):
        """{field name: the action to use instead}, the texts translated
        with ``self.env._``. Inheriting models extend the dict of ``super()``."""
        return {}

    @api.model
    def _care_guarded_at_create(self):
        """The guarded fields that a person gives when creating a record
        (e.g. the order of a request): free at creation, fixed afterwards."""
        return set()

    def _care_frozen_fields(self):
        """{field name: why} of the fields fixed on the record ``self``
        because of where it stands (e.g. a done callback's record): called
        per record written; workflow steps and superuser mode pass."""
        return {}

    # ------------------------------------------------------------
    # CRUD
    # ------------------------------------------------------------

    @api.model_create_multi
    def create(self, vals_list):
        self._care_guard(vals_list, creating=True)
        return super().create(vals_list)

    def write(self, vals):
        self._care_guard([vals])
        return super().write(vals)

    # ------------------------------------------------------------
    # GUARD
    # ------------------------------------------------------------

    def _care_guard(self, vals_list, creating=False):
        if self.env.su or in_transition():
            return
        guarded = self._care_guarded_fields()
        if not creating:
            guarded = self._care_guard_frozen(vals_list, guarded)
        if not guarded:
            return
        free = self._care_guarded_at_create() if creating else set()
        defaults = {}
        touched = []
        for vals in vals_list:
            for fname in vals.keys() & guarded.keys() - free:
                if creating:
                    if fname not in defaults:
                        defaults[fname] = self.default_get([fname]).get(fname)
                    if self._care_guard_same(fname, vals[fname], defaults[fname]):
                        continue
                elif all(
                    self._care_guard_same(fname, vals[fname], record[fname])
                    for record in self
                ):
                    # writing the value it already has changes nothing
                    continue
                if fname not in touched:
                    touched.append(fname)
        if touched:
            # who may not write the model at all is told so first
            self.check_access("create" if creating else "write")
            raise UserError(self._care_guard_message(touched, guarded))

    def _care_guard_frozen(self, vals_list, guarded):
        """``guarded`` with the fields frozen on one of the records written
        that this write would change."""
        names = set().union(*vals_list)
        for record in self:
            for fname, why in record._care_frozen_fields().items():
                if fname in names and fname not in guarded:
                    for vals in vals_list:
                        if fname in vals and not record._care_guard_same(
                            fname, vals[fname], record[fname]
                        ):
                            guarded = dict(guarded, **{fname: why})
                            break
        return guarded

    def _care_guard_same(self, fname, value, current):
        """Whether writing ``value`` leaves ``current`` (a record's value, or
        the default at creation) as it is. Empty values are never a step."""
        field = self._fields[fname]
        if field.type in ("one2many", "many2many"):
            return not value
        if not value and not current:
            return True
        try:
            return field.convert_to_cache(
                value, self.browse()
            ) == field.convert_to_cache(current, self.browse())
        except (ValueError, TypeError):
            return False

    def _care_guard_message(self, fnames, guarded):
        lines = [
            self.env._(
                "%(fields)s of %(model)s change only through the workflow; "
                "nothing was saved.",
                fields=", ".join(
                    f"“{self._fields[f]._description_string(self.env)}”" for f in fnames
                ),
                model=self._care_model_label(),
            )
        ]
        hints = []
        for fname in fnames:
            hint = guarded[fname]
            if hint not in hints:
                hints.append(hint)
        lines += [self.env._("Use instead: %s", hint) for hint in hints]
        return "\n".join(lines)

    @api.model
    def _care_model_label(self):
        model = self.env["ir.model"]._get(self._name)
        return model.name or self._description
