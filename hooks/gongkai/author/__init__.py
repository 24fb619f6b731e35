"""Tools that write new files for editors (never over an existing one): ``new`` starts an
item with the next free 索引号."""
