"""File > Export consultation pack…: ask where, build and draw it off the GUI thread.

The pack is built from a copy of the option shown (edits made meanwhile do not change it) in a
:class:`~planner.ui.workers.GeneratorWorker`; a progress dialog shows each page and can cancel
(the half-written file is removed).
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QObject, Qt
from PySide6.QtWidgets import QProgressDialog

from planner.ui.report.content import build_content
from planner.ui.report.writer import pack_steps
from planner.ui.workers import GeneratorWorker

__all__ = ["PackExporter", "PDF_FILTER"]

PDF_FILTER = "PDF (*.pdf)"


class PackExporter(QObject):
    """Runs one export at a time for ``window``; ``worker`` and ``dialog`` are exposed for tests."""

    def __init__(self, window) -> None:
        super().__init__(window)
        self.window = window
        self.worker: GeneratorWorker | None = None
        self.dialog: QProgressDialog | None = None
        self.last_pages = 0

    def ask_and_export(self) -> bool:
        suggested = self.window.files._default_name().with_suffix("")
        path = self.window.prompts.save_path("Export consultation pack", PDF_FILTER,
                                             f"{suggested}_pack.pdf")
        if not path:
            return False
        path = Path(path)
        return self.export(path if path.suffix.lower() == ".pdf" else path.with_suffix(".pdf"))

    def export(self, path: Path) -> bool:
        if self.worker is not None and self.worker.is_running():
            return False
        w, doc = self.window, self.window.document
        option = w.options.current
        plan, log = doc.plan.copy(), option.log.copy()
        compare = getattr(w, "compare_panel", None)
        other = compare.other.copy() if compare is not None and compare.other is not None else None
        other_name = compare.other_name if other is not None else ""
        args = dict(option=option.name, constraints=doc.constraints, log=log,
                    boundaries=doc.boundaries, other=other, other_name=other_name)

        def steps():
            yield 0.0, "Preparing maps and figures"
            content = build_content(plan, **args)
            return (yield from pack_steps(content, path))

        self.dialog = QProgressDialog("Exporting the consultation pack\u2026", "Cancel", 0, 1000,
                                      w)
        self.dialog.setWindowTitle("Consultation pack")
        self.dialog.setWindowModality(Qt.WindowModality.WindowModal)
        self.dialog.setMinimumDuration(0)
        self.worker = GeneratorWorker(steps, parent=self)
        self.worker.progress.connect(self._progress)
        self.worker.finished.connect(lambda pages: self._done(path, pages))
        self.worker.failed.connect(self._failed)
        self.worker.cancelled.connect(lambda: self._end(f"Export cancelled; {path.name} not "
                                                        "written"))
        self.dialog.canceled.connect(self.worker.cancel)
        self.worker.start()
        return True

    def _progress(self, fraction: float, message: str) -> None:
        if self.dialog is not None:
            self.dialog.setLabelText(message)
        if self.dialog is not None:  # (a modal progress dialog handles events in setValue)
            self.dialog.setValue(int(fraction * 1000))

    def _done(self, path: Path, pages) -> None:
        self.last_pages = int(pages or 0)
        self._end(f"Exported {path} ({self.last_pages} pages)")

    def _failed(self, message: str) -> None:
        self._end("Export failed")
        self.window.prompts.error("Cannot export", message)

    def _end(self, text: str) -> None:
        if self.dialog is not None:
            self.dialog.canceled.disconnect()
            self.dialog.reset()
            self.dialog.deleteLater()
            self.dialog = None
        self.window.status.message(text)
