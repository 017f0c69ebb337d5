"""Opening, saving and exporting files, the unsaved-changes prompt and the recent-files list.

Opening decides by content: a polygon layer is a boundary layer; anything else is read as centres,
and a file that carries federations (a ``federation`` column, or a saved plan) opens as that plan.
Ambiguous columns go through the column-mapping dialog.

Opening is a transaction. The file is read by the one loader (:func:`planner.geo.planfile.
load_plan`) and the new document's graph and statistics are built completely off the GUI thread
(a :class:`~planner.ui.workers.GeneratorWorker`, with progress and Cancel once it takes longer
than half a second); only then do plan, undo stack and views change, together. Any failure (or a
cancel) leaves the open document exactly as it was and shows the reader's message. The file is
checked with ``stat`` before anything opens it, so a FIFO or a device never blocks the window.
Saving writes a plan file atomically; exports never overwrite the file the plan was read from.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from pathlib import Path

from PySide6.QtCore import QEventLoop, QObject, QSettings, Qt
from PySide6.QtWidgets import QMenu, QProgressDialog

from planner.domain.centres import Centres
from planner.domain.constraints import Constraints
from planner.domain.plan import Plan
from planner.ui.prompts import Unsaved
from planner.ui.safety import guarded
from planner.ui.workers import GeneratorWorker

log = logging.getLogger(__name__)

__all__ = [
    "FileController",
    "Loaded",
    "load_plan_file",
    "sniff_kind",
    "weight_column_for",
    "PLAN_FILTER",
]

PLAN_FILTER = "Plan files (*.geojson)"
OPEN_FILTER = (
    "Centres, plans and boundaries (*.csv *.tsv *.txt *.geojson *.json *.gpkg *.shp);;"
    "All files (*)"
)
BOUNDARY_FILTER = "Boundary layers (*.geojson *.json *.gpkg *.shp);;All files (*)"
BOUNDARY_FIELDS = ("lad_name", "LAD24NM", "lad24nm", "name", "NAME", "utla_name")
MAX_RECENT = 8
OFF_THREAD_BYTES = 2_000_000  # larger files have their columns read in a worker
RECENT_KEY = "recentFiles"


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


def load_plan_file(path: str | Path, mapping: dict | None = None) -> Loaded:
    """Read centres (and their plan, if any) from ``path`` with the one loader
    (:func:`planner.geo.planfile.load_plan`). Raises ``InputError``."""
    from planner.geo.planfile import load_plan

    path = Path(path)
    result = load_plan(path, mapping)
    constraints = result.constraints or Constraints()
    weight = weight_column_for(result.centres, result.constraints, mapping)
    warnings = list(result.warnings)
    from planner.geo.planbook import book_for  # the file's other options and change logs

    book = book_for(path, result.plan, constraints, warnings)
    return Loaded(path, result.plan, constraints, warnings, result.has_plan, weight, book)


def _detecting(path: Path):
    from planner.geo.io import detect_columns

    yield 0.1, f"Reading {path.name}"
    return detect_columns(path)


def _loading(path: Path, mapping: dict | None, current, current_field):
    """The open transaction's work, off the GUI thread: read, prepare, find boundaries."""
    from planner.geo.context import boundaries_for
    from planner.geo.errors import InputError
    from planner.ui.document import prepare

    try:
        yield 0.05, f"Reading {path.name}"
        loaded = load_plan_file(path, mapping)
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


def _named(path: Path, exc: Exception) -> str:
    """The error's message, naming ``path`` once (readers and writers already name it)."""
    text = str(exc)
    return text if str(path) in text else f"{path}: {text}"


