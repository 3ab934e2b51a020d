"""``python -m panel_desk``: the same program as ``panel-desk``."""

from panel_desk.cli import main

raise SystemExit(main())
