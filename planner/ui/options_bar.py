"""Options in the window: the toolbar selector, duplicate / rename / delete, one history each.

:class:`OptionsController` holds the open :class:`~planner.domain.options.PlanBook`. Each option
has its own :class:`QUndoStack` (in the window's :class:`QUndoGroup`, so Edit > Undo acts on the
option shown) and its own change-log :class:`~planner.ui.history_panel.Recorder`. Switching shows
the other option's plan and history; nothing of the first is lost. Duplicate, rename and delete
are undoable on a separate stack (Options > Undo option change), since they concern the options
rather than any one plan.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from PySide6.QtCore import QObject, Signal
from PySide6.QtGui import QUndoCommand, QUndoGroup, QUndoStack
from PySide6.QtWidgets import QComboBox, QInputDialog, QLabel

from planner.domain.options import Option, OptionRefused, PlanBook
from planner.ui.history_panel import LogModel, Recorder
from planner.ui.preferences import user_name

__all__ = ["OptionsController", "Session"]


@dataclass
class Session:
    """What the window keeps per option: its undo stack and its log recorder."""

    stack: QUndoStack
    recorder: Recorder


class OptionsController(QObject):
    """The options of the open file, for ``window`` (a MainWindow)."""

    switched = Signal()  # another option is shown (or the list of options changed)

    def __init__(self, window) -> None:
        super().__init__(window)
        self.window = window
        self.group = QUndoGroup(self)
        self.book_stack = QUndoStack(self)  # duplicate / rename / delete
        self.log_model = LogModel(self)
        self.log_model.reason_edited.connect(lambda _row: self._mark_dirty())
        self._sessions: dict[int, Session] = {}
        self._dirty = False
        self.combo = QComboBox()
        self.combo.setObjectName("optionSelector")
        self.combo.setToolTip("The option shown; each keeps its own plan, settings and history")
        self.combo.setMinimumContentsLength(12)
        self.combo.activated.connect(self.switch)
        self.label = QLabel(" Option: ")
        self.group.cleanChanged.connect(self._clean_changed)
        self.book_stack.cleanChanged.connect(self._clean_changed)
        self.window.editor.on_pushed = self._record
        self._start(PlanBook.single(window.document.plan, window.document.constraints),
                    window.stack)

    # -- state ---------------------------------------------------------------------------------
    @property
    def book(self) -> PlanBook:
        return self._book

    @property
    def current(self) -> Option:
        return self._book.current_option

    def session(self, option: Option | None = None) -> Session:
        return self._sessions[id(option or self.current)]

    def is_clean(self) -> bool:
        return (not self._dirty and self.book_stack.isClean()
                and all(s.stack.isClean() for s in self._sessions.values()))

    def set_clean(self) -> None:
        self._dirty = False
        self.book_stack.setClean()
        for s in self._sessions.values():
            s.stack.setClean()
        self.window.update_title()

    def _clean_changed(self, _clean: bool) -> None:
        import shiboken6

        if shiboken6.isValid(self.window):  # stacks leave the group while the window closes
            self.window.update_title()

    def _mark_dirty(self) -> None:
        self._dirty = True
        self.window.update_title()

    # -- books ---------------------------------------------------------------------------------
    def _start(self, book: PlanBook, current_stack: QUndoStack | None = None) -> None:
        for s in self._sessions.values():
            self.group.removeStack(s.stack)
            if s.stack is not current_stack:
                s.stack.deleteLater()
        self._sessions = {}
        self._book = book
        self._dirty = False
        self.book_stack.clear()
        for i, option in enumerate(book.options):
            stack = current_stack if i == book.current and current_stack else QUndoStack(self)
            self._add_session(option, stack)
        self._show(book.current, install_plan=False)

    def _add_session(self, option: Option, stack: QUndoStack | None = None) -> Session:
        stack = stack or QUndoStack(self)
        self.group.addStack(stack)
        recorder = Recorder(option.log, stack, lambda: user_name(self.window.settings), self)
        recorder.changed.connect(self._log_changed)
        session = Session(stack, recorder)
        self._sessions[id(option)] = session
        return session

    def opened(self, book: PlanBook | None) -> None:
        """A file was opened into the document (its current option): show ``book``, the file's
        options (read with it by ``load_plan_file``; None: a book of the document's plan)."""
        doc = self.window.document
        if book is None or book.current_option.plan is not doc.plan:
            book = PlanBook.single(doc.plan, doc.constraints)
        self.window.stack.clear()
        self._start(book, self.window.stack)

    def save(self, path: Path) -> None:
        from planner.geo.planbook import save_book

        self.current.constraints = self.window.document.constraints
        save_book(self._book, path)

    # -- switching -----------------------------------------------------------------------------
    def switch(self, index: int) -> None:
        """Show option ``index`` (its plan, settings and history)."""
        if index != self._book.current:
            self.current.constraints = self.window.document.constraints
            self._book.current = index
            self._show(index)

    def _show(self, index: int, install_plan: bool = True) -> None:
        window, option = self.window, self._book.options[index]
        session = self.session(option)
        window.stack = window.editor.stack = session.stack
        self.group.setActiveStack(session.stack)
        if install_plan:
            doc = window.document
            doc.set_plan(option.plan, path=doc.path, boundaries=doc.boundaries,
                         boundary_field=doc.boundary_field, constraints=option.constraints,
                         weight_column=doc.weight_column)
        self.log_model.set_log(option.log)
        self._fill_combo()
        self.switched.emit()
        window.update_title()

    def _fill_combo(self) -> None:
        self.combo.blockSignals(True)
        self.combo.clear()
        self.combo.addItems(self._book.names())
        self.combo.setCurrentIndex(self._book.current)
        self.combo.blockSignals(False)

    def _record(self, text, before, before_feds, plan) -> None:
        self.session().recorder.record(text, before, before_feds, plan)

    def _log_changed(self) -> None:
        if self.sender() is self.session().recorder:
            self.log_model.refresh()

    # -- duplicate, rename, delete (undoable) --------------------------------------------------
    def duplicate(self, name: str | None = None) -> bool:
        return self._push(_Duplicate(self, self._book.current, name))

    def rename(self, name: str | None = None) -> bool:
        if name is None:
            name, ok = QInputDialog.getText(self.window, "Rename option", "Name:",
                                            text=self.current.name)
            if not ok:
                return False
        return self._push(_Rename(self, self.current, name))

    def delete(self) -> bool:
        if len(self._book) == 1:
            self.window.editor.refuse("the last option cannot be deleted")
            return False
        return self._push(_Delete(self, self.current))

    def _push(self, command: QUndoCommand) -> bool:
        try:
            command.check()
        except OptionRefused as exc:
            self.window.editor.refuse(str(exc))
            return False
        self.book_stack.push(command)
        return True


class _Duplicate(QUndoCommand):
    def __init__(self, ctl: OptionsController, index: int, name: str | None) -> None:
        book = ctl.book
        self.ctl, self.source = ctl, book.options[index]
        self.copy = self.source.copy(name.strip() if name else book.next_letter_name())
        super().__init__(f"Duplicate option {self.source.name!r}")

    def check(self) -> None:
        if self.copy.name in self.ctl.book.names() or not self.copy.name.strip():
            raise OptionRefused(f"there is already an option called {self.copy.name!r}"
                                if self.copy.name.strip() else "an option needs a name")

    def redo(self) -> None:
        book = self.ctl.book
        self.ctl.current.constraints = self.ctl.window.document.constraints
        at = book.options.index(self.source) + 1
        book.insert(at, self.copy)
        if id(self.copy) not in self.ctl._sessions:
            self.ctl._add_session(self.copy)
        book.current = at
        self.ctl._show(at)

    def undo(self) -> None:
        book = self.ctl.book
        book.remove(book.options.index(self.copy))
        book.current = book.options.index(self.source)
        self.ctl._show(book.current)


class _Rename(QUndoCommand):
    def __init__(self, ctl: OptionsController, option: Option, name: str) -> None:
        self.ctl, self.option, self.old, self.new = ctl, option, option.name, name.strip()
        super().__init__(f"Rename option {self.old!r} to {self.new!r}")

    def check(self) -> None:
        if not self.new:
            raise OptionRefused("an option needs a name")
        if self.new != self.old and self.new in self.ctl.book.names():
            raise OptionRefused(f"there is already an option called {self.new!r}")

    def _set(self, name: str) -> None:
        self.option.name = name
        self.ctl._fill_combo()
        self.ctl.switched.emit()

    def redo(self) -> None:
        self._set(self.new)

    def undo(self) -> None:
        self._set(self.old)


class _Delete(QUndoCommand):
    def __init__(self, ctl: OptionsController, option: Option) -> None:
        self.ctl, self.option = ctl, option
        self.index = ctl.book.options.index(option)
        super().__init__(f"Delete option {option.name!r}")

    def check(self) -> None:
        if len(self.ctl.book) < 2:
            raise OptionRefused("the last option cannot be deleted")

    def redo(self) -> None:
        book = self.ctl.book
        if book.current_option is self.option:
            self.ctl.current.constraints = self.ctl.window.document.constraints
        book.remove(self.index)
        self.ctl._show(book.current)

    def undo(self) -> None:
        book = self.ctl.book
        book.insert(self.index, self.option)
        book.current = self.index
        self.ctl._show(self.index)


def install_option_actions(window, a) -> None:
    """Add the options' actions (menu, toolbar selector), the pack and preferences to ``window``.

    ``a`` is the window's :class:`~planner.ui.actions.Actions`; new actions become attributes.
    """
    from planner.ui.actions import _action

    ctl = window.options
    a.duplicate_option = _action(window, "&Duplicate option", ctl.duplicate, ["Ctrl+Shift+D"],
                                 "Copy the option shown (plan, settings, log) and show the copy")
    a.rename_option = _action(window, "&Rename option\u2026", ctl.rename, (),
                              "Rename the option shown")
    a.delete_option = _action(window, "De&lete option", ctl.delete, (),
                              "Delete the option shown (undoable)")
    a.undo_option = ctl.book_stack.createUndoAction(window, "&Undo option change")
    a.redo_option = ctl.book_stack.createRedoAction(window, "Re&do option change")
    a.compare = _action(window, "&Compare with\u2026", lambda: _show_compare(window), (),
                        "Compare the option shown with another option or a plan file")
    a.export_pack = _action(window, "Export &consultation pack\u2026",
                            window.pack.ask_and_export, (),
                            "An A4 PDF for consultation: maps, members, figures, change log")
    a.preferences = _action(window, "&Preferences\u2026", lambda: _preferences(window), (),
                            "Your name in the change log")

    m = window.menuBar().addMenu("&Options")
    window.menuBar().insertMenu(window.menuBar().actions()[-2], m)  # before Help
    m.addActions([a.duplicate_option, a.rename_option, a.delete_option])
    m.addSeparator()
    m.addActions([a.undo_option, a.redo_option])
    m.addSeparator()
    m.addAction(a.compare)
    window.options_menu = m
    window.file_menu.insertAction(a.quit, a.export_pack)
    window.file_menu.insertSeparator(a.quit)
    window.edit_menu.addSeparator()
    window.edit_menu.addAction(a.preferences)

    tb = window.addToolBar("Options")
    tb.setObjectName("optionsToolBar")
    tb.addWidget(ctl.label)
    tb.addWidget(ctl.combo)
    tb.addActions([a.duplicate_option, a.rename_option, a.delete_option])
    window.view_menu.addAction(tb.toggleViewAction())
    window.view_menu.addAction(window.compare_dock.toggleViewAction())


def _show_compare(window) -> None:
    window.compare_dock.show()
    window.compare_dock.raise_()
    window.compare_panel.selector.setFocus()


def _preferences(window) -> bool:
    from planner.ui.preferences import PreferencesDialog

    return bool(PreferencesDialog(window.settings, window).exec())
