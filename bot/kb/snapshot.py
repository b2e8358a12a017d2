"""A snapshot of the built knowledge base, so that a restart with an unchanged folder does
not index it again. The running bot keeps one beside its database (:class:`Built`: the
files as read, the knowledge base built from them and the secretariat's lessons, and which
lessons: :mod:`bot.kb.service`), written after every build.

Reading and indexing 10,000 entries costs about 3.2 s of CPU on the loaded 2-core machine
(4.3 s before the build was made faster); unpickling the snapshot about 0.3 s. The
snapshot is keyed by a fingerprint of everything the build reads: every ``*.yaml`` of the
folder (bytes), the knowledge base's own code (``bot/kb/*.py``) and the Python version.
Any difference, or any problem reading the snapshot, means a normal build, and the
snapshot is written anew (atomically, readable by its owner only). It lives beside the
database, a folder only the bot may write: a pickle runs code when loaded, so it must
never be read from a place others can write to.
"""

from __future__ import annotations

import hashlib
import logging
import os
import pickle
import sys
from dataclasses import dataclass, field
from pathlib import Path

from bot.kb.knowledge import KnowledgeBase, garbage_collector_paused
from bot.kb.nodes import Contents

log = logging.getLogger(__name__)

_CODE = Path(__file__).resolve().parent
_MAGIC = b"hoibot-knowledge-snapshot 1\n"


def fingerprint(directory: Path) -> bytes:
    """A digest of the folder's YAML files, the knowledge code and the Python version."""
    digest = hashlib.sha256(_MAGIC + sys.version.encode())
    for source in sorted(_CODE.glob("*.py")):
        digest.update(source.name.encode() + b"\0" + source.read_bytes())
    for path in sorted(Path(directory).glob("*.yaml")):
        digest.update(path.name.encode() + b"\0" + path.read_bytes() + b"\0")
    return digest.hexdigest().encode()


@dataclass
class Built:
    """What a build of the running bot made: the files' ``contents`` as read, the ``kb``
    built from them with the ``lessons`` laid over (a digest of them, made by
    :mod:`bot.kb.service`), and each lesson's status."""

    contents: Contents
    kb: KnowledgeBase
    lessons: str = ""
    status: dict[int, str] = field(default_factory=dict)


def read_built(snapshot: Path | str, key: bytes) -> Built | None:
    """The build snapshotted under ``key`` (a :func:`fingerprint` of the folder), or None."""
    built = _read(Path(snapshot), key)
    return built if isinstance(built, Built) else None


def write_built(snapshot: Path | str, key: bytes, built: Built) -> None:
    """Snapshot a build of the folder whose :func:`fingerprint` was ``key`` when read."""
    _write(Path(snapshot), key, built)


def load(directory: Path | str, snapshot: Path | str) -> KnowledgeBase:
    """The knowledge base of ``directory``: from ``snapshot`` if it was taken of the same
    folder and code, else built (raising :class:`~bot.kb.KnowledgeError` on problems) and
    snapshotted."""
    directory, snapshot = Path(directory), Path(snapshot)
    key = fingerprint(directory)
    kb = _read(snapshot, key)
    if isinstance(kb, KnowledgeBase):
        return kb
    kb = KnowledgeBase.load(directory)
    _write(snapshot, key, kb)
    return kb


def save(directory: Path | str, snapshot: Path | str, kb: KnowledgeBase) -> None:
    """Snapshot ``kb``, built from ``directory`` as it is now."""
    _write(Path(snapshot), fingerprint(Path(directory)), kb)


def _read(snapshot: Path, key: bytes) -> object:
    try:
        with snapshot.open("rb") as stream:
            if stream.readline() != _MAGIC or stream.readline().rstrip(b"\n") != key:
                return None
            with garbage_collector_paused():
                kb = pickle.load(stream)
    except FileNotFoundError:
        return None
    except Exception:  # a damaged or foreign snapshot: build instead
        log.warning("knowledge snapshot %s unreadable: building the index again", snapshot,
                    exc_info=True)
        return None
    return kb


def _write(snapshot: Path, key: bytes, kb: object) -> None:
    partial = snapshot.with_name(f"{snapshot.name}.{os.getpid()}.tmp")
    try:
        snapshot.parent.mkdir(parents=True, exist_ok=True)
        descriptor = os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(descriptor, "wb") as stream:
            stream.write(_MAGIC + key + b"\n")
            with garbage_collector_paused():
                pickle.dump(kb, stream, protocol=pickle.HIGHEST_PROTOCOL)
        os.replace(partial, snapshot)
    except OSError as exc:
        # Only the next start is slower (it builds the index again); an unwritable data
        # folder is reported by the start-up checks, so this is a detail for -v.
        log.debug("knowledge snapshot %s not written (%s)", snapshot, exc, exc_info=True)
        try:
            partial.unlink(missing_ok=True)
        except OSError:
            pass
