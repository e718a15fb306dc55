"""The team's audit: its pages, forms, the state of an audit and how it is presented."""