class FileController(QObject):
    """File menu behaviour for ``window`` (a :class:`~planner.ui.main_window.MainWindow`)."""

    def __init__(self, window, settings: QSettings) -> None:
        super().__init__(window)
        self.window = window
        self.settings = settings
        self.save_target: Path | None = None  # where Save writes without asking

    @property
    def document(self):
        return self.window.document

    # -- opening -----------------------------------------------------------------------------
    @guarded("Cannot complete the file command")
    def open_dialog(self) -> bool:
        path = self.window.prompts.open_path("Open centres, plan or boundaries", OPEN_FILTER,
                                             self._directory())
        return self.open_path(path) if path else False

    @guarded("Cannot complete the file command")
    def open_boundaries_dialog(self) -> bool:
        path = self.window.prompts.open_path("Open boundary layer", BOUNDARY_FILTER,
                                             self._directory())
        return self.open_boundaries(path) if path else False

    def open_path(self, path: str | Path) -> bool:
        """Open any supported file; False (document untouched) if it fails or is cancelled."""
        path = Path(path)
        if sniff_kind(path) == "boundaries":
            return self.open_boundaries(path)
        mapping = None
        if path.suffix.lower() != ".geojson":

            outcome, guess = self._detect(path)
            if outcome != "finished":
                return self._not_opened(path, outcome, guess)
            if guess.ambiguous:
                mapping = self.window.prompts.column_mapping(guess)
                if mapping is None:
                    return False
        doc = self.document
        outcome, loaded = self.run_off_thread(
            lambda: _loading(path, mapping, doc.boundaries, doc.boundary_field),
            f"Opening {path.name}",
        )
        if outcome != "finished":
            return self._not_opened(path, outcome, loaded)
        if not self.maybe_save():  # asked only once the file has loaded
            return False
        return self.install(loaded)

    def _detect(self, path: Path) -> tuple[str, object]:
        """The column guess: read here for a small file (the mapping dialog follows at once),
        in a worker for a big one (the window stays live)."""
        from planner.geo.errors import InputError
        from planner.geo.guard import check_input
        from planner.geo.io import detect_columns

        try:
            if check_input(path).st_size > OFF_THREAD_BYTES:
                return self.run_off_thread(lambda: _detecting(path), f"Reading {path.name}")
            return "finished", detect_columns(path)
        except InputError as exc:
            return "failed", str(exc)
        except Exception as exc:  # noqa: BLE001 - a reader's gap: still a message naming the file
            log.exception("reading %s failed", path)
            return "failed", f"{path}: cannot be opened ({type(exc).__name__}: {exc})"

    def _not_opened(self, path: Path, outcome: str, message) -> bool:
        if outcome != "cancelled":
            self.window.prompts.error("Cannot open file", str(message))
        else:
            self.window.status.message(f"Opening {path.name} cancelled")
        return False

    def run_off_thread(self, factory, label: str) -> tuple[str, object]:
        """Run a generator in a worker while the window stays live: (outcome, result).

        A progress dialog with Cancel appears if the work takes more than half a second.
        """
        worker = GeneratorWorker(factory, parent=self)
        loop = QEventLoop()
        dialog = QProgressDialog(label, "Cancel", 0, 1000, self.window)
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

    def open_boundaries(self, path: str | Path) -> bool:
        from planner.geo.layers import read_boundaries

        path = Path(path)
        try:
            layer = read_boundaries(path, self.document.plan.centres.crs)
        except Exception as exc:  # noqa: BLE001
            self._failed(path, exc)
            return False
        fieldname = next((f for f in BOUNDARY_FIELDS if f in layer.columns), None)
        self.document.set_boundaries(layer, fieldname)
        self.add_recent(path)
        self.window.status.message(f"Boundaries: {path.name} ({len(layer)} areas)")
        return True

    def install(self, loaded: Loaded) -> bool:
        """Make ``loaded`` the open document: plan, views and undo stack change together.

        The boundary layer is kept when it covers the new centres; otherwise England's districts
        (shipped in ``resources/``) are drawn under English centres. If installing fails, the old
        document is put back and the error shown.
        """
        from planner.geo.context import boundaries_for

        doc = self.document
        if loaded.boundaries is None:
            current = doc.boundaries if doc.plan.centres.crs == loaded.plan.centres.crs else None
            loaded.boundaries = boundaries_for(loaded.plan.centres, current, doc.boundary_field)
        layer, field_name = loaded.boundaries
        old = (doc.plan, doc.path, doc.boundaries, doc.boundary_field, doc.constraints,
               doc.weight_column)
        try:
            doc.set_plan(loaded.plan, path=loaded.path, boundaries=layer,
                         boundary_field=field_name, constraints=loaded.constraints,
                         weight_column=loaded.weight_column, prepared=loaded.prepared)
        except Exception as exc:  # noqa: BLE001 - put the old document back, then say why
            log.exception("installing %s failed", loaded.path)
            doc.set_plan(old[0], path=old[1], boundaries=old[2], boundary_field=old[3],
                         constraints=old[4], weight_column=old[5])
            self.window.prompts.error("Cannot open file", f"{loaded.path}: {exc}")
            return False
        self.window.stack.clear()
        self.window.options.opened(loaded.book)  # its other options and change logs
        self.save_target = (
            loaded.path if loaded.has_plan and loaded.path.suffix.lower() == ".geojson" else None
        )
        self.add_recent(loaded.path)
        self.window.set_display_name(None)  # the file's own name from now on
        n = len(loaded.plan.centres)
        text = f"Opened {loaded.path.name}: {n} centres, {len(loaded.plan.federations)} federations"
        if not loaded.plan.federations:
            text += " (Plan > Auto-federate proposes some)"
        if loaded.warnings:
            text += f". Note: {'; '.join(loaded.warnings)}"
        self.window.status.message(text, 15000)
        return True

    def _failed(self, path: Path, exc: Exception) -> None:
        from planner.geo.io import InputError

        text = str(exc) if isinstance(exc, InputError) else f"{path}: {exc}"
        self.window.prompts.error("Cannot open file", text)

    # -- saving ------------------------------------------------------------------------------
    @guarded("Cannot complete the file command")
    def save(self) -> bool:
        if self.save_target is None:
            return self.save_as()
        return self._write(self.save_target)

    @guarded("Cannot complete the file command")
    def save_as(self) -> bool:
        suggested = self.save_target or self._default_name()
        path = self.window.prompts.save_path("Save plan", PLAN_FILTER, str(suggested))
        if not path:
            return False
        path = Path(path)
        if path.suffix.lower() != ".geojson":
            path = path.with_name(path.name + ".geojson")
        return self._write(path)

    def _write(self, path: Path) -> bool:
        try:
            self.window.options.save(path)  # every option (one option: a plain plan file)
        except Exception as exc:  # noqa: BLE001
            self.window.prompts.error("Cannot save", _named(path, exc))
            return False
        self.save_target = path
        self.document.path = path
        self.window.options.set_clean()
        self.add_recent(path)
        self.window.update_title()
        self.window.status.message(f"Saved {path}")
        return True

    def maybe_save(self) -> bool:
        """Ask about unsaved changes. True when it is fine to go on (saved or discarded)."""
        if self.window.options.is_clean():
            return True
        answer = self.window.prompts.unsaved(self.window.document_name())
        if answer is Unsaved.SAVE:
            return self.save()
        return answer is Unsaved.DISCARD

    def _default_name(self) -> Path:
        path = self.document.path
        if path is None:
            return Path(self._directory()) / "plan.geojson"
        return path.with_name(path.stem + "_plan.geojson")

    def _directory(self) -> str:
        recent = self.recent_files()
        return str(Path(recent[0]).parent) if recent else str(Path.home())

    # -- exporting ---------------------------------------------------------------------------
    @guarded("Cannot complete the file command")
    def export_geojson(self) -> bool:
        from planner.geo.export import write_geojson

        path = self._export_path("Export GeoJSON", "GeoJSON (*.geojson)", ".geojson")
        if path is None:
            return False
        return self._export(path, lambda: write_geojson(self.document.plan, path,
                                                        self._outlines()))

    @guarded("Cannot complete the file command")
    def export_csv(self) -> bool:
        from planner.geo.export import write_csv

        path = self._export_path("Export CSV", "CSV (*.csv)", ".csv")
        if path is None:
            return False
        return self._export(path, lambda: write_csv(self.document.plan, path))

    @guarded("Cannot complete the file command")
    def export_png(self) -> bool:
        """The map as shown: PNG, or SVG when the planner names a .svg file."""
        from planner.ui.report.image import IMAGE_FILTER, save_map_image

        base = self._default_name().with_suffix("")
        path = self.window.prompts.save_path("Export map image", IMAGE_FILTER, f"{base}.png")
        if not path:
            return False
        path = Path(path)
        if path.suffix.lower() not in (".png", ".svg"):
            path = path.with_name(path.name + ".png")
        return self._export(path, lambda: save_map_image(self.window.view, path))

    def _export_path(self, caption: str, filters: str, suffix: str) -> Path | None:
        base = self._default_name().with_suffix("")
        path = self.window.prompts.save_path(caption, filters, str(base) + suffix)
        if not path:
            return None
        path = Path(path)
        return path if path.suffix.lower() == suffix else path.with_name(path.name + suffix)

    def _export(self, path: Path, write) -> bool:
        try:
            write()
        except Exception as exc:  # noqa: BLE001
            self.window.prompts.error("Cannot export", _named(path, exc))
            return False
        self.window.status.message(f"Exported {path}")
        return True

    def _outlines(self):
        """The outlines the map shows (kept current by the scene): export what the planner sees."""
        return dict(self.window.scene.outlines) or None

    # -- recent files ------------------------------------------------------------------------
    def recent_files(self) -> list[str]:
        value = self.settings.value(RECENT_KEY, [], type=list)
        return [str(v) for v in value or [] if v]

    def add_recent(self, path: str | Path) -> None:
        path = str(Path(path).resolve())
        items = [p for p in self.recent_files() if p != path]
        self.settings.setValue(RECENT_KEY, [path, *items][:MAX_RECENT])

    def clear_recent(self) -> None:
        self.settings.setValue(RECENT_KEY, [])

    def fill_recent_menu(self, menu: QMenu) -> None:
        menu.clear()
        files = [p for p in self.recent_files() if Path(p).exists()]
        for n, path in enumerate(files, start=1):
            action = menu.addAction(f"&{n} {Path(path).name}")
            action.setToolTip(path)
            action.setStatusTip(path)
            action.triggered.connect(
                guarded("Cannot open file")(lambda _checked=False, p=path: self.open_path(p)))
        if not files:
            menu.addAction("(none)").setEnabled(False)
        menu.addSeparator()
        menu.addAction("Clear recent files", self.clear_recent)
