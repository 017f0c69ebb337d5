"""The consultation pack (an A4 PDF drawn with QPdfWriter + QPainter) and map images.

- :func:`~planner.ui.report.content.build_content`: what the pack says (no Qt).
- :func:`~planner.ui.report.writer.pack_steps` / :func:`~planner.ui.report.writer.write_pack`:
  draw it, page by page.
- :func:`~planner.ui.report.image.save_map_image`: the map view as PNG or SVG.
- :func:`~planner.ui.report.offscreen.ensure_gui`: a Qt application for headless use (the CLI).
"""

from planner.ui.report.content import PackContent, build_content
from planner.ui.report.offscreen import ensure_gui
from planner.ui.report.writer import pack_steps, write_pack

__all__ = ["PackContent", "build_content", "pack_steps", "write_pack", "ensure_gui"]
