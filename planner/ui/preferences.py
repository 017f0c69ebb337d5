"""Preferences: the name the change log records as "who" (the computer's user name by default)."""

from __future__ import annotations

import getpass

from PySide6.QtCore import QSettings
from PySide6.QtWidgets import QDialog, QDialogButtonBox, QFormLayout, QLineEdit, QWidget

__all__ = ["USER_KEY", "user_name", "set_user_name", "PreferencesDialog"]

USER_KEY = "changelog/user"


def _login() -> str:
    try:
        return getpass.getuser()
    except (KeyError, OSError):  # no login name (some containers): still record something
        return "unknown"


def user_name(settings: QSettings) -> str:
    """The name to record: the preference if set, else the computer's user name."""
    value = settings.value(USER_KEY, "", type=str)
    return value.strip() or _login()


def set_user_name(settings: QSettings, name: str) -> None:
    """Set the recorded name; blank goes back to the computer's user name."""
    if name.strip():
        settings.setValue(USER_KEY, name.strip())
    else:
        settings.remove(USER_KEY)


class PreferencesDialog(QDialog):
    """One field: "Your name in the change log"."""

    def __init__(self, settings: QSettings, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Preferences")
        self.setObjectName("preferencesDialog")
        self.settings = settings
        self.name_edit = QLineEdit(settings.value(USER_KEY, "", type=str))
        self.name_edit.setPlaceholderText(_login())
        self.name_edit.setObjectName("userNameEdit")
        self.name_edit.setToolTip("Recorded as 'who' for every change; blank: your login name")
        form = QFormLayout(self)
        form.addRow("Your name in the change log:", self.name_edit)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok
                                   | QDialogButtonBox.StandardButton.Cancel)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        form.addRow(buttons)

    def accept(self) -> None:
        set_user_name(self.settings, self.name_edit.text())
        super().accept()
