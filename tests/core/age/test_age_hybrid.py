"""The post-quantum hybrid recipient (mlkem768x25519) beyond the test kit, and two hostile-input bounds.

Issue 12.6: an armored file with an over-long line is refused at once, reading a bounded amount.
"""

from __future__ import annotations

import io
import os

import pytest

from panel_desk.core import age, errors
from panel_desk.core.age import _format


def test_round_trip_and_the_key_strings() -> None:
    me = age.HybridIdentity.generate()
    text = me.recipient.to_string()
    assert text.startswith("age1pq1") and age.HybridRecipient.parse(text) == me.recipient
    assert me.to_string().startswith("AGE-SECRET-KEY-PQ-1")
    assert age.HybridIdentity.parse(me.to_string()).recipient == me.recipient
    data = os.urandom(200_000)
    sealed = age.encrypt_bytes([me.recipient], data)
    assert age.header_stanza_types(io.BytesIO(sealed)) == ["mlkem768x25519"]
    assert age.decrypt_bytes([me], sealed) == data
    assert "AGE-SECRET" not in repr(me)


def test_a_classic_key_does_not_open_a_hybrid_file_and_vice_versa() -> None:
    hybrid, classic = age.HybridIdentity.generate(), age.X25519Identity.generate()
    with pytest.raises(age.NoIdentityMatch):
        age.decrypt_bytes([classic], age.encrypt_bytes([hybrid.recipient], b"x"))
    with pytest.raises(age.NoIdentityMatch):
        age.decrypt_bytes([hybrid], age.encrypt_bytes([classic.recipient], b"x"))


def test_hybrid_and_classic_recipients_are_never_mixed_in_one_file() -> None:
    hybrid, classic = age.HybridIdentity.generate(), age.X25519Identity.generate()
    with pytest.raises(ValueError, match="post-quantum"):
        age.encrypt_bytes([hybrid.recipient, classic.recipient], b"x")
    with pytest.raises(ValueError, match="passphrase"):
        age.encrypt_bytes([hybrid.recipient, age.ScryptRecipient("pw", work_factor=2)], b"x")


@pytest.mark.parametrize("text", ["age1pq1", "age1qqqq", "AGE-SECRET-KEY-PQ-1QQQQ", ""])
def test_bad_key_strings_are_refused_in_words(text: str) -> None:
    with pytest.raises(errors.InvalidInput, match="post-quantum"):
        age.HybridRecipient.parse(text)
    with pytest.raises(errors.InvalidInput, match="post-quantum"):
        age.HybridIdentity.parse(text)


def test_a_classic_recipient_string_is_not_a_hybrid_one() -> None:
    with pytest.raises(errors.InvalidInput):
        age.HybridRecipient.parse(age.X25519Identity.generate().recipient.to_string())


def test_header_for_ten_hybrid_recipients_fits_comfortably() -> None:
    people = [age.HybridIdentity.generate() for _ in range(10)]
    sealed = age.encrypt_bytes([p.recipient for p in people], b"")
    header_size = sealed.index(b"\n---") + 1 + 47  # "--- " + 43 base64 characters of MAC + LF
    assert header_size < _format.MAX_HEADER_SIZE
    assert age.decrypt_bytes([people[-1]], sealed) == b""


# --- issue 12.6: armor lines are 64 columns; longer is refused at once --------------------------


class _EndlessLine(io.RawIOBase):
    """An armored file whose second line never ends: counts the bytes anyone reads from it."""

    def __init__(self) -> None:
        self.given = 0
        self._begin = b"-----BEGIN AGE ENCRYPTED FILE-----\n"

    def readable(self) -> bool:
        return True

    def readinto(self, buffer) -> int:
        n = len(buffer)
        head = len(self._begin)
        chunk = self._begin[self.given : self.given + n] if self.given < head else b"A" * n
        buffer[: len(chunk)] = chunk
        self.given += len(chunk)
        if self.given > 400 * 1024 * 1024:  # pragma: no cover - the bug this test guards against
            raise AssertionError("read 400 MB of one line")
        return len(chunk)


def test_an_endless_armor_line_is_refused_after_reading_little() -> None:
    src = _EndlessLine()
    with pytest.raises(age.ArmorError):
        age.decrypt([age.X25519Identity.generate()], src, io.BytesIO())
    assert src.given <= 4 * 1024 * 1024


def test_an_over_long_line_in_the_middle_is_refused_too() -> None:
    me = age.X25519Identity.generate()
    text = age.encrypt_bytes([me.recipient], os.urandom(5000), armor=True).split(b"\n")
    text[3] = text[3] + text[4]  # 128 columns
    del text[4]
    with pytest.raises(age.ArmorError):
        age.decrypt_bytes([me], b"\n".join(text))
    with pytest.raises(age.ArmorError):
        age.dearmor(io.BytesIO(b"\n".join(text)), io.BytesIO())


def test_work_factor_refusal_is_its_own_error() -> None:
    sealed = age.encrypt_bytes([age.ScryptRecipient("pw", work_factor=12)], b"x")
    with pytest.raises(age.WorkFactorTooHigh) as err:
        age.decrypt_bytes([age.ScryptIdentity("pw", max_work_factor=11)], sealed)
    assert (err.value.work_factor, err.value.limit) == (12, 11)
    assert isinstance(err.value, age.HeaderError)


def test_hybrid_keys_of_the_wrong_size_or_shape_are_refused_in_words() -> None:
    with pytest.raises(errors.InvalidInput, match="1216 bytes"):
        age.HybridRecipient(bytes(100))
    with pytest.raises(errors.InvalidInput, match="ML-KEM key is invalid"):
        age.HybridRecipient(b"\xff" * 1216)  # coefficients over the modulus
    with pytest.raises(errors.InvalidInput, match="32 bytes"):
        age.HybridIdentity(bytes(31))


def test_hybrid_keys_compare_print_and_hash_by_value() -> None:
    me = age.HybridIdentity(bytes(range(32)))
    assert me.to_bytes() == bytes(range(32))
    again = age.HybridIdentity.parse(me.to_string())
    assert again.recipient == me.recipient and hash(again.recipient) == hash(me.recipient)
    assert len({me.recipient, again.recipient}) == 1
    assert me.recipient != age.X25519Identity.generate().recipient
    assert str(me.recipient) == me.recipient.to_string()
    assert repr(me.recipient).startswith("HybridRecipient('age1pq1") and "AGE-SECRET" not in repr(me)


def test_armor_ending_in_a_long_unterminated_line_is_refused() -> None:
    text = b"-----BEGIN AGE ENCRYPTED FILE-----\n" + b"A" * 64 + b"\n" + b"B" * 200
    with pytest.raises(age.ArmorError):
        age.dearmor(io.BytesIO(text), io.BytesIO())
