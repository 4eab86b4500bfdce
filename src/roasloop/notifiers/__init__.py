"""Notification adapters: how roasloop tells people and systems what it did."""
