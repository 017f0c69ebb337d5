"""Opening, saving and exporting files, the unsaved-changes prompt and the recent-files list.

Opening decides by content: a polygon layer is a boundary layer; anything else is read as centres,
and a file that carries federations (a ``federation`` column, or a saved plan) opens as that plan.
Ambiguous columns go through the column-mapping dialog. A file that fails to load shows an error
naming the problem and leaves the open plan untouched. Saving writes a plan file atomically.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from PySide6.QtCore import QObject, QSettings
from PySide6.QtWidgets import QMenu

from planner.domain.centres import Centres
from planner.domain.constraints import Constraints
from planner.domain.plan import Plan
from planner.ui.prompts import Unsaved

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
PREFERRED_WEIGHTS = ("children_0_15", "children", "under_5", "under5", "population", "weight")
BOUNDARY_FIELDS = ("lad_name", "LAD24NM", "lad24nm", "name", "NAME", "utla_name")
MAX_RECENT = 8
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


def sniff_kind(path: str | Path) -> str:
    """``"boundaries"`` for a polygon layer, else ``"centres"`` (whose reader names any problem)."""
    path = Path(path)
    if path.suffix.lower() in (".csv", ".tsv", ".txt"):
        return "centres"
    try:
        import pyogrio

        geometry = str(pyogrio.read_info(path).get("geometry_type") or "")
    except Exception:  # noqa: BLE001 - any failure: let the centres reader name the problem
        return "centres"
    return "boundaries" if "Polygon" in geometry else "centres"


def weight_column_for(centres: Centres, constraints: Constraints | None,
                      mapping: dict | None = None) -> str | None:
    """The weight to show: the first saved balance, the one the planner mapped, else a known
    name."""
    saved = constraints.balance[0].column if constraints is not None and constraints.balance \
        else None
    if saved in centres.attributes:
        return saved
    if mapping and mapping.get("weight_column") in centres.attributes:
        return mapping["weight_column"]
    numeric = set(centres.numeric_columns())
    return next((c for c in PREFERRED_WEIGHTS if c in numeric), None)


def load_plan_file(path: str | Path, mapping: dict | None = None) -> Loaded:
    """Read centres (and their plan, if any) from ``path``. Raises ``InputError`` and friends."""
    from planner.geo.io import read_centres

    path = Path(path)
    result = read_centres(path, **(mapping or {}))
    constraints = result.constraints or Constraints()
    weight = weight_column_for(result.centres, result.constraints, mapping)
    plan = result.plan if result.plan is not None else Plan(result.centres)
    warnings = list(result.warnings)
    from planner.geo.planbook import book_for  # the file's other options and change logs

    book = book_for(path, plan, constraints, warnings)
    return Loaded(path, plan, constraints, warnings, result.plan is not None, weight, book)


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
    def open_dialog(self) -> bool:
        path = self.window.prompts.open_path("Open centres, plan or boundaries", OPEN_FILTER,
                                             self._directory())
        return self.open_path(path) if path else False

    def open_boundaries_dialog(self) -> bool:
        path = self.window.prompts.open_path("Open boundary layer", BOUNDARY_FILTER,
                                             self._directory())
        return self.open_boundaries(path) if path else False

    def open_path(self, path: str | Path) -> bool:
        """Open any supported file; False (plan untouched) if it fails or the planner cancels."""
        path = Path(path)
        if sniff_kind(path) == "boundaries":
            return self.open_boundaries(path)
        mapping = None
        if path.suffix.lower() != ".geojson":
            from planner.geo.io import detect_columns

            try:
                guess = detect_columns(path)
            except Exception as exc:  # noqa: BLE001 - any failure is reported, never half-applied
                self._failed(path, exc)
                return False
            if guess.ambiguous:
                mapping = self.window.prompts.column_mapping(guess)
                if mapping is None:
                    return False
        try:
            loaded = load_plan_file(path, mapping)
        except Exception as exc:  # noqa: BLE001
            self._failed(path, exc)
            return False
        if not self.maybe_save():  # asked only once the file has loaded
            return False
        self.install(loaded)
        return True

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

    def install(self, loaded: Loaded) -> None:
        """Make ``loaded`` the open document.

        The boundary layer is kept when it covers the new centres; otherwise England's districts
        (shipped in ``resources/``) are drawn under English centres.
        """
        from planner.geo.context import boundaries_for

        doc = self.document
        current = doc.boundaries if doc.plan.centres.crs == loaded.plan.centres.crs else None
        layer, field = boundaries_for(loaded.plan.centres, current, doc.boundary_field)
        doc.set_plan(loaded.plan, path=loaded.path, boundaries=layer, boundary_field=field,
                     constraints=loaded.constraints, weight_column=loaded.weight_column)
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

    def _failed(self, path: Path, exc: Exception) -> None:
        from planner.geo.io import InputError

        text = str(exc) if isinstance(exc, InputError) else f"{path}: {exc}"
        self.window.prompts.error("Cannot open file", text)

    # -- saving ------------------------------------------------------------------------------
    def save(self) -> bool:
        if self.save_target is None:
            return self.save_as()
        return self._write(self.save_target)

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
            self.window.prompts.error("Cannot save", f"{path}: {exc}")
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
    def export_geojson(self) -> bool:
        from planner.geo.export import write_geojson

        path = self._export_path("Export GeoJSON", "GeoJSON (*.geojson)", ".geojson")
        if path is None:
            return False
        return self._export(path, lambda: write_geojson(self.document.plan, path,
                                                        self._outlines()))

    def export_csv(self) -> bool:
        from planner.geo.export import write_csv

        path = self._export_path("Export CSV", "CSV (*.csv)", ".csv")
        if path is None:
            return False
        return self._export(path, lambda: write_csv(self.document.plan, path))

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
            self.window.prompts.error("Cannot export", f"{path}: {exc}")
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
            action.triggered.connect(lambda _checked=False, p=path: self.open_path(p))
        if not files:
            menu.addAction("(none)").setEnabled(False)
        menu.addSeparator()
        menu.addAction("Clear recent files", self.clear_recent)
