"""Centre ids in drags: ``application/x-planner-centre-ids`` (UTF-8, one id a line)."""

from __future__ import annotations

from collections.abc import Iterable

from PySide6.QtCore import QMimeData

__all__ = ["CENTRE_IDS_MIME", "encode_ids", "decode_ids"]

CENTRE_IDS_MIME = "application/x-planner-centre-ids"


def encode_ids(ids: Iterable[str]) -> QMimeData:
    data = QMimeData()
    text = "\n".join(str(i) for i in ids)
    data.setData(CENTRE_IDS_MIME, text.encode("utf-8"))
    data.setText(text)
    return data


def decode_ids(data: QMimeData | None) -> list[str]:
    if data is None or not data.hasFormat(CENTRE_IDS_MIME):
        return []
    raw = bytes(data.data(CENTRE_IDS_MIME).data()).decode("utf-8")
    return [line.strip() for line in raw.splitlines() if line.strip()]
