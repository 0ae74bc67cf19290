"""Each user's home page."""
