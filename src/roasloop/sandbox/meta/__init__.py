"""The Meta sandbox: a Graph API (Marketing API)-compatible ASGI app over a sandbox world.

:mod:`.api` builds the app; :mod:`.wire` states Graph's error objects
(:class:`~.wire.GraphError`) and request parsing.
"""
