"""Webhooks: signed HTTP deliveries of domain events to an organisation's integrations."""
