"""The age payload: STREAM over ChaCha20-Poly1305 in 64 KiB chunks, sequential and seekable.

The nonce of chunk ``i`` is ``i`` as 11 big-endian bytes followed by 0x01 for the final chunk and
0x00 otherwise. The final chunk may be full; it is empty only when the whole payload is empty.
Sequential work is done many chunks per read and per write to keep per-chunk Python overhead low.
"""

from __future__ import annotations

import io
import queue
import threading
from collections import OrderedDict
from collections.abc import Callable
from typing import BinaryIO

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import ChaCha20Poly1305

from panel_desk.core import errors

from ._format import PayloadError, hkdf

CHUNK_SIZE = 65536
TAG_SIZE = 16
ENC_CHUNK_SIZE = CHUNK_SIZE + TAG_SIZE
NONCE_SIZE = 16
BLOCK_CHUNKS = 32  # chunks per read/write batch (2 MiB)
_LAST = b"\x01"
_NOT_LAST = b"\x00"

Progress = Callable[[int], None]
Cancel = Callable[[], bool]


def payload_key(file_key: bytes, nonce: bytes) -> bytes:
    """Return the payload key derived from the file key and the 16-byte payload nonce."""
    return hkdf(file_key, nonce, b"payload")


def _nonce(counter: int, flag: bytes) -> bytes:
    return counter.to_bytes(11, "big") + flag


def fill(src: BinaryIO, buf: memoryview) -> int:
    """Read from ``src`` into ``buf`` until it is full or ``src`` ends; return the bytes read."""
    got = 0
    total = len(buf)
    readinto = getattr(src, "readinto", None)
    while got < total:
        if readinto is not None:
            n = readinto(buf[got:])
        else:
            data = src.read(total - got)
            n = len(data)
            buf[got : got + n] = data
        if not n:
            break
        got += n
    return got


def write_all(dst: BinaryIO, data: memoryview) -> None:
    """Write all of ``data`` (raw files may accept only part of a write)."""
    done = 0
    while done < len(data):
        n = dst.write(data[done:])
        if n is None or n >= len(data) - done:
            return
        done += n


class _Writer:
    """Writes batches to ``dst`` in order, on a helper thread once a stream spans several batches.

    cryptography and file writes both release the GIL, so writing batch ``k`` while batch ``k+1``
    is being encrypted or decrypted overlaps the two. :meth:`write` waits for the previous batch,
    so with two alternating buffers a buffer is never reused while it is being written.
    """

    def __init__(self, dst: BinaryIO) -> None:
        self._dst = dst
        self._thread: threading.Thread | None = None
        self._jobs: queue.SimpleQueue[memoryview | None] = queue.SimpleQueue()
        self._done = threading.Semaphore(0)
        self._busy = False
        self._error: BaseException | None = None

    def _loop(self) -> None:
        while (data := self._jobs.get()) is not None:
            try:
                write_all(self._dst, data)
            except BaseException as exc:  # handed back to the caller by wait()
                self._error = exc
            finally:
                self._done.release()

    def write(self, data: memoryview, background: bool) -> None:
        """Write ``data`` after the previous batch, on the helper thread if ``background``."""
        self.wait()
        if not background:
            write_all(self._dst, data)
            return
        if self._thread is None:
            self._thread = threading.Thread(target=self._loop, name="age-writer", daemon=True)
            self._thread.start()
        self._busy = True
        self._jobs.put(data)

    def wait(self) -> None:
        """Wait for the batch being written; re-raise its error, if any."""
        if self._busy:
            self._done.acquire()
            self._busy = False
        error, self._error = self._error, None
        if error is not None:
            raise error

    def close(self) -> None:
        """Wait for the last batch and stop the helper thread."""
        try:
            self.wait()
        finally:
            if self._thread is not None:
                self._jobs.put(None)
                self._thread.join()
                self._thread = None


def _check_cancel(cancel: Cancel | None) -> None:
    if cancel is not None and cancel():
        raise errors.Cancelled()


