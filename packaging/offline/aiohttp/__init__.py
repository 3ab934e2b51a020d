"""Stand-in for aiohttp in the frozen Panel Desk build (packaging/panel-desk.spec puts it first on the path).

pyHanko imports aiohttp when ``pyhanko.sign`` is imported, for timestamp servers, remote signing and
fetching revocation data over the network. Panel Desk signs and verifies offline and uses none of
that, so the build leaves aiohttp and its helpers (yarl, multidict, frozenlist…) out. The names
pyHanko refers to while importing exist here; anything that would really go to the network stops
with a plain sentence instead.
"""

OFFLINE = ("Panel Desk works offline: this build cannot reach a timestamp server or fetch "
           "revocation data over the network.")


class _Offline(Exception):
    """Any aiohttp class: usable in annotations and ``isinstance``/``except``; using it stops."""

    def __init__(self, *args, **kwargs):
        raise RuntimeError(OFFLINE)


def __getattr__(name: str):
    if name.startswith("__"):
        raise AttributeError(name)
    return _Offline
