"""Page furniture for the pack: A4 geometry in millimetres, fonts, headings and tables.

A :class:`Page` wraps the painter of a :class:`QPdfWriter` (or any A4 device) and turns millimetres
into device pixels. :meth:`Page.table` draws as many rows as fit and returns the rest, so a long
table continues on the next page.
"""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import QColor, QFont, QFontMetricsF, QPainter, QPen

__all__ = ["pack_font", "Page", "PAGE_W", "PAGE_H", "MARGIN", "FONT_FAMILY"]

PAGE_W, PAGE_H, MARGIN = 210.0, 297.0, 15.0
FONT_FAMILY = "DejaVu Sans"
ROW_PAD = 0.5  # mm above and below a table row's text


def pack_font(size: float, bold: bool = False) -> QFont:
    """The pack's font. Ligatures are off, so a PDF reader's text search (and pdftotext) finds
    "Whitfield" as typed rather than with an "fi" ligature glyph."""
    font = QFont(FONT_FAMILY)
    font.setPointSizeF(size)
    font.setBold(bold)
    for tag in ("liga", "clig", "dlig"):
        font.setFeature(QFont.Tag(tag), 0)
    return font


class Page:
    """Drawing helpers over ``painter`` on an A4 device of ``dpi`` dots per inch."""

    def __init__(self, painter: QPainter, dpi: int, footer: str) -> None:
        self.painter = painter
        self.px = dpi / 25.4  # device pixels per millimetre
        self.footer = footer
        self.number = 0

    # -- geometry -------------------------------------------------------------------------------
    def mm(self, value: float) -> float:
        return value * self.px

    def rect(self, x: float, y: float, w: float, h: float) -> QRectF:
        return QRectF(self.mm(x), self.mm(y), self.mm(w), self.mm(h))

    @property
    def bottom(self) -> float:
        return PAGE_H - MARGIN - 8.0  # leave room for the footer

    @property
    def width(self) -> float:
        return PAGE_W - 2 * MARGIN

    # -- text -----------------------------------------------------------------------------------
    def font(self, size: float, bold: bool = False) -> QFont:
        font = pack_font(size, bold)
        self.painter.setFont(font)
        return font

    def metrics(self, font: QFont) -> QFontMetricsF:
        """Metrics on the page's own device (its resolution, not the screen's)."""
        return QFontMetricsF(font, self.painter.device())

    def line_height(self, size: float) -> float:
        return self.metrics(self.font(size)).height() / self.px

    def text(self, x: float, y: float, text: str, size: float = 9, bold: bool = False,
             colour: str = "#111111", width: float | None = None) -> float:
        """Draw ``text`` with its top at (x, y) mm, wrapped to ``width``; the y below it."""
        self.font(size, bold)
        self.painter.setPen(QColor(colour))
        w = self.width - (x - MARGIN) if width is None else width
        box = self.rect(x, y, w, 400)
        flags = int(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop) | int(
            Qt.TextFlag.TextWordWrap)
        used = self.painter.boundingRect(box, flags, text)
        self.painter.drawText(box, flags, text)
        return y + used.height() / self.px

    def heading(self, y: float, text: str, size: float = 15) -> float:
        return self.text(MARGIN, y, text, size, bold=True) + 2.0

    def swatch(self, x: float, y: float, colour: str, size: float = 3.2) -> None:
        self.painter.setPen(QPen(QColor("#333333"), self.mm(0.15)))
        self.painter.setBrush(QColor(colour))
        self.painter.drawRect(self.rect(x, y, size, size))

    def footer_text(self) -> None:
        self.font(7)
        self.painter.setPen(QColor("#555555"))
        box = self.rect(MARGIN, PAGE_H - MARGIN - 4, self.width, 5)
        self.painter.drawText(box, int(Qt.AlignmentFlag.AlignLeft), self.footer)
        self.painter.drawText(box, int(Qt.AlignmentFlag.AlignRight), f"Page {self.number}")

    # -- tables ---------------------------------------------------------------------------------
    def table(self, y: float, headers: Sequence[str], rows: Sequence[Sequence[str]],
              widths: Sequence[float], size: float = 7.5,
              colours: Sequence[str | None] | None = None) -> tuple[float, int]:
        """Draw the header and as many ``rows`` as fit above the footer.

        ``widths`` are column widths in mm; ``colours`` an optional swatch per row (drawn in the
        first column). Returns (y below the table, number of rows drawn).
        """
        p = self.painter
        step = self.line_height(size) + 2 * ROW_PAD
        x0 = MARGIN
        p.setPen(Qt.PenStyle.NoPen)
        p.setBrush(QColor("#e8e6df"))
        p.drawRect(self.rect(x0, y, sum(widths), step))
        self._cells(x0, y, headers, widths, size, bold=True)
        y += step
        drawn = 0
        for i, row in enumerate(rows):
            if y + step > self.bottom:
                break
            if i % 2:
                p.setPen(Qt.PenStyle.NoPen)
                p.setBrush(QColor("#f6f5f1"))
                p.drawRect(self.rect(x0, y, sum(widths), step))
            indent = 0.0
            if colours is not None and colours[i]:
                self.swatch(x0 + 0.8, y + (step - 3.0) / 2, colours[i], 3.0)
                indent = 4.5
            self._cells(x0, y, row, widths, size, indent=indent)
            y += step
            drawn += 1
        p.setPen(QPen(QColor("#9c988c"), self.mm(0.2)))
        p.drawLine(QPointF(self.mm(x0), self.mm(y)), QPointF(self.mm(x0 + sum(widths)),
                                                             self.mm(y)))
        return y + 2.0, drawn

    def _cells(self, x: float, y: float, cells: Sequence[str], widths: Sequence[float],
               size: float, bold: bool = False, indent: float = 0.0) -> None:
        font = self.font(size, bold)
        metrics = self.metrics(font)
        self.painter.setPen(QColor("#111111"))
        step = self.line_height(size) + 2 * ROW_PAD
        for j, (cell, w) in enumerate(zip(cells, widths, strict=False)):
            pad = 1.0 + (indent if j == 0 else 0.0)
            box = self.rect(x + pad, y, w - pad - 0.8, step)
            text = str(cell)
            if j == 0 and metrics.horizontalAdvance(text) > box.width():
                # names are shrunk (down to 60%) before anything is cut: a reader must find them
                shrink = max(0.6, box.width() / metrics.horizontalAdvance(text))
                small = self.font(size * shrink, bold)  # (pack_font, set on the painter)
                text = self.metrics(small).elidedText(text, Qt.TextElideMode.ElideRight,
                                                       box.width())
            else:
                text = metrics.elidedText(text, Qt.TextElideMode.ElideRight, box.width())
            self.painter.drawText(box, int(Qt.AlignmentFlag.AlignVCenter), text)
            self.painter.setFont(font)
            x += w
