"""Process measures (ISO 9001 9.1.1): a measure (KPI) of a process, its target, the values
recorded per period (by hand or imported from a CSV), the values that miss their target and
the measures whose value has not come in."""
