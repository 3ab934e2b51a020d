"""``python -m panel_desk``: the same program as ``panel-desk``."""

import multiprocessing
import sys

multiprocessing.freeze_support()  # the frozen build is also the PDF checker's fork server

if len(sys.argv) > 2 and sys.argv[1] == "--child-process":  # the frozen build running its own PDF workers
    import runpy

    _CHILDREN = {"panel_desk.core._pdfserver"}
    if sys.argv[2] not in _CHILDREN:
        raise SystemExit(2)
    module = sys.argv[2]
    sys.argv = [sys.argv[0], *sys.argv[3:]]
    runpy.run_module(module, run_name="__main__", alter_sys=True)
    raise SystemExit(0)

from panel_desk.cli import main  # noqa: E402  (after the child-process dispatch)

raise SystemExit(main())
