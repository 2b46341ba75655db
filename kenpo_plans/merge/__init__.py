"""Three-way merge of plan and results files, for the git merge driver (`kenpo-plans merge-driver`).

Two staff edit one plan on two branches; git's line merge stops them where nothing really conflicts (a
renumbered label beside an edited title, two words of one sentence).  Here the YAML tree is merged instead:
list entries by id (or by the diff's aligner where there is none), mapping fields one by one, sentences word
by word with the diff's inline differ.  Only what both sides changed differently is a conflict, marked around
the one field.
"""
