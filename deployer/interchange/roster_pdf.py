"""A printable roster for a commander: cover page, coverage summary, rosters by city and site.

fpdf2 lays out the pages; the DejaVu fonts shipped in ``resources/fonts`` print any name
(accents, apostrophes, non-Latin scripts) where PDF's built-in fonts know only Latin-1.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import UTC, datetime
from pathlib import Path

from fpdf import FPDF

from deployer.domain.roster_lines import RosterLine
from deployer.interchange.roster_export import RosterSheet

FONT = "DejaVu"


class _Document(FPDF):
    def __init__(self, title: str, fonts: Path) -> None:
        super().__init__(orientation="landscape", format="A4")
        self.title_text = title
        self.add_font(FONT, "", str(fonts / "DejaVuSans.ttf"))
        self.add_font(FONT, "B", str(fonts / "DejaVuSans-Bold.ttf"))
        self.set_auto_page_break(auto=True, margin=15)
        self.alias_nb_pages()

    def footer(self) -> None:
        self.set_y(-12)
        self.set_font(FONT, "", 8)
        self.cell(0, 8, f"{self.title_text} · page {self.page_no()} of {{nb}}", align="C")


def write_pdf(sheet: RosterSheet, path: Path, fonts: Path) -> int:
    """Write the PDF; returns the number of pages."""
    pdf = _Document(sheet.title, fonts)
    _cover(pdf, sheet)
    by_site: dict[tuple[str, str], list[RosterLine]] = defaultdict(list)
    for line in sheet.lines:
        by_site[(line.city_name, line.site_name)].append(line)
    city = None
    for (city_name, site_name), lines in sorted(by_site.items()):
        if city_name != city:
            pdf.add_page()
            pdf.set_font(FONT, "B", 16)
            pdf.cell(0, 10, city_name, new_x="LMARGIN", new_y="NEXT")
            city = city_name
        _site(pdf, site_name, lines)
    pdf.output(str(path))
    return pdf.page_no()


def _cover(pdf: _Document, sheet: RosterSheet) -> None:
    pdf.add_page()
    pdf.set_font(FONT, "B", 20)
    pdf.multi_cell(0, 12, sheet.title, new_x="LMARGIN", new_y="NEXT")
    pdf.set_font(FONT, "", 11)
    facts = [
        ("Operation", sheet.operation),
        ("Plan version", str(sheet.version)),
        ("Status", sheet.status),
        ("Approval", sheet.approval or "not approved"),
        ("Note", sheet.note or "—"),
        ("Dates", f"{sheet.days[0]:%a %d %b %Y} to {sheet.days[-1]:%a %d %b %Y}" if sheet.days else "—"),
        ("Times", f"local time, {sheet.timezone}"),
        ("Printed", f"{datetime.now(UTC):%Y-%m-%d %H:%M} UTC"),
    ]
    for label, value in facts:
        pdf.set_font(FONT, "B", 11)
        pdf.cell(40, 7, label)
        pdf.set_font(FONT, "", 11)
        pdf.multi_cell(0, 7, value, new_x="LMARGIN", new_y="NEXT")
    pdf.ln(4)
    pdf.set_font(FONT, "B", 13)
    pdf.cell(0, 9, "Coverage", new_x="LMARGIN", new_y="NEXT")
    totals: dict[str, list[int]] = defaultdict(lambda: [0, 0, 0, 0])
    for c in sheet.coverage:
        row = totals[c.city]
        row[0] += 1
        row[1] += c.required
        row[2] += min(c.filled, c.required)
        row[3] += c.short
    pdf.set_font(FONT, "", 10)
    with pdf.table(
        col_widths=(50, 30, 30, 30, 30), text_align=("LEFT", "RIGHT", "RIGHT", "RIGHT", "RIGHT")
    ) as table:
        table.row(["City", "Shifts", "Required", "Filled", "Short"])
        for city, (shifts, required, filled, short) in sorted(totals.items()):
            table.row([city, str(shifts), str(required), str(filled), str(short)])
    pdf.ln(10)
    pdf.set_font(FONT, "", 11)
    pdf.cell(
        0, 8, "Approved by: ______________________   Signature: ______________________   Date: ____________"
    )


def _site(pdf: _Document, site_name: str, lines: list[RosterLine]) -> None:
    pdf.set_font(FONT, "B", 12)
    pdf.cell(0, 9, site_name, new_x="LMARGIN", new_y="NEXT")
    pdf.set_font(FONT, "", 8)
    with pdf.table(
        col_widths=(28, 16, 26, 50, 30, 26, 40, 30), first_row_as_headings=True, repeat_headings=1
    ) as table:
        table.row(["Date", "Shift", "Time", "Name", "Rank", "Service no.", "Skills", "Travel"])
        for line in lines:
            travel = f"{line.travel_minutes} min" + (" · lodged" if line.lodged else "")
            table.row(
                [
                    f"{line.start:%a %d %b}",
                    line.label,
                    f"{line.start:%H:%M}-{line.end:%H:%M}",
                    line.name,
                    line.rank,
                    line.service_number,
                    ", ".join(line.skills_used),
                    travel,
                ]
            )
    pdf.ln(4)
