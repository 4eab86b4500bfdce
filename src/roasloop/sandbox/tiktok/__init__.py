"""The TikTok sandbox: a Marketing API v1.3-compatible ASGI app over a sandbox world.

:mod:`.api` builds the app; :mod:`.protocol` states what TikTok accepts (request models, enums,
limits) and its error type, :class:`~.protocol.TikTokError`.
"""
