"""Step 1: read the rule and knowledge files, validate them, and build a Knowledge."""
