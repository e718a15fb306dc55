"""The Word action plan: the plan's content from an audit, and the document written from it."""
