"""The web console: server-rendered pages for owners, staff and auditors."""
