"""The plan layer: a plan file read, checked and modelled (era, targets, model, vocabulary, files, loader,
schema, validate, store, rollforward). Knows nothing of diffs, results or documents."""
