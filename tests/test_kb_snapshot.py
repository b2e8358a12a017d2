"""A restart with an unchanged knowledge folder reads the snapshot instead of indexing
again; any change to the folder, or a damaged snapshot, means a fresh build."""

from __future__ import annotations

import os
from pathlib import Path

from bot.kb import snapshot
from tests.kb_fixtures import copy_knowledge, entry_yaml, write_knowledge_file


def test_an_unchanged_folder_is_read_from_its_snapshot(tmp_path: Path) -> None:
    knowledge = copy_knowledge(tmp_path)
    taken = tmp_path / "data" / "knowledge-snapshot.pickle"
    first = snapshot.load(knowledge, taken)
    assert taken.stat().st_mode & 0o777 == 0o600
    written = taken.stat().st_mtime_ns
    again = snapshot.load(knowledge, taken)
    assert taken.stat().st_mtime_ns == written  # read, not written again
    assert again.ask("hoi phi bao nhieu") == first.ask("hoi phi bao nhieu")
    assert again.ask("BCH khoa II co bao nhieu uy vien").entry_id == "congress-2"


def test_an_edited_folder_is_indexed_again(tmp_path: Path) -> None:
    knowledge = copy_knowledge(tmp_path)
    taken = tmp_path / "knowledge-snapshot.pickle"
    assert snapshot.load(knowledge, taken).ask("giờ mở cửa thư viện số").status != "answered"
    write_knowledge_file(knowledge, "extra.yaml", "entries:\n" + entry_yaml(
        "opening-hours", "Giờ mở cửa thư viện số", "Thư viện số mở cửa lúc nào?",
        "Thư viện số mở cửa cả ngày (FICTIONAL).",
    ))
    assert snapshot.load(knowledge, taken).ask("giờ mở cửa thư viện số").entry_id == (
        "opening-hours"
    )


def test_a_damaged_snapshot_is_built_again(tmp_path: Path) -> None:
    knowledge = copy_knowledge(tmp_path)
    taken = tmp_path / "knowledge-snapshot.pickle"
    snapshot.load(knowledge, taken)
    image = taken.read_bytes()
    taken.write_bytes(image[: len(image) // 2])
    os.utime(taken, ns=(1, 1))
    assert snapshot.load(knowledge, taken).ask("hoi phi bao nhieu").entry_id == "fee"
    assert taken.stat().st_mtime_ns != 1  # written anew
