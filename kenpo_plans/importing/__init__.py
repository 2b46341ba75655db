"""Importing plans and results from the documents offices keep: Word, PDF, text, Excel."""
