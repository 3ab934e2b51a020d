"""Reading an authority's submission from an application folder (DESIGN §8).

The folder is ``application.toml`` plus every PDF under ``documents/``. Documents may be listed in
the TOML with a title and the features they cover; any PDF not listed is included with a title
made from its file name.
"""

from __future__ import annotations

import hashlib
import tomllib
from pathlib import Path

from panel_desk.core.errors import InvalidInput, NotFound
from panel_desk.core.model import Application, DocumentRef, parse_model

APPLICATION_FILE = "application.toml"
DOCUMENTS_DIR = "documents"
MAX_DOCUMENT_BYTES = 512 * 1024 * 1024


def _title_from_name(name: str) -> str:
    stem = Path(name).stem.replace("_", " ").replace("-", " ").strip()
    return stem[:1].upper() + stem[1:] if stem else name


def _sha256_file(path: Path) -> tuple[str, int]:
    h = hashlib.sha256()
    size = 0
    with path.open("rb") as f:
        while chunk := f.read(1 << 20):
            h.update(chunk)
            size += len(chunk)
    return h.hexdigest(), size


def read_application_toml(path: Path) -> dict:
    """Parse an application.toml; raise InvalidInput naming the file for bad TOML."""
    try:
        return tomllib.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise NotFound(f"There is no {APPLICATION_FILE} in {path.parent}. "
                       "An application folder needs application.toml and a documents folder.") from None
    except (UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
        raise InvalidInput(f"{path}: this is not valid TOML ({exc}).") from None
    except OSError as exc:
        raise InvalidInput(f"Cannot read {path}: {exc.strerror}.") from None


def load_application_dir(folder: Path) -> tuple[Application, dict[str, Path]]:
    """Read and validate an application folder.

    Returns the application (documents with their SHA-256 and size filled in) and a mapping from
    each document's path inside the application to the file on disk. Raises NotFound or
    InvalidInput with every problem named.
    """
    folder = Path(folder)
    if not folder.is_dir():
        raise NotFound(f"{folder} is not a folder. Give the folder that holds application.toml.")
    toml_path = folder / APPLICATION_FILE
    data = read_application_toml(toml_path)
    listed = {d.get("path"): d for d in data.get("documents", []) if isinstance(d, dict)}
    docs_dir = folder / DOCUMENTS_DIR
    on_disk = sorted(p for p in docs_dir.rglob("*") if p.is_file() and p.suffix.lower() == ".pdf") if docs_dir.is_dir() else []
    files: dict[str, Path] = {}
    documents = []
    for p in on_disk:
        rel = p.relative_to(folder).as_posix()
        entry = dict(listed.pop(rel, {"path": rel, "title": _title_from_name(p.name)}))
        with p.open("rb") as f:
            if f.read(5) != b"%PDF-":
                raise InvalidInput(f"{rel} is not a PDF file. Save it as PDF and try again.")
        digest, size = _sha256_file(p)
        if size > MAX_DOCUMENT_BYTES:
            raise InvalidInput(f"{rel} is larger than 512 MB. Split it into smaller documents.")
        entry.update(sha256=digest, size=size, media_type="application/pdf")
        documents.append(entry)
        files[rel] = p
    if listed:
        missing = ", ".join(sorted(str(k) for k in listed))
        raise InvalidInput(f"{toml_path}: these documents are listed but not in the documents folder: {missing}.")
    data["documents"] = documents
    app = parse_model(Application, data, str(toml_path))
    return app, files


def document_ref_for(path_in_app: str, file: Path, title: str = "") -> DocumentRef:
    """A DocumentRef for one file on disk (hash and size computed)."""
    digest, size = _sha256_file(file)
    return DocumentRef(path=path_in_app, title=title or _title_from_name(file.name), sha256=digest, size=size)
