"""First-party domain modules (masterdata, shopfloor, programme, assessment, brain)."""
