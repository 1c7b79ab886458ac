"""Charts planners would rather look at than read: cover by day and city, hours and fatigue spread."""

from __future__ import annotations

from PySide6.QtCharts import QBarCategoryAxis, QBarSeries, QBarSet, QChart, QChartView, QValueAxis
from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QPainter
from PySide6.QtWidgets import QGridLayout, QWidget

from deployer.domain.roster_figures import RosterFigures


def histogram(values: list[float], bins: int = 12) -> tuple[list[str], list[int]]:
    """Labels and counts of ``values`` in equal-width bins."""
    if not values:
        return [], []
    low, high = min(values), max(values)
    width = (high - low) / bins or 1.0
    counts = [0] * bins
    for v in values:
        counts[min(bins - 1, int((v - low) / width))] += 1
    labels = [f"{low + i * width:.0f}–{low + (i + 1) * width:.0f}" for i in range(bins)]
    return labels, counts


class ChartsView(QWidget):
    """Three charts of one roster's figures, redrawn when the roster changes."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.cover = self._view()
        self.hours = self._view()
        self.fatigue = self._view()
        layout = QGridLayout(self)
        layout.addWidget(self.cover, 0, 0, 1, 2)
        layout.addWidget(self.hours, 1, 0)
        layout.addWidget(self.fatigue, 1, 1)

    def _view(self) -> QChartView:
        view = QChartView(QChart())
        view.setRenderHint(QPainter.RenderHint.Antialiasing)
        view.setMinimumHeight(220)
        return view

    def show_figures(self, figures: RosterFigures, colours: dict[str, QColor]) -> None:
        """Draw the charts of ``figures`` (cities coloured as in the grid)."""
        days = sorted({day for day, _ in figures.cover})
        cities = sorted({city for _, city in figures.cover})
        series = QBarSeries()
        for city in cities:
            bars = QBarSet(city)
            bars.setColor(colours.get(city, QColor("#90caf9")).darker(130))
            for day in days:
                filled, required = figures.cover.get((day, city), (0, 0))
                bars.append(100.0 * filled / required if required else 100.0)
            series.append(bars)
        self._set(
            self.cover,
            "Cover by day and city (% of required places filled)",
            series,
            [f"{d:%d %b}" for d in days],
            "% filled",
            (0, 100),
        )
        for view, title, values, unit in (
            (self.hours, "Hours per person", list(figures.hours.values()), "people"),
            (
                self.fatigue,
                "Fatigue points per person",
                [float(v) for v in figures.fatigue.values()],
                "people",
            ),
        ):
            labels, counts = histogram(values)
            bars = QBarSet(unit)
            bars.append([float(c) for c in counts])
            one = QBarSeries()
            one.append(bars)
            self._set(view, title, one, labels, unit, (0, max(counts, default=1) * 1.1))

    def _set(
        self,
        view: QChartView,
        title: str,
        series: QBarSeries,
        labels: list[str],
        unit: str,
        y_range: tuple[float, float],
    ) -> None:
        chart = QChart()
        chart.setTitle(title)
        chart.addSeries(series)
        x_axis = QBarCategoryAxis()
        x_axis.append(labels)
        y_axis = QValueAxis()
        y_axis.setTitleText(unit)
        y_axis.setRange(*y_range)
        chart.addAxis(x_axis, Qt.AlignmentFlag.AlignBottom)
        chart.addAxis(y_axis, Qt.AlignmentFlag.AlignLeft)
        series.attachAxis(x_axis)
        series.attachAxis(y_axis)
        chart.legend().setVisible(series.count() > 1)
        view.setChart(chart)
