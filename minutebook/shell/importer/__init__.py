"""Importing officers' Word reports (.docx) as draft papers: `python build.py import report.docx …`.

docx.py reads the document (python-docx for numbering, the cover table,
tracked changes and comments; mammoth for the rest), numbering.py works out
Word's paragraph numbers, cover.py reads the cover into settings, markdown.py,
paragraphs.py, tables.py and inline.py write the body, paper.py puts the
paper together and command.py is the command line. Nothing here is needed to
build a site.
"""
