"""Figures for the marketing dashboard, aggregated in the database over a date range.

Every function takes the session first and keyword-only ``start`` and ``end`` (aware UTC,
half-open ``[start, end)``) and returns frozen dataclasses of plain values, so the console
can render them and export them as CSV without touching ORM objects. One module per group
of figures: ``conversations`` (volume, containment), ``nlu`` (fallbacks, intents,
low-confidence messages), ``funnel``, ``suggestions``, ``money`` (revenue, cost, CAC,
ROI), ``outside`` (campaign results and CLV per segment from their own modules) and
``dashboard``, which gathers them all for one page.
"""
