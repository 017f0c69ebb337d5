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
from pathlib import Path

from PySide6.QtCore import QObject, QSettings
from PySide6.QtWidgets import QMenu

from planner.geo.area import ALLOW_HINT
from planner.ui.loading import (
    Loaded,
    detecting,
    load_plan_file,
    loading,
    run_off_thread,
    sniff_kind,
    weight_column_for,
)
from planner.ui.prompts import Unsaved
from planner.ui.safety import guarded

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
        outcome, loaded = self._load(path, mapping, False)
        if outcome == "failed" and ALLOW_HINT in str(loaded) and self.window.prompts.confirm(
                "Centres outside England", f"{loaded}\n\nOpen them anyway?"):
            outcome, loaded = self._load(path, mapping, True)  # the planner said so
        if outcome != "finished":
            return self._not_opened(path, outcome, loaded)
        if not self.maybe_save():  # asked only once the file has loaded
            return False
        return self.install(loaded)

    def _load(self, path: Path, mapping: dict | None, outside: bool) -> tuple[str, object]:
        doc = self.document
        return self.run_off_thread(
            lambda: loading(path, mapping, doc.boundaries, doc.boundary_field, outside),
            f"Opening {path.name}",
        )

    def _detect(self, path: Path) -> tuple[str, object]:
        """The column guess: read here for a small file (the mapping dialog follows at once),
        in a worker for a big one (the window stays live)."""
        from planner.geo.errors import InputError
        from planner.geo.guard import check_input
        from planner.geo.io import detect_columns

        try:
            if check_input(path).st_size > OFF_THREAD_BYTES:
                return self.run_off_thread(lambda: detecting(path), f"Reading {path.name}")
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
        """Run a generator in a worker while the window stays live (see ``run_off_thread``)."""
        return run_off_thread(self.window, factory, label)

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
