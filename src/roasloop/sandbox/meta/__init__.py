"""The Meta sandbox: a Graph API (Marketing API)-compatible ASGI app over a sandbox world.

:mod:`.api` builds the app; :mod:`.protocol` states Graph's error objects
(:class:`~.protocol.GraphError`) and request parsing.
"""
