"""The desktop application: QApplication set-up and the first window.

``run_gui(argv)`` starts the planner. With a file in ``argv`` it opens that file; otherwise it opens
the Kent and Medway sample with a proposed plan of five federations, so a newcomer sees at once
what the application does. ``create_main_window(path=None)`` builds the same window for tests (with
their own QSettings and prompts).

Environment: ``PLANNER_EXIT_AFTER_SHOW=1`` quits as soon as the window has painted once (the
start-up benchmark and the install check use it); it first prints ``planner-shown <unix time> cpu
<seconds> federations <k> centres <n>`` on stderr (the wall-clock moment of the first paint, the
CPU time the process had used by then, and what the window shows).

Qt is imported here and in :mod:`planner.ui` only.
"""

from __future__ import annotations

import os
import sys
import time
from pathlib import Path

from planner import resources
from planner.domain.naming import name_after_hubs

__all__ = [
    "run_gui", "create_main_window", "sample_paths", "name_after_hubs", "SAMPLE_FEDERATIONS",
]

ORGANISATION = "SureStart"
APPLICATION = "Federation Planner"
SAMPLE_FEDERATIONS = 5
SAMPLE_WEIGHT_TOLERANCE = 0.1  # each federation within +-10% of the mean children_0_15
SAMPLE_TITLE = "Kent and Medway sample (proposed plan)"


def sample_paths() -> tuple[Path, Path]:
    """(centres, districts) of the Kent and Medway sample shipped inside the package."""
    return resources.where(resources.SAMPLE_CENTRES), resources.where(resources.SAMPLE_DISTRICTS)


SAMPLE_PLAN_CACHE = resources.where(resources.SAMPLE_PLAN)


def _sha256(path: Path) -> str:
    import hashlib

    return hashlib.sha256(path.read_bytes()).hexdigest()


def cached_sample_plan(centres, centres_path: Path, cache: Path = SAMPLE_PLAN_CACHE):
    """The shipped proposal for the sample (``planner/resources/sample``) if made from this file.

    Start-up stays well under two seconds without running the engine; a changed sample (or a
    missing cache) falls back to running it. ``python resources/make_sample_plan.py`` refreshes it.
    """
    import json

    from planner.geo.planmeta import decode_plan

    try:
        data = json.loads(cache.read_text(encoding="utf-8"))
        if data.get("source_sha256") != _sha256(centres_path):
            return None
        plan, warnings = decode_plan(centres, data["planner"], None)
    except (OSError, ValueError, KeyError, TypeError):
        return None
    return None if warnings else plan


def write_sample_plan_cache(cache: Path = SAMPLE_PLAN_CACHE) -> Path:
    """Run the engine on the sample and save its proposal for start-up (see cached_sample_plan)."""
    import json

    from planner.geo.planmeta import encode
    from planner.ui.file_actions import load_plan_file

    centres_path, _ = sample_paths()
    loaded = load_plan_file(centres_path)
    constraints = _sample_constraints(loaded)
    plan = _propose(loaded.plan, constraints)
    data = {
        "about": "Proposed plan for the Kent and Medway sample, made by "
                 "planner.clustering.federate (seed 0); regenerate with "
                 "resources/make_sample_plan.py",
        "source": centres_path.name,
        "source_sha256": _sha256(centres_path),
        "planner": encode(plan, constraints),
    }
    cache.write_text(json.dumps(data, indent=1) + "\n", encoding="utf-8")
    return cache


def _sample_constraints(loaded):
    """Five federations, balanced on the figure shown (children 0-15) when the file has it."""
    from dataclasses import replace

    from planner.domain.constraints import Balance

    column = loaded.weight_column
    balance = (Balance(column, SAMPLE_WEIGHT_TOLERANCE),) if column else ()
    return replace(loaded.constraints, federations=SAMPLE_FEDERATIONS, balance=balance)


def _propose(plan, constraints):
    """Run the engine synchronously (about a second for 103 centres), hubs' towns as names."""
    from planner.clustering.federate import federate_now

    graph = _sample_graph(plan.centres)
    return name_after_hubs(federate_now(plan.centres, constraints, graph=graph, seed=0).plan)


def _sample_graph(centres):
    """The sample's neighbours on the land of its districts, as the window builds them."""
    from planner.clustering.graph import neighbourhood_graph
    from planner.geo.land import land_for
    from planner.geo.layers import read_boundaries

    layer = read_boundaries(sample_paths()[1], centres.crs)
    return neighbourhood_graph(centres, links=land_for(centres, layer).links())


