"""The typed shape of every input: item front matter, the catalog files, 发文字号.

Pydantic models with Chinese field names and messages; the model and the loader build on them,
and ``reference`` prints them as catalog/FIELDS.md.
"""
