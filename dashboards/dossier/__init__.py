"""The evidence dossier of a case: one ZIP for the competent authority with every snapshot as captured, a PDF
rendering of each made offline, the diffs between them, the responses and their files, the audit trail, and a
manifest (JSON, a Vietnamese cover sheet, SHA256SUMS) so that anyone can check that nothing changed."""