def _sample_document():
    """The sample centres, their districts and a proposed five-federation plan."""
    from planner.ui.document import Document
    from planner.ui.file_actions import load_plan_file

    centres_path, districts_path = sample_paths()
    warnings: list[str] = []
    loaded = load_plan_file(centres_path)
    constraints = _sample_constraints(loaded)
    plan = loaded.plan
    if not plan.federations:
        try:
            plan = cached_sample_plan(plan.centres, centres_path) or _propose(plan, constraints)
        except Exception as exc:  # noqa: BLE001 - the sample still opens, unassigned
            warnings.append(f"Could not propose federations ({exc}); use Plan > Auto-federate")
    doc = Document(plan, constraints=constraints, weight_column=loaded.weight_column)
    doc.path = centres_path
    from planner.geo.layers import read_boundaries

    doc.set_boundaries(read_boundaries(districts_path, plan.centres.crs), "lad_name")
    return doc, warnings


def create_main_window(path=None, settings=None, prompts=None):
    """The main window showing ``path`` (or the sample with a proposed plan). Not shown yet."""
    from planner.domain.centres import Centres
    from planner.domain.plan import Plan
    from planner.ui.document import Document
    from planner.ui.file_actions import load_plan_file
    from planner.ui.main_window import MainWindow

    error = None
    loaded = None
    if path is not None:
        try:
            loaded = load_plan_file(path)
        except Exception as exc:  # noqa: BLE001 - shown once the window is up
            error = f"{exc}"
    if loaded is not None:
        # Start empty and install once: the graph, statistics and outlines are built one time.
        doc = Document(Plan(Centres((), (), [], [], loaded.plan.centres.crs)))
        window = MainWindow(doc, settings=settings, prompts=prompts)
        window.files.install(loaded)
        warnings = []
    else:
        doc, warnings = _sample_document()
        window = MainWindow(doc, settings=settings, prompts=prompts, title=SAMPLE_TITLE)
        if doc.plan.federations:
            warnings.insert(0, _welcome(doc))
    icon = _icon()
    if icon is not None:
        window.setWindowIcon(icon)
    if error:
        from PySide6.QtCore import QTimer

        QTimer.singleShot(0, window, lambda: window.prompts.error("Cannot open file", error))
    for text in warnings:
        window.status.message(text, 30000)
    return window


def _welcome(doc) -> str:
    c = doc.constraints
    balance = "".join(
        f"{', balanced on ' if i == 0 else ' and '}{b.column} (\u00b1{b.tolerance:.0%})"
        for i, b in enumerate(c.balance)
    )
    return (f"Proposed plan: {len(doc.plan.federations)} federations{balance}. Drag centres "
            "between federations on the map or onto a row of the panel; Ctrl+Z undoes.")


def _icon():
    from PySide6.QtGui import QIcon

    return QIcon(str(resources.where(resources.ICON)))


def _exit_after_first_paint(app, window) -> None:
    """For the start-up benchmark: report and quit once the map has painted."""
    from PySide6.QtCore import QEvent, QObject, QTimer

    class FirstPaint(QObject):
        def eventFilter(self, obj, event):  # noqa: N802 - Qt override
            if event.type() == QEvent.Type.Paint and not getattr(self, "done", False):
                self.done = True
                plan = window.document.plan
                QTimer.singleShot(0, lambda: (print(
                    f"planner-shown {time.time():.6f} cpu {time.process_time():.3f} "
                    f"federations {len(plan.federations)} centres {len(plan.centres)}",
                    file=sys.stderr, flush=True), app.quit()))
            return False

    window._first_paint = FirstPaint(window)  # keep a reference
    window.view.viewport().installEventFilter(window._first_paint)


def run_gui(argv: list[str] | None = None) -> int:
    """Start the planner; ``argv`` may hold one file to open. Returns the exit code."""
    from planner.display_check import display_problem

    problem = display_problem()
    if problem:
        print(f"planner: cannot open the window: {problem}", file=sys.stderr)
        return 2
    from PySide6.QtWidgets import QApplication

    argv = list(argv or [])
    app = QApplication.instance() or QApplication([sys.argv[0], *argv])
    app.setOrganizationName(ORGANISATION)
    app.setApplicationName(APPLICATION)
    app.setApplicationDisplayName("SureStart Federation Planner")
    app.setStyle("Fusion")
    from planner.ui.safety import install_excepthook

    install_excepthook()  # no exception escapes a slot unseen: logged and shown
    files = [a for a in argv if not a.startswith("-")]
    window = create_main_window(files[0] if files else None)
    window.restore_layout()
    if os.environ.get("PLANNER_EXIT_AFTER_SHOW"):
        _exit_after_first_paint(app, window)
    window.show()
    return app.exec()
