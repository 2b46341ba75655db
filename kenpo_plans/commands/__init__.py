"""One module per command of the CLI: each is what the command does, callable from Python too."""
