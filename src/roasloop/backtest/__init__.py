"""Back-testing budget policies on the seeded market simulator.

:mod:`.engine` runs one scenario × seed × policy against a fresh :class:`Market`;
:mod:`.policies` adapts the budget policies (and ``static``), :mod:`.oracle` is the
perfect-knowledge reference; :mod:`.suite` runs the grid, :mod:`.metrics` summarises it,
:mod:`.output` and :mod:`.chart` write ``results.csv``, ``summary.csv``, tables and the SVG.
"""
