"""One search box across the records: documents, audits, findings, corrective actions,
processes and people, each kind through its own domain's `visible_*` rule."""
