"""Reading a file into a new document, off the GUI thread: the open transaction's work.

:func:`load_plan_file` is the window's door to the one loader
(:func:`planner.geo.planfile.load_plan`); :func:`run_off_thread` runs a loading generator in a
:class:`~planner.ui.workers.GeneratorWorker` under a local event loop, with a progress dialog and
Cancel once it takes more than half a second, so the window stays live and nothing is replaced
until everything is built. Re-exported by :mod:`planner.ui.file_actions`.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from pathlib import Path

from PySide6.QtCore import QEventLoop, Qt
from PySide6.QtWidgets import QProgressDialog

from planner.domain.centres import Centres
from planner.domain.constraints import Constraints
from planner.domain.plan import Plan
from planner.ui.workers import GeneratorWorker

__all__ = ["Loaded", "load_plan_file", "sniff_kind", "weight_column_for", "run_off_thread"]

log = logging.getLogger(__name__)


@dataclass
class Loaded:
    """A file read into a plan, ready to install in the document."""

    path: Path
    plan: Plan
    constraints: Constraints
    warnings: list[str] = field(default_factory=list)
    has_plan: bool = False  # the file carried federations (Save may write back to it)
    weight_column: str | None = None  # the figure shown per federation
    book: object = None  # PlanBook: every option of the file (plan is the current one's)
    prepared: object = None  # planner.ui.document.Prepared, built off the GUI thread
    boundaries: tuple | None = None  # (layer, field) to draw under the centres


def sniff_kind(path: str | Path) -> str:
    """``"boundaries"`` for a polygon layer, else ``"centres"`` (whose reader names any problem).

    Only ordinary files are looked into (a FIFO would block ``read_info`` forever)."""
    from planner.geo.errors import InputError
    from planner.geo.guard import check_input

    path = Path(path)
    if path.suffix.lower() in (".csv", ".tsv", ".txt"):
        return "centres"
    try:
        check_input(path)
    except InputError:
        return "centres"
    try:
        import warnings

        import pyogrio

        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # GDAL's complaints: the reader names the problem
            geometry = str(pyogrio.read_info(path).get("geometry_type") or "")
    except Exception:  # noqa: BLE001 - any failure: let the centres reader name the problem
        return "centres"
    return "boundaries" if "Polygon" in geometry else "centres"


def weight_column_for(centres: Centres, constraints: Constraints | None,
                      mapping: dict | None = None) -> str | None:
    """The weight to balance on (see :func:`planner.geo.planfile.default_weight`)."""
    from planner.geo.planfile import default_weight

    return default_weight(centres, constraints, mapping)


def load_plan_file(path: str | Path, mapping: dict | None = None,
                   allow_outside_england: bool = False) -> Loaded:
    """Read centres (and their plan, if any) from ``path`` with the one loader
    (:func:`planner.geo.planfile.load_plan`). Raises ``InputError``."""
    from planner.geo.planfile import load_plan

    path = Path(path)
    result = load_plan(path, mapping, allow_outside_england=allow_outside_england)
    constraints = result.constraints or Constraints()
    weight = weight_column_for(result.centres, result.constraints, mapping)
    warnings = list(result.warnings)
    from planner.geo.planbook import book_for  # the file's other options and change logs

    book = book_for(path, result.plan, constraints, warnings)
    return Loaded(path, result.plan, constraints, warnings, result.has_plan, weight, book)


def detecting(path: Path):
    from planner.geo.io import detect_columns

    yield 0.1, f"Reading {path.name}"
    return detect_columns(path)


def loading(path: Path, mapping: dict | None, current, current_field,
            allow_outside_england: bool = False):
    """The open transaction's work, off the GUI thread: read, prepare, find boundaries."""
    from planner.geo.context import boundaries_for
    from planner.geo.errors import InputError
    from planner.ui.document import prepare

    try:
        yield 0.05, f"Reading {path.name}"
        loaded = load_plan_file(path, mapping, allow_outside_england)
        yield 0.3, "Finding the boundaries"
        if current is not None and current.crs != loaded.plan.centres.crs:
            current = None
        loaded.boundaries = boundaries_for(loaded.plan.centres, current, current_field)
        yield 0.45, f"Linking {len(loaded.plan.centres):,} centres to their neighbours"
        loaded.prepared = prepare(loaded.plan, loaded.weight_column, loaded.boundaries[0])
    except InputError:
        raise
    except Exception as exc:  # noqa: BLE001 - a reader's gap: still a message naming the file
        log.exception("opening %s failed", path)
        raise InputError(f"{path}: cannot be opened ({type(exc).__name__}: {exc})") from None
    return loaded


def run_off_thread(window, factory, label: str) -> tuple[str, object]:
    """Run a generator in a worker while the window stays live: (outcome, result).

    A progress dialog with Cancel appears if the work takes more than half a second.
    """
    worker = GeneratorWorker(factory, parent=window)
    loop = QEventLoop()
    dialog = QProgressDialog(label, "Cancel", 0, 1000, window)
    dialog.setWindowModality(Qt.WindowModality.WindowModal)
    dialog.setMinimumDuration(500)
    dialog.setAutoClose(False)
    dialog.setAutoReset(False)
    dialog.canceled.connect(worker.cancel)
    worker.progress.connect(lambda f, m: (dialog.setValue(int(1000 * f)),
                                          dialog.setLabelText(m or label)))
    for ending in (worker.finished, worker.failed, worker.cancelled):
        ending.connect(loop.quit)
    worker.start()
    loop.exec()
    dialog.canceled.disconnect(worker.cancel)
    dialog.close()
    dialog.deleteLater()
    worker.deleteLater()
    return worker.outcome or "failed", worker.result

