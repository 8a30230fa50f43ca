"""Tracking: actuals against the plan, review, roll-forward to the next period.

``actuals`` (read and validate observed values), ``review`` (progress classes,
final 完成情况), ``rollforward`` (the next plan period's scenario), ``proposals``
(十五五 target options with P(meet)) and ``superior`` (the check against the superior plan).

``review`` and ``proposals`` are entry points over one module per concept (``review_*``,
``proposal_*``); every name they exported is still importable from them.
"""
