"""The recommendation: the most ambitious option whose P(meet) reaches the threshold."""

import numpy as np

from planlib.tracking.proposal_recommend import recommend


def test_recommend_most_ambitious_meeting_the_threshold():
    assert recommend([5.0, 7.0, 9.0], [0.9, 0.75, 0.4], 1, 0.7) == (1, True)
    assert recommend([5.0, 7.0, 9.0], [0.9, 0.75, 0.4], 1, 0.8) == (0, True)
    # lower is more ambitious (a ceiling)
    assert recommend([5.0, 4.0, 3.0], [0.95, 0.8, 0.3], -1, 0.7) == (1, True)
    # none reaches it: the likeliest
    assert recommend([5.0, 7.0], [0.6, 0.3], 1, 0.7) == (0, False)
    # a binding floor (the guidance) excludes weaker options even when they are likelier
    assert recommend([15.0, 17.0, 20.0], [0.99, 0.6, 0.2], 1, 0.9, floor=17.0) == (1, False)
    assert recommend([np.nan, 3.0], [0.9, 0.8], 1, 0.7) == (1, True)
