"""Creative media: where it may come from and what it must be, checked before any write."""
