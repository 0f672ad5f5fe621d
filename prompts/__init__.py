"""The shipped prompt files (one markdown file per role). Operators may point
`BACOWR_PROMPTS_DIR` at an edited copy."""
