"""Six-monthly reports and the management review (clause 9.3) with its input pack."""
