"""The built-in sandboxes: wire-compatible TikTok, Meta and Google Ads APIs over a simulated market.

Stands apart from the rest of roasloop: it depends on ``roasloop.domain`` value types only,
and only the composition root (:mod:`roasloop.bootstrap_sandbox`), the demo, the back-test
and the sandbox server import it. Live mode never loads it.

* ``market/`` -- the seeded ad-market simulator and its scenarios (also drives back-tests);
* ``tiktok/``, ``meta/``, ``google/`` -- each platform's ASGI app, request checks and errors;
* ``world.py`` -- one sandbox's state: objects in SQLite, the market, injected faults;
* ``clock.py`` -- the time a world reads and how far the sandbox was moved ahead;
* ``credentials.py`` -- the app every sandbox knows; ``inventory.py`` -- what each holds.
"""
