"""Debtor tables: one streaming CSV reader (bad rows kept in place), the header synonyms that
find the debtor fields, the do-not-research flags, the checks of a batch run's input and output
paths, and the checkpoints of a batch run."""
