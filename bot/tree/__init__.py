"""The question tree: its model, loading and proof, expressions, answers and the engine.

Plain Python: nothing in this package imports Flask, the database or python-docx.
"""
