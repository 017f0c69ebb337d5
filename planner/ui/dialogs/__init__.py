"""The planner's dialogs: one module each, imported where they are opened.

- :mod:`~planner.ui.dialogs.import_dialog`: ``ColumnMappingDialog(guess)`` for ambiguous columns;
  ``mapping()`` gives the keyword arguments of ``planner.geo.io.read_centres``.
- :mod:`~planner.ui.dialogs.federate_dialog`: ``FederateDialog(document, parent,
  reoptimise_unlocked)``: the engine's constraints, a run in a worker thread, ``result_plan``.
"""
