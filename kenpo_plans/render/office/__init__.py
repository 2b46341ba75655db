"""Word and Excel outputs, built with python-docx and openpyxl from the same plain data as the PDFs."""
