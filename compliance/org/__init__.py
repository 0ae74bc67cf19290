"""Departments, processes (clause 4.4) and the ISO clause catalogue."""
