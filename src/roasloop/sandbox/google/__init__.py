"""The Google Ads sandbox: a Google Ads API (REST)-compatible ASGI app over a sandbox world.

:mod:`.api` builds the app; :mod:`.protocol` states Google's error shapes
(:class:`~.protocol.GoogleAdsFault`), resource names and limits; :mod:`.gaql` parses the query
language (its own :class:`~.gaql.GaqlError`).
"""
