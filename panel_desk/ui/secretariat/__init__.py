"""The secretariat's screens: roster, applications, imports, conflicts, answers, drafting, publishing.

The main window shows :class:`SecretariatView` as its central area when the unlocked identity is
the secretariat's. Every screen calls the core through :mod:`._desk`; none holds a rule.
"""

from panel_desk.ui.secretariat.view import SecretariatView

__all__ = ["SecretariatView"]
