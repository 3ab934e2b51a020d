"""The core of Panel Desk: everything that is not a window. Never imports Qt."""
