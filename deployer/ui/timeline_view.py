"""One person's fortnight at a glance: a row per day, shifts, travel, rest and lodging drawn to scale."""

from __future__ import annotations

from datetime import date, datetime, timedelta

from PySide6.QtCore import QRectF, QSize, Qt
from PySide6.QtGui import QBrush, QColor, QPainter, QPaintEvent, QPen
from PySide6.QtWidgets import QWidget

from deployer.domain.timeline import Stretch, TimelineItem

ROW = 22
LABEL = 80
STYLE = {
    Stretch.TRAVEL: (QColor("#9e9e9e"), Qt.BrushStyle.BDiagPattern),
    Stretch.REST: (QColor("#c8e6c9"), Qt.BrushStyle.SolidPattern),
    Stretch.LODGING: (QColor("#d1c4e9"), Qt.BrushStyle.SolidPattern),
}


class TimelineView(QWidget):
    """Rows are days, the x axis the 24 hours; a stretch that crosses midnight continues below."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.days: list[date] = []
        self.items: list[TimelineItem] = []
        self.colours: dict[str, QColor] = {}
        self.setMinimumWidth(500)

    def show_items(self, days: list[date], items: list[TimelineItem], colours: dict[str, QColor]) -> None:
        """Draw ``items`` over ``days`` (each local to the operation)."""
        self.days, self.items, self.colours = days, items, colours
        self.setMinimumHeight(ROW * (len(days) + 1) + 4)
        self.updateGeometry()
        self.update()

    def sizeHint(self) -> QSize:
        return QSize(800, ROW * (len(self.days) + 1) + 4)

    def paintEvent(self, event: QPaintEvent) -> None:  # noqa: ARG002 - Qt's signature
        painter = QPainter(self)
        painter.fillRect(self.rect(), self.palette().base())
        width = max(1.0, self.width() - LABEL - 4)
        per_hour = width / 24
        painter.setPen(QPen(QColor("#bbbbbb")))
        for hour in range(0, 25, 3):
            x = LABEL + hour * per_hour
            painter.drawLine(int(x), ROW, int(x), ROW * (len(self.days) + 1))
            painter.drawText(QRectF(x - 20, 0, 40, ROW), Qt.AlignmentFlag.AlignCenter, f"{hour:02d}")
        row_of = {d: i for i, d in enumerate(self.days)}
        for i, day in enumerate(self.days):
            painter.setPen(QPen(self.palette().text().color()))
            painter.drawText(
                QRectF(2, ROW * (i + 1), LABEL - 4, ROW), Qt.AlignmentFlag.AlignVCenter, f"{day:%a %d %b}"
            )
        for item in self.items:
            for day, start_h, end_h in _pieces(item.start, item.end):
                if day not in row_of:
                    continue
                top = ROW * (row_of[day] + 1)
                rect = QRectF(LABEL + start_h * per_hour, top + 3, (end_h - start_h) * per_hour, ROW - 6)
                self._draw(painter, item, rect)
        painter.end()

    def _draw(self, painter: QPainter, item: TimelineItem, rect: QRectF) -> None:
        if item.kind == Stretch.SHIFT:
            painter.setBrush(QBrush(self.colours.get(item.city, QColor("#90caf9"))))
            painter.setPen(QPen(QColor("#1f3a5f")))
        else:
            colour, style = STYLE[item.kind]
            painter.setBrush(QBrush(colour, style))
            painter.setPen(Qt.PenStyle.NoPen)
            rect = rect.adjusted(0, 3, 0, -3) if item.kind != Stretch.TRAVEL else rect
        painter.drawRect(rect)
        if item.kind != Stretch.TRAVEL and rect.width() > 40:
            painter.setPen(QPen(QColor("#202020")))
            painter.drawText(rect.adjusted(3, 0, -2, 0), Qt.AlignmentFlag.AlignVCenter, item.text)


def _pieces(start: datetime, end: datetime) -> list[tuple[date, float, float]]:
    """Split a stretch at local midnights into (day, start hour, end hour) pieces."""
    out = []
    while start < end:
        midnight = datetime.combine(start.date() + timedelta(days=1), datetime.min.time(), start.tzinfo)
        stop = min(end, midnight)
        hours = (stop - start).total_seconds() / 3600
        begin = start.hour + start.minute / 60
        out.append((start.date(), begin, begin + hours))
        start = stop
    return out
