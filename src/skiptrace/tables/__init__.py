"""Debtor tables: one streaming CSV reader (bad rows kept in place), the header synonyms that
find the debtor fields, the do-not-research flags, and the checkpoints of a batch run."""
