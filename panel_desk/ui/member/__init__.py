"""The panel member's screens: applications, the interests gate, documents, assessment and sign-off."""

from panel_desk.ui.member.view import MemberView

__all__ = ["MemberView"]
