"""Shared UI fixtures: the Kent & Medway sample as an open :class:`Document` with five federations.

Kept small and generic: ``kent_centres`` (the centre table), ``kent_boundaries`` (the 13 districts
in EPSG:27700), ``kent_plan`` (five federations by seeded k-means) and ``document``.
"""

from __future__ import annotations

import numpy as np
import pytest

from planner.domain.centres import Centres
from planner.domain.plan import Plan
from planner.geo.io import read_centres

KENT = "kent_medway_centres.csv"
KENT_LAD = "kent_medway_districts.geojson"


def kmeans_labels(xy: np.ndarray, k: int, seed: int = 0, iterations: int = 30) -> np.ndarray:
    """Deterministic Lloyd's k-means (k-means++ start from ``seed``); one label per row."""
    rng = np.random.default_rng(seed)
    xy = np.asarray(xy, dtype=float)
    centres = [xy[rng.integers(len(xy))]]
    for _ in range(1, k):
        d2 = np.min([((xy - c) ** 2).sum(1) for c in centres], axis=0)
        centres.append(xy[rng.choice(len(xy), p=d2 / d2.sum())])
    c = np.array(centres)
    labels = np.zeros(len(xy), dtype=int)
    for _ in range(iterations):
        labels = np.argmin(((xy[:, None, :] - c[None, :, :]) ** 2).sum(-1), axis=1)
        for j in range(k):
            if np.any(labels == j):
                c[j] = xy[labels == j].mean(0)
    return labels


@pytest.fixture(scope="session")
def kent_centres(sample_dir) -> Centres:
    return read_centres(sample_dir / KENT, coords="bng").centres


@pytest.fixture(scope="session")
def kent_boundaries(sample_dir):
    import geopandas as gpd

    return gpd.read_file(sample_dir / KENT_LAD).to_crs("EPSG:27700")


@pytest.fixture
def kent_plan(kent_centres) -> Plan:
    return Plan.from_labels(kent_centres, kmeans_labels(kent_centres.xy, 5, seed=0))


@pytest.fixture
def document(qapp, kent_plan, kent_boundaries):
    """An open document: the Kent & Medway plan of five federations, district boundaries set."""
    from planner.ui.document import Document

    doc = Document(kent_plan)
    doc.boundaries = kent_boundaries
    doc.boundary_field = "lad_name"
    return doc


class Mouse:
    """Real QMouseEvents sent to a widget (for a QGraphicsView, send to ``view.viewport()``).

    QTest does not hold a button down across moves on a QGraphicsView; these events carry the
    held ``buttons`` explicitly, as a real mouse does.
    """

    def __init__(self, widget) -> None:
        self.widget = widget

    def _send(self, kind, pos, button, buttons, mods):
        from PySide6.QtCore import QPointF
        from PySide6.QtGui import QMouseEvent
        from PySide6.QtWidgets import QApplication

        pos = QPointF(pos)
        glob = QPointF(self.widget.mapToGlobal(pos.toPoint()))
        event = QMouseEvent(kind, pos, glob, button, buttons, mods)
        QApplication.sendEvent(self.widget, event)
        return event

    def press(self, pos, button=None, mods=None):
        from PySide6.QtCore import QEvent, Qt

        button = button or Qt.MouseButton.LeftButton
        return self._send(QEvent.Type.MouseButtonPress, pos, button, button,
                          mods or Qt.KeyboardModifier.NoModifier)

    def move(self, pos, buttons=None, mods=None):
        from PySide6.QtCore import QEvent, Qt

        return self._send(QEvent.Type.MouseMove, pos, Qt.MouseButton.NoButton,
                          buttons if buttons is not None else Qt.MouseButton.LeftButton,
                          mods or Qt.KeyboardModifier.NoModifier)

    def release(self, pos, button=None, mods=None):
        from PySide6.QtCore import QEvent, Qt

        return self._send(QEvent.Type.MouseButtonRelease, pos,
                          button or Qt.MouseButton.LeftButton, Qt.MouseButton.NoButton,
                          mods or Qt.KeyboardModifier.NoModifier)

    def drag(self, start, end, steps: int = 8, button=None, mods=None, release: bool = True):
        """Press at ``start``, move in ``steps`` to ``end`` holding the button, then release."""
        from PySide6.QtCore import QPointF, Qt

        button = button or Qt.MouseButton.LeftButton
        start, end = QPointF(start), QPointF(end)
        self.press(start, button, mods)
        for i in range(1, steps + 1):
            self.move(start + (end - start) * (i / steps), button, mods)
        if release:
            self.release(end, button, mods)

    def click(self, pos, button=None, mods=None):
        self.press(pos, button, mods)
        self.release(pos, button, mods)


@pytest.fixture
def mouse():
    """``mouse(widget)`` -> a :class:`Mouse` sending real events to ``widget``."""
    return Mouse


@pytest.fixture
def no_modal_dialogs(monkeypatch):
    """Fail, instead of hanging, if code under test opens a modal dialog nobody scripted.

    Tests that expect a dialog monkeypatch the one they expect after this fixture ran.
    """
    from PySide6.QtWidgets import QDialog, QFileDialog, QMessageBox

    def refuse(name):
        def fail(*args, **kwargs):
            raise AssertionError(f"unexpected modal dialog: {name}")

        return fail

    for name in ("critical", "warning", "information", "question", "about"):
        monkeypatch.setattr(QMessageBox, name, staticmethod(refuse(f"QMessageBox.{name}")))
    for name in ("getOpenFileName", "getSaveFileName"):
        monkeypatch.setattr(QFileDialog, name, staticmethod(refuse(f"QFileDialog.{name}")))
    monkeypatch.setattr(QDialog, "exec", refuse("QDialog.exec"))


@pytest.fixture
def main_window(qtbot, tmp_path, no_modal_dialogs):
    """The real main window on the sample plan, with QSettings in ``tmp_path`` (not the user's)."""
    from PySide6.QtCore import QSettings

    from planner.app import create_main_window

    settings = QSettings(str(tmp_path / "settings.ini"), QSettings.Format.IniFormat)
    window = create_main_window(settings=settings)
    yield window
    window.stack.setClean()  # closing at teardown must not prompt
    window.close()
    window.deleteLater()


@pytest.fixture
def ambiguous_csv(tmp_path):
    """The sample centres with a second latitude/longitude pair: which pair is meant?"""
    import csv

    from planner.app import sample_paths

    centres, _ = sample_paths()
    with open(centres, newline="", encoding="utf-8") as src:
        rows = list(csv.DictReader(src))
    out = tmp_path / "kent_medway_centres.csv"
    with open(out, "w", newline="", encoding="utf-8") as dst:
        writer = csv.DictWriter(dst, [*rows[0], "latitude", "longitude"])
        writer.writeheader()
        for row in rows:
            writer.writerow({**row, "latitude": row["lat"], "longitude": row["lon"]})
    return out
