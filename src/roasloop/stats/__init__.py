"""roasloop.stats — pure statistics on sufficient statistics (no I/O, no clock).

Entry point: :func:`roasloop.stats.analysis.analyze` (creative A/B tests).

Building blocks, each returning result objects with an ``error`` field rather than raising on
degenerate input: :mod:`~roasloop.stats.proportions` (Wilson, z-test, log-ratio lift),
:mod:`~roasloop.stats.chi_square` (Pearson, Fisher, Monte-Carlo exact, CMH),
:mod:`~roasloop.stats.sequential` (mSPRT / confidence sequences),
:mod:`~roasloop.stats.bayesian` (chance to win / be best, expected loss),
:mod:`~roasloop.stats.multiple` (Holm, BH), :mod:`~roasloop.stats.power` (sample size, days
remaining), :mod:`~roasloop.stats.ratio` (delta-method ROAS/CPA), :mod:`~roasloop.stats.strata`
(Mantel–Haenszel, post-stratification) and :mod:`~roasloop.stats.guards` (SRM, Simpson).
"""
