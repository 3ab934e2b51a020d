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


def _immortal_singletons() -> None:
    """Make None, True and False immortal on CPython before 3.12, as 3.12 does (PEP 683).

    PySide6 6.12's wheels are built for the stable ABI of Pythons where these objects are immortal,
    and on 3.11 a call to a Qt method that returns nothing drops one reference to None (measured:
    1,000 ``QScrollBar.setValue`` calls, 1,000 references fewer). A long session, or one widget per
    page of a 50,000-page PDF, then ends in "Fatal Python error: none_dealloc". Giving the three
    singletons the huge reference count 3.12 gives them stops that for good.
    """
    import ctypes
    import sys

    if sys.version_info >= (3, 12) or sys.implementation.name != "cpython":
        return
    for obj in (None, True, False):
        ctypes.c_ssize_t.from_address(id(obj)).value += 1 << 40


_immortal_singletons()
