"""Ports: abstract contracts the services depend on; adapters implement them."""
