"""Word and Excel: the documents offices circulate, built with python-docx and openpyxl."""
