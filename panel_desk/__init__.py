"""Panel Desk: the expert advisory panel's offline workbench."""

__version__ = "0.1.0"
