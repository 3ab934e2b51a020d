"""The small public recipe of the age module: armor helpers."""

import pytest


def test_dearmor_gives_the_binary_file_and_refuses_broken_armor():
    import io

    from panel_desk.core import age

    key = age.X25519Identity.generate()
    binary_then_armored = age.encrypt_bytes([key.recipient], b"seven words of plain text", armor=True)
    assert age.is_armored(binary_then_armored[:64])
    out = io.BytesIO()
    age.dearmor(io.BytesIO(binary_then_armored), out)
    assert out.getvalue().startswith(b"age-encryption.org/v1\n")
    assert not age.is_armored(out.getvalue()[:64])
    assert age.decrypt_bytes([key], out.getvalue()) == b"seven words of plain text"
    broken = binary_then_armored.replace(b"\n", b"\n\n", 2)
    with pytest.raises(age.ArmorError):
        age.dearmor(io.BytesIO(broken), io.BytesIO())
