"""Risks and opportunities (ISO 9001 6.1): the register per department and process, the
organisation's likelihood × impact scale with its level bands, treatment actions, reviews,
links to the findings and corrective actions that changed a risk, and the heat map."""
