"""Plans in git: the plumbing (repo) and a plan as it was at a revision (revisions)."""
