"""Stand-in for aiohttp in the frozen Panel Desk build (packaging/panel-desk.spec puts it first on the path).

pyHanko imports aiohttp when ``pyhanko.sign`` is imported, for its own timestamp client, remote
signing and fetching revocation data over the network. Panel Desk uses none of that (it verifies
offline, and its timestamp client uses the standard library), so the build leaves aiohttp and its
helpers (yarl, multidict, frozenlist…) out. The names
pyHanko refers to while importing exist here; anything that would really go to the network stops
with a plain sentence instead.
"""

OFFLINE = ("This Panel Desk build leaves out pyHanko's network clients: it cannot fetch revocation data "
           "or sign remotely.")


class _Offline(Exception):
    """Any aiohttp class: usable in annotations and ``isinstance``/``except``; using it stops."""

    def __init__(self, *args, **kwargs):
        raise RuntimeError(OFFLINE)


def __getattr__(name: str):
    if name.startswith("__"):
        raise AttributeError(name)
    return _Offline
