"""Workbook: what a planner sees in JupyterLab — charts, widgets, rendered and batch notebooks.

The top room: it reads trajectories and reports from the rooms below and never
computes a figure of its own. ``charts`` (matplotlib with the bundled Chinese font),
``widgets`` (what-if), ``mc_widgets``, ``review_widgets``, ``review_charts``,
``structure_charts``, ``render`` (offline HTML), ``batch`` (papermill), ``share`` (one offline
HTML file whose sliders recompute in the browser from the compiled model, carried as data).
"""
