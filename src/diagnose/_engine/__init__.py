"""Step 2: compile the rules into experta, run tickets through them, explain the result."""
