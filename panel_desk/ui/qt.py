"""The one door to Qt: every ui module imports PySide6 through here (qutebrowser's ``qt/``).

A binding or version shim has one home. QtPdf is imported here too; it ships in the lean
``PySide6-Pdf`` wheel beside ``PySide6-Essentials``.
"""

from __future__ import annotations

from PySide6 import QtCore, QtGui, QtWidgets  # noqa: F401  (re-exported)
from PySide6.QtCore import Qt, QTimer, Signal, Slot  # noqa: F401
from PySide6.QtPdf import QPdfDocument, QPdfSearchModel  # noqa: F401
from PySide6.QtPdfWidgets import QPdfView  # noqa: F401

QT_VERSION = QtCore.qVersion()
