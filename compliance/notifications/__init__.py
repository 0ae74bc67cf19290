"""In-app notifications, the email outbox, daily digests and the alert jobs."""
