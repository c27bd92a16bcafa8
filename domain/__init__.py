"""Pure accounting rules: no I/O, no SQL, no framework imports (checked by import-linter)."""
