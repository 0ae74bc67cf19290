"""Nonconformities and corrective actions (ISO 9001 clause 10.2)."""
