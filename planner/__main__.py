"""``python -m planner`` is the ``planner`` command."""

from planner.launcher import main

raise SystemExit(main())
