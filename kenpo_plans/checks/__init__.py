"""Checks that need more than one file: a plan against the year before it, a results file against its plan, and
the catalog of a whole plans folder.  One file alone is checked where it is read (plan.validate, results.validate)."""
