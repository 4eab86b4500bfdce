"""Meta Marketing API (Graph API) adapter."""