def encrypt_payload(
    key: bytes,
    src: BinaryIO,
    dst: BinaryIO,
    progress: Progress | None = None,
    cancel: Cancel | None = None,
) -> None:
    """Encrypt all of ``src`` to ``dst`` as STREAM chunks under ``key``.

    Raises :class:`panel_desk.core.errors.Cancelled` if ``cancel()`` returns True.
    """
    aead = ChaCha20Poly1305(key)
    encrypt_into = aead.encrypt_into
    span = BLOCK_CHUNKS * CHUNK_SIZE
    inbuf = bytearray(span + 1)  # one byte more than a batch tells whether the batch ends the file
    inmv = memoryview(inbuf)
    outmvs = [memoryview(bytearray(BLOCK_CHUNKS * ENC_CHUNK_SIZE)) for _ in range(2)]
    writer = _Writer(dst)
    avail = 0
    counter = 0
    done = 0
    try:
        while True:
            _check_cancel(cancel)
            avail += fill(src, inmv[avail:])
            final = avail <= span
            count = BLOCK_CHUNKS if not final else max(1, -(-avail // CHUNK_SIZE))
            outmv = outmvs[counter // BLOCK_CHUNKS % 2]
            out = 0
            for j in range(count):
                start = j * CHUNK_SIZE
                end = min(start + CHUNK_SIZE, avail)
                flag = _LAST if final and j == count - 1 else _NOT_LAST
                size = end - start + TAG_SIZE
                encrypt_into(_nonce(counter, flag), inmv[start:end], None, outmv[out : out + size])
                out += size
                counter += 1
            writer.write(outmv[:out], background=not final or counter > count)
            done += avail if final else span
            if progress is not None:
                progress(done)
            if final:
                return
            inmv[0:1] = inmv[span : span + 1]
            avail = 1
    finally:
        writer.close()


def _middle_failed(aead: ChaCha20Poly1305, counter: int, chunk: memoryview, writer: _Writer) -> PayloadError:
    """Explain why a chunk followed by more data did not open as a middle chunk.

    If it opens as a final chunk its plaintext is released (like the reference implementation)
    and the error is about the data after it.
    """
    try:
        plain = aead.decrypt(_nonce(counter, _LAST), chunk, None)
    except InvalidTag:
        return PayloadError(f"chunk {counter} failed authentication")
    writer.write(memoryview(plain), background=False)
    return PayloadError(f"data after the final chunk {counter}")


def decrypt_payload(
    key: bytes,
    src: BinaryIO,
    prefix: bytes,
    dst: BinaryIO,
    progress: Progress | None = None,
    cancel: Cancel | None = None,
) -> None:
    """Decrypt the STREAM payload (``prefix`` then the rest of ``src``) to ``dst``.

    Every chunk is written only after it authenticates, so on failure ``dst`` holds exactly the
    verified plaintext before the fault. Raises :class:`PayloadError` for damaged, truncated,
    reordered or extended payloads and :class:`panel_desk.core.errors.Cancelled` on cancel.
    """
    aead = ChaCha20Poly1305(key)
    decrypt_into = aead.decrypt_into
    span = BLOCK_CHUNKS * ENC_CHUNK_SIZE
    inbuf = bytearray(span + ENC_CHUNK_SIZE)  # a batch plus one chunk that may be the final one
    inmv = memoryview(inbuf)
    outmvs = [memoryview(bytearray((BLOCK_CHUNKS + 1) * CHUNK_SIZE)) for _ in range(2)]
    writer = _Writer(dst)
    inmv[: len(prefix)] = prefix
    avail = len(prefix)
    counter = 0
    batch = 0
    done = 0
    try:
        while True:
            _check_cancel(cancel)
            avail += fill(src, inmv[avail:])
            final = avail < len(inbuf)
            if final:
                if avail == 0:
                    raise PayloadError("payload has no chunks")
                middle = (avail - 1) // ENC_CHUNK_SIZE
            else:
                middle = BLOCK_CHUNKS
            outmv = outmvs[batch % 2]
            batch += 1
            for j in range(middle):
                start = j * ENC_CHUNK_SIZE
                chunk = inmv[start : start + ENC_CHUNK_SIZE]
                try:
                    decrypt_into(
                        _nonce(counter, _NOT_LAST), chunk, None, outmv[j * CHUNK_SIZE : (j + 1) * CHUNK_SIZE]
                    )
                except InvalidTag:
                    writer.write(outmv[: j * CHUNK_SIZE], background=False)
                    raise _middle_failed(aead, counter, chunk, writer) from None
                counter += 1
            out = middle * CHUNK_SIZE
            if final:
                start = middle * ENC_CHUNK_SIZE
                chunk = inmv[start:avail]
                if len(chunk) < TAG_SIZE:
                    writer.write(outmv[:out], background=False)
                    raise PayloadError("final chunk is shorter than its tag")
                if len(chunk) == TAG_SIZE and counter:
                    writer.write(outmv[:out], background=False)
                    raise PayloadError("final chunk is empty")
                plain_len = len(chunk) - TAG_SIZE
                try:
                    decrypt_into(_nonce(counter, _LAST), chunk, None, outmv[out : out + plain_len])
                except InvalidTag:
                    writer.write(outmv[:out], background=False)
                    if len(chunk) == ENC_CHUNK_SIZE:
                        try:
                            plain = aead.decrypt(_nonce(counter, _NOT_LAST), chunk, None)
                        except InvalidTag:
                            pass
                        else:
                            writer.write(memoryview(plain), background=False)
                            raise PayloadError("file is truncated: no final chunk") from None
                    raise PayloadError(f"chunk {counter} failed authentication") from None
                out += plain_len
            writer.write(outmv[:out], background=not final)
            done += out
            if progress is not None:
                progress(done)
            if final:
                return
            inmv[:ENC_CHUNK_SIZE] = inmv[span:]
            avail = ENC_CHUNK_SIZE
    finally:
        writer.close()


class SeekableReader(io.RawIOBase):
    """Random access to the plaintext of an age file, decrypting only the chunks a read needs.

    ``size`` is the plaintext length. The final chunk is authenticated as final when the reader
    is opened, so a file cut at a chunk boundary is refused up front. Up to ``cache_chunks``
    decrypted chunks are kept. Use it from one thread at a time (a lock guards against misuse).
    ``close()`` drops the cache; it does not close the underlying file.
    """

    @property
    def chunks_decrypted(self) -> int:
        """How many chunks this reader has decrypted so far (cache misses): lazy reads are measurable."""
        return self._chunks_decrypted

    def __init__(self, src: BinaryIO, key: bytes, payload_start: int, cache_chunks: int = 8) -> None:
        super().__init__()
        self._src = src
        self._aead = ChaCha20Poly1305(key)
        self._start = payload_start
        self._lock = threading.Lock()
        self._cache: OrderedDict[int, bytes] = OrderedDict()
        self._cache_chunks = max(1, cache_chunks)
        self._pos = 0
        self._chunks_decrypted = 0
        payload_len = src.seek(0, io.SEEK_END) - payload_start
        if payload_len <= 0:
            raise PayloadError("payload has no chunks")
        full, rest = divmod(payload_len, ENC_CHUNK_SIZE)
        if rest == 0:
            self._chunks, self._last_len = full, ENC_CHUNK_SIZE
        else:
            if rest < TAG_SIZE:
                raise PayloadError("final chunk is shorter than its tag")
            if rest == TAG_SIZE and full:
                raise PayloadError("final chunk is empty")
            self._chunks, self._last_len = full + 1, rest
        self.size: int = (self._chunks - 1) * CHUNK_SIZE + self._last_len - TAG_SIZE
        self._chunk(self._chunks - 1)

    def _chunk(self, index: int) -> bytes:
        cached = self._cache.get(index)
        if cached is not None:
            self._cache.move_to_end(index)
            return cached
        last = index == self._chunks - 1
        want = self._last_len if last else ENC_CHUNK_SIZE
        self._src.seek(self._start + index * ENC_CHUNK_SIZE)
        data = self._src.read(want + 1 if last else want)
        if len(data) != want:
            raise PayloadError("the file changed size while it was open")
        try:
            plain = self._aead.decrypt(_nonce(index, _LAST if last else _NOT_LAST), data, None)
        except InvalidTag:
            raise PayloadError(f"chunk {index} failed authentication") from None
        self._chunks_decrypted += 1
        self._cache[index] = plain
        if len(self._cache) > self._cache_chunks:
            self._cache.popitem(last=False)
        return plain

    def readable(self) -> bool:
        """Return True."""
        return True

    def seekable(self) -> bool:
        """Return True."""
        return True

    def _check_open(self) -> None:
        if self.closed:
            raise ValueError("I/O operation on closed file.")

    def readinto(self, buffer: bytearray | memoryview) -> int:  # type: ignore[override]
        """Fill ``buffer`` from the current position; return the bytes read (0 at the end).

        Raises :class:`PayloadError` if a needed chunk is damaged.
        """
        self._check_open()
        with self._lock:
            mv = memoryview(buffer).cast("B")
            n = max(0, min(len(mv), self.size - self._pos))
            got = 0
            while got < n:
                index, offset = divmod(self._pos + got, CHUNK_SIZE)
                plain = self._chunk(index)
                take = min(len(plain) - offset, n - got)
                mv[got : got + take] = plain[offset : offset + take]
                got += take
            self._pos += got
            return got

    def read(self, size: int | None = -1) -> bytes:
        """Return up to ``size`` bytes from the current position (all the rest if negative).

        Raises :class:`PayloadError` if a needed chunk is damaged.
        """
        self._check_open()
        if size is None or size < 0:
            size = max(0, self.size - self._pos)
        buf = bytearray(max(0, min(size, self.size - self._pos)))
        got = self.readinto(buf)
        del buf[got:]
        return bytes(buf)

    def readall(self) -> bytes:
        """Return everything from the current position to the end."""
        return self.read(-1)

    def seek(self, offset: int, whence: int = io.SEEK_SET) -> int:
        """Move to ``offset`` relative to ``whence``; return the new position."""
        self._check_open()
        with self._lock:
            if whence == io.SEEK_SET:
                pos = offset
            elif whence == io.SEEK_CUR:
                pos = self._pos + offset
            elif whence == io.SEEK_END:
                pos = self.size + offset
            else:
                raise ValueError(f"invalid whence {whence}")
            if pos < 0:
                raise ValueError("negative seek position")
            self._pos = pos
            return pos

    def tell(self) -> int:
        """Return the current position."""
        self._check_open()
        return self._pos

    def close(self) -> None:
        """Drop the decrypted cache (the underlying file stays open)."""
        self._cache.clear()
        super().close()
