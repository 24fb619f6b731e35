"""Self-inspection (自查): findings over a year's items (``findings``) and the report
printed as Markdown or JSON (``report``)."""
