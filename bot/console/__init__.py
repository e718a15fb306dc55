"""The foundation's console: sign-in, teams and links, progress, the national picture, exports
and sign-up."""
