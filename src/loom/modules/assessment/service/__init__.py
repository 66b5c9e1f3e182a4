"""Assessment rules: rule-set versions, assessments, evidence (services flush, never commit)."""
