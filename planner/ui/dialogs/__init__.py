"""The planner's dialogs, imported where they are opened.

- :mod:`~planner.ui.dialogs.import_dialog`: ``ColumnMappingDialog(guess)`` for ambiguous columns;
  ``mapping()`` gives the keyword arguments of ``planner.geo.io.read_centres``.
- :mod:`~planner.ui.dialogs.federate_dialog`: ``FederateDialog(document, parent,
  reoptimise_unlocked)``: the form bound to a Qt-free ``planner.domain.request.FederateRequest``,
  a run in a worker thread, ``result_plan``. Its widgets are laid out by
  :mod:`~planner.ui.dialogs.federate_form` (with the balance rows and field choices of
  :mod:`~planner.ui.dialogs.federate_fields`); the run is :mod:`~planner.ui.dialogs.federate_run`.
"""
